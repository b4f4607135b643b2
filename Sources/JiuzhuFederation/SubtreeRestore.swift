import Foundation
import JiuzhuDomain
import JiuzhuStorage

/// Rebuilds a node that lost its disk from what its parent holds of its subtree.
///
/// Every row the subtree originated comes back, with each origin's highest sequence, so the
/// node resumes numbering after the highest its parent saw; its own audit entries go back into
/// its chain, which continues after the last of them. Rows addressed to it from above come
/// back from the parent's rows too, and its pulls go on from the parent's log end as it was
/// read before them: the parent may have pruned older log entries (``LogPruner``). From a
/// parent of the release before, which prunes nothing, they come back by pulling from zero.
public struct SubtreeRestore: Sendable {
    let node: TopologyNode
    let parent: TopologyNode
    let client: FederationClient
    let database: NodeDatabase

    public init(node: TopologyNode, parent: TopologyNode, client: FederationClient, database: NodeDatabase) {
        self.node = node
        self.parent = parent
        self.client = client
        self.database = database
    }

    /// What came back on one channel.
    public struct Restored: Sendable {
        public let channel: ReplicationChannel
        /// Whether these are rows addressed to the node from above, rather than its subtree's own.
        public var addressed = false
        public let rows: Int
        /// This node's own highest sequence on the channel, as the parent saw it.
        public let ownLastSequence: Int64
    }

    /// Fetches every page of every upward channel; `progress` hears about each page.
    public func run(progress: (ReplicationChannel, Int) -> Void = { _, _ in }) async throws -> [Restored] {
        var restored: [Restored] = []
        for channel in ReplicationChannel.upward {
            var after: ReplicaRowCursor?
            var count = 0
            var ownLast: Int64 = 0
            while true {
                let page = try await client.restorePage(channel, after: after, from: parent)
                // Refuses rows from outside this node's subtree or channel, or not from their owners.
                try await database.changeLog.restoreSubtreeRows(
                    channel: channel, subtree: node.code, after: page.after, through: page.through, rows: page.rows,
                    progress: page.progress)
                count += page.rows.count
                ownLast = page.progress.first { $0.origin == node.code }?.lastSequence ?? ownLast
                progress(channel, count)
                guard let through = page.through else { break }
                after = through
            }
            restored.append(Restored(channel: channel, rows: count, ownLastSequence: ownLast))
        }
        try await database.operators.restoreOwnAuditEntries()
        for channel in ReplicationChannel.downward {
            guard let count = try await restoreAddressed(channel, progress: progress) else { break }
            restored.append(Restored(channel: channel, addressed: true, rows: count, ownLastSequence: 0))
        }
        return restored
    }

    /// Takes in every row the parent holds addressed to this node on `channel`, and moves the
    /// downward cursor to the parent's log end as read before the first page; nil when the
    /// parent is of the release before (it sends no log end, and keeps its whole log).
    private func restoreAddressed(_ channel: ReplicationChannel, progress: (ReplicationChannel, Int) -> Void)
        async throws -> Int?
    {
        var after: ReplicaRowCursor?
        var logEnd: Int64?
        var count = 0
        while true {
            let page = try await client.restorePage(channel, after: after, addressed: true, from: parent)
            guard let end = logEnd ?? page.logEnd else { return nil }
            logEnd = end
            // The same checks as a pull's: addressed here, made outside, by the rows' owners.
            _ = try await database.changeLog.applyFromParent(
                page.rows, parent: parent.code, channel: channel, scannedThrough: end)
            count += page.rows.count
            progress(channel, count)
            guard let through = page.through else { return count }
            after = through
        }
    }
}
