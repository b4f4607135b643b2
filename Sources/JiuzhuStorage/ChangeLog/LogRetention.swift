import GRDB
import JiuzhuDomain

/// How much of the change log pruning removed, and what it had to keep.
public struct PruneOutcome: Equatable, Sendable {
    public init(pruned: Int = 0, held: Int = 0) {
        self.pruned = pruned
        self.held = held
    }

    /// Entries removed.
    public var pruned = 0
    /// Entries older than the cut-off that are kept because something still needs them (the
    /// parent has not acknowledged them, a child has not pulled them, a local index has not
    /// read them).
    public var held = 0
}

extension ChangeLogStore {
    /// Entries removed per transaction, so that pruning never holds the writer for long.
    static let pruneBatch = 5_000

    /// Removes log entries committed before `cutoff` (milliseconds since 1970) that nothing
    /// needs any more: on each channel, entries the parent has acknowledged (if the channel
    /// flows up and there is a parent), that every child has pulled (if it flows down; a
    /// child never heard from holds everything), and that the node's own indexes have read.
    ///
    /// The rows stay: restore, repair and checksums work from `replica_row`, and sequence
    /// checks from `origin_progress`. What goes is history: a household's earlier versions,
    /// and the entries a parent restored from an older copy would ask for again (it is told
    /// they are gone, ``ReplicationError/notInLog``).
    public func prune(committedBefore cutoff: Int64, parent: DivisionCode?, children: [DivisionCode]) async throws
        -> PruneOutcome
    {
        var outcome = PruneOutcome()
        for channel in ReplicationChannel.allCases {
            let (bound, households) = try await writer.read { db in
                try Self.pruneBounds(channel, parent: parent, children: children, role: owner.role, db)
            }
            while true {
                let removed = try await writer.write { db -> Int in
                    let positions = try Int64.fetchAll(
                        db,
                        sql: """
                            DELETE FROM change_log WHERE position IN (
                                SELECT position FROM change_log
                                WHERE channel = ? AND position <= ? AND committed_at < ?
                                    AND (entity <> 'household' OR position <= ?)
                                ORDER BY position LIMIT ?)
                            RETURNING position
                            """,
                        arguments: [channel.rawValue, bound, cutoff, households, Self.pruneBatch])
                    if let last = positions.max() {
                        try db.execute(
                            sql: """
                                INSERT INTO log_horizon (channel, pruned_through) VALUES (?, ?)
                                ON CONFLICT (channel) DO UPDATE SET
                                    pruned_through = MAX(pruned_through, excluded.pruned_through)
                                """,
                            arguments: [channel.rawValue, last])
                    }
                    return positions.count
                }
                outcome.pruned += removed
                if removed < Self.pruneBatch { break }
            }
            outcome.held += try await writer.read { db in
                try Int.fetchOne(
                    db,
                    sql: """
                        SELECT COUNT(*) FROM change_log WHERE channel = ? AND committed_at < ?
                            AND (position > ? OR (entity = 'household' AND position > ?))
                        """,
                    arguments: [channel.rawValue, cutoff, bound, households]) ?? 0
            }
        }
        return outcome
    }

    /// The last position pruning removed on `channel` (0 if none): a reader of the log that
    /// stands before it would miss entries, and must start from rows instead.
    public func prunedThrough(_ channel: ReplicationChannel) async throws -> Int64 {
        try await writer.read { db in
            try Int64.fetchOne(
                db, sql: "SELECT pruned_through FROM log_horizon WHERE channel = ?", arguments: [channel.rawValue]) ?? 0
        }
    }

    /// How many entries the log holds.
    public func logSize() async throws -> Int {
        try await writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM change_log") ?? 0 }
    }

    /// The last position on `channel` that the links no longer need, and the last that the
    /// node's own readers of household entries no longer need either.
    static func pruneBounds(
        _ channel: ReplicationChannel, parent: DivisionCode?, children: [DivisionCode], role: NodeRole, _ db: Database
    ) throws -> (links: Int64, households: Int64) {
        var bound = Int64.max
        if let parent, channel.flowsUp {
            bound = min(bound, try cursor(peer: parent, direction: .up, channel: channel, db))
        }
        if channel.flowsDown {
            for child in children {
                let pulled = try Int64.fetchOne(
                    db, sql: "SELECT pulled_through FROM child_link WHERE peer = ? AND channel = ?",
                    arguments: [child.digits, channel.rawValue])
                bound = min(bound, pulled ?? 0)
            }
        }
        // The node's own readers of the log: the case index reads every casework entry; the
        // registry index everywhere, and the department-record matcher at the city, read
        // household entries (their cursors move only past those).
        if channel == .casework {
            bound = min(bound, try Int64.fetchOne(db, sql: "SELECT position FROM case_index_state WHERE id = 1") ?? 0)
        }
        var households = bound
        if channel == .registry {
            var readers = ["SELECT position FROM registry_index_state WHERE id = 1"]
            if role == .city { readers.append("SELECT registry_position FROM warning_cursor WHERE id = 1") }
            for sql in readers { households = min(households, try Int64.fetchOne(db, sql: sql) ?? 0) }
        }
        return (bound, households)
    }
}
