import JiuzhuDomain
import Synchronization

/// Wakes whoever waits for new changes on a channel: the push loop that sends them up at
/// once, and the long polls of children waiting for changes addressed to them.
///
/// Subscribe before reading the log, then wait: a commit between the read and the wait is
/// not missed, because the subscription buffers it.
public final class ChangeSignal: Sendable {
    private let subscribers = Mutex<[Int: AsyncStream<ReplicationChannel>.Continuation]>([:])
    private let nextID = Atomic<Int>(0)

    public init() {}

    /// Tells every subscriber that `channels` have new changes.
    public func notify(_ channels: Set<ReplicationChannel>) {
        subscribers.withLock { subscribers in
            for continuation in subscribers.values {
                for channel in channels { continuation.yield(channel) }
            }
        }
    }

    /// A stream of channel names, one per commit that touched them, from now on.
    public func subscribe() -> AsyncStream<ReplicationChannel> {
        let id = nextID.add(1, ordering: .relaxed).newValue
        let (stream, continuation) = AsyncStream.makeStream(
            of: ReplicationChannel.self, bufferingPolicy: .bufferingNewest(16))
        continuation.onTermination = { [weak self] _ in
            _ = self?.subscribers.withLock { $0.removeValue(forKey: id) }
        }
        subscribers.withLock { $0[id] = continuation }
        return stream
    }
}

extension AsyncStream where Element == ReplicationChannel {
    /// Waits until `channel` is announced or `timeout` passes; returns whether it was announced.
    public func wait(for channel: ReplicationChannel, timeout: Duration) async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                for await announced in self where announced == channel { return true }
                return false
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
    }
}
