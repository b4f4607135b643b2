import Foundation
import GRDB
import JiuzhuDomain

/// What every store of a node shares: the one GRDB writer (a WAL pool on disk, or an in-memory
/// queue in tests), the node that owns the data, the signal that announces commits, and the
/// node's clock.
///
/// The stores (``ChangeLogStore``, ``RegistryStore``, ``OperatorStore``, ``PolicyStore``) are
/// small values over one `StoreCore`, in the manner of GRDB's `AppDatabase` demo: each keeps
/// its own tables' invariants, and a write that spans stores (a household, its change-log entry
/// and its audit entry) is still one transaction, because they share the writer.
public struct StoreCore: Sendable {
    let writer: any DatabaseWriter
    /// The node whose data this is.
    public let owner: NodeDatabase.Owner
    /// Announces commits to the change log, for the push loop and children's long polls.
    public let signal: ChangeSignal
    /// This node's clock: every "now" the stores write comes from it.
    public let wallClock: NodeClock
    /// How far ahead of this node's clock a peer's timestamps may run before its changes are
    /// refused (`JIUZHU_MAX_PEER_CLOCK_LEAD`), in milliseconds.
    public let maximumPeerLead: Int64
}

/// A store: a view of the node's database that keeps one group of tables.
protocol NodeStore: Sendable {
    var core: StoreCore { get }
}

extension NodeStore {
    var writer: any DatabaseWriter { core.writer }
    /// The node whose data this is.
    public var owner: NodeDatabase.Owner { core.owner }
    /// Announces commits to the change log.
    public var signal: ChangeSignal { core.signal }
    /// The node's clock.
    public var wallClock: NodeClock { core.wallClock }
    var maximumPeerLead: Int64 { core.maximumPeerLead }

    static func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }
    static func date(_ milliseconds: Int64) -> Date { Date(timeIntervalSince1970: Double(milliseconds) / 1000) }

    /// Runs `body` in one write transaction in which it may change local tables and log
    /// changes for the federation: both commit together or not at all. Channels that
    /// received changes are announced after the commit.
    func transaction<T: Sendable>(_ body: @Sendable (inout LocalTransaction) throws -> T) async throws -> T {
        let origin = owner.code
        let clock = wallClock
        let (result, channels) = try await writer.write { db -> (T, Set<ReplicationChannel>) in
            var transaction = LocalTransaction(db: db, origin: origin, now: clock.now())
            let result = try body(&transaction)
            return (result, transaction.channels)
        }
        signal.notify(channels)
        return result
    }
}
