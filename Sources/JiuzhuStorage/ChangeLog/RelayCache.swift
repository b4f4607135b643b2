import JiuzhuDomain
import Synchronization

/// Batches a node took from its children in the binary form, held briefly so that its push to
/// its own parent forwards the bytes it received instead of reading the log and encoding the
/// changes again: what a township relays from a village reaches the county unchanged.
///
/// An entry is kept only when every change of the batch was new, so that its records are
/// exactly the log entries at its positions (one transaction writes them consecutively). The
/// cache is bounded; when it is full the oldest entries go, and the pusher reads the log.
public final class RelayCache: Sendable {
    /// Records the log holds at `positions`, all on one channel.
    public struct Entry: Sendable {
        public let positions: ClosedRange<Int64>
        public let records: ChangeRecords
    }

    private struct State {
        var entries: [ReplicationChannel: [Entry]] = [:]
        var bytes = 0
    }

    private let state = Mutex(State())
    /// The most record bytes held at once.
    public let byteLimit: Int

    public init(byteLimit: Int = 16 << 20) {
        self.byteLimit = byteLimit
    }

    /// Keeps `records`, logged at `positions` on `channel`.
    public func keep(_ records: ChangeRecords, at positions: ClosedRange<Int64>, channel: ReplicationChannel) {
        guard records.bytes.count <= byteLimit else { return }
        state.withLock { state in
            state.entries[channel, default: []].append(Entry(positions: positions, records: records))
            state.bytes += records.bytes.count
            while state.bytes > byteLimit, let oldest = Self.channelWithOldestEntry(state) {
                state.bytes -= state.entries[oldest]!.removeFirst().records.bytes.count
            }
        }
    }

    /// The first entry on `channel` after `position`, dropping those at or before it: the
    /// pusher has gone past them. The pusher forwards it once nothing of the log lies between.
    public func next(on channel: ReplicationChannel, after position: Int64) -> Entry? {
        state.withLock { state in
            guard var entries = state.entries[channel] else { return nil }
            while let first = entries.first, first.positions.lowerBound <= position {
                entries.removeFirst()
                state.bytes -= first.records.bytes.count
            }
            state.entries[channel] = entries
            return entries.first
        }
    }

    /// How many record bytes the cache holds.
    public var heldBytes: Int { state.withLock { $0.bytes } }

    private static func channelWithOldestEntry(_ state: State) -> ReplicationChannel? {
        state.entries.filter { !$0.value.isEmpty }.min {
            $0.value[0].positions.lowerBound < $1.value[0].positions.lowerBound
        }?.key
    }
}
