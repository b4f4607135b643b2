import JiuzhuDomain
import Synchronization

/// Wakes whoever waits for new changes on a channel: the push loop that sends them up at
/// once, and the long polls of children waiting for changes addressed to them.
///
/// Each channel has a generation that every commit touching it advances. Read the generation
/// before reading the log, then wait for it to move: a commit in between is never missed.
///
/// ```swift
/// let seen = signal.generation(of: .registry)
/// let batch = try await database.changesToPushUp(...)
/// if batch.isEmpty { await signal.wait(for: .registry, after: seen, timeout: .seconds(1)) }
/// ```
public final class ChangeSignal: Sendable {
    private struct Waiter {
        let channel: ReplicationChannel
        let continuation: CheckedContinuation<Void, Never>
    }

    private struct State {
        var generations: [ReplicationChannel: UInt64] = [:]
        var repairs: [ReplicationChannel: UInt64] = [:]
        var waiters: [Int: Waiter] = [:]
        /// Waits whose time ran out before they registered.
        var expired: Set<Int> = []
    }

    private let state = Mutex(State())
    private let nextID = Atomic<Int>(0)

    public init() {}

    /// The channel's current generation.
    public func generation(of channel: ReplicationChannel) -> UInt64 {
        state.withLock { $0.generations[channel, default: 0] }
    }

    /// How many times rows of the channel were replaced outside the log (repair, restore).
    public func repairGeneration(of channel: ReplicationChannel) -> UInt64 {
        state.withLock { $0.repairs[channel, default: 0] }
    }

    /// Records that rows of `channel` were replaced outside the log, and wakes its waiters:
    /// such rows travel further up only through a checksum comparison, which this prompts.
    public func notifyRepair(_ channel: ReplicationChannel) {
        state.withLock { $0.repairs[channel, default: 0] &+= 1 }
        notify([channel])
    }

    /// Advances the generation of `channels` and wakes everyone waiting on them.
    public func notify(_ channels: Set<ReplicationChannel>) {
        let woken = state.withLock { state -> [Waiter] in
            for channel in channels { state.generations[channel, default: 0] &+= 1 }
            let ids = state.waiters.filter { channels.contains($0.value.channel) }.map(\.key)
            return ids.compactMap { state.waiters.removeValue(forKey: $0) }
        }
        for waiter in woken { waiter.continuation.resume() }
    }

    /// Waits until the channel's generation passes `seen`, `timeout` passes, or the task is
    /// cancelled; returns whether the generation moved.
    @discardableResult
    public func wait(for channel: ReplicationChannel, after seen: UInt64, timeout: Duration) async -> Bool {
        let id = nextID.add(1, ordering: .relaxed).newValue
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await withCheckedContinuation { continuation in
                    let ready = self.state.withLock { state -> Bool in
                        if state.generations[channel, default: 0] != seen || state.expired.remove(id) != nil {
                            return true
                        }
                        state.waiters[id] = Waiter(channel: channel, continuation: continuation)
                        return false
                    }
                    if ready { continuation.resume() }
                }
            }
            group.addTask {
                // Ends early when cancelled: a notified waiter cancels it, and so does shutdown.
                try? await Task.sleep(for: timeout)
                self.expire(id)
            }
            await group.next()
            group.cancelAll()
        }
        state.withLock { _ = $0.expired.remove(id) }
        return generation(of: channel) != seen
    }

    private func expire(_ id: Int) {
        let waiter = state.withLock { state -> Waiter? in
            if let waiter = state.waiters.removeValue(forKey: id) { return waiter }
            state.expired.insert(id)
            return nil
        }
        waiter?.continuation.resume()
    }
}
