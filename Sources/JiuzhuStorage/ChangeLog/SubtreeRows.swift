import Foundation
import GRDB
import JiuzhuDomain

extension ChangeLogStore {
    /// The checksum of the rows on `channel` whose origin lies in `subtree`.
    public func checksum(channel: ReplicationChannel, subtree: DivisionCode) async throws -> SubtreeChecksum {
        try await writer.read { db in try Self.checksum(channel: channel, subtree: subtree, db) }
    }

    static func checksum(channel: ReplicationChannel, subtree: DivisionCode, _ db: Database) throws -> SubtreeChecksum {
        let prefix = String(subtree.jurisdictionPrefix)
        let row = try Row.fetchOne(
            db,
            sql: """
                SELECT COUNT(*) AS count, COALESCE(SUM(digest), 0) AS sum FROM replica_row
                WHERE channel = ? AND substr(origin, 1, ?) = ?
                """,
            arguments: [channel.rawValue, prefix.count, prefix])
        return SubtreeChecksum(count: row?["count"] ?? 0, sum: row?["sum"] ?? 0)
    }

    /// One page of the rows on `channel` whose origin lies in `subtree`, in (entity, key) order.
    public func subtreeRows(
        channel: ReplicationChannel, subtree: DivisionCode, after cursor: ReplicaRowCursor?, limit: Int
    ) async throws -> [Change] {
        try await writer.read { db in
            let prefix = String(subtree.jurisdictionPrefix)
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM replica_row
                    WHERE channel = ? AND substr(origin, 1, ?) = ? AND (entity, key) > (?, ?)
                    ORDER BY entity, key LIMIT ?
                    """,
                arguments: [channel.rawValue, prefix.count, prefix, cursor?.entity ?? "", cursor?.key ?? "", limit]
            ).map { try ReplicaRow($0).change }
        }
    }

    /// One page of the rows on `channel` addressed to `child` from outside its subtree (what its
    /// pulls bring), in (entity, key) order, with the log's end as read before the rows: a
    /// child restored from them pulls on from there.
    public func addressedRows(
        _ child: DivisionCode, channel: ReplicationChannel, after cursor: ReplicaRowCursor?, limit: Int
    ) async throws -> (rows: [Change], logEnd: Int64) {
        let address = AddressFilter(child)
        let arguments: StatementArguments =
            [channel.rawValue] + address.arguments + [cursor?.entity ?? "", cursor?.key ?? "", limit]
        return try await writer.read { db in
            let end = try Self.logEnd(db)
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM replica_row
                    WHERE channel = ? AND \(address.sql) AND (entity, key) > (?, ?)
                    ORDER BY entity, key LIMIT ?
                    """,
                arguments: arguments
            ).map { try ReplicaRow($0).change }
            return (rows, end)
        }
    }

    /// How far every origin in `subtree` has come on `channel`, as this node has seen it.
    public func subtreeProgress(channel: ReplicationChannel, subtree: DivisionCode) async throws -> [OriginProgress] {
        try await writer.read { db in
            let prefix = String(subtree.jurisdictionPrefix)
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT origin, last_seq FROM origin_progress
                    WHERE channel = ? AND substr(origin, 1, ?) = ? ORDER BY origin
                    """,
                arguments: [channel.rawValue, prefix.count, prefix]
            ).map { OriginProgress(origin: try DivisionCode($0["origin"]), lastSequence: $0["last_seq"]) }
        }
    }

    /// Makes this node's copy of one page of a child's subtree rows equal to the child's, after
    /// their checksums disagreed: rows in the page's key range that the child does not have are
    /// removed, the child's rows replace ours. `through` is nil on the last page: the range then
    /// runs to the end.
    ///
    /// Repair fixes rows, never sequence numbers: a row at a version this node was never pushed
    /// is left as it is here (the push brings it), so a child cannot make its later changes look
    /// like repeats. A row held from another origin, or written once at another version, refuses
    /// the page (``OwnershipViolation``). The caller has checked each row's owner.
    public func repairSubtreeRows(
        channel: ReplicationChannel, subtree: DivisionCode, after: ReplicaRowCursor?, through: ReplicaRowCursor?,
        rows: [Change]
    ) async throws {
        try Self.checkPage(rows, channel: channel, subtree: subtree, progress: [])
        try await writer.write { db in
            var progress = ProgressCache()
            var pushed: [Change] = []
            for row in rows where row.originSequence <= (try progress.last(origin: row.origin, channel: channel, db)) {
                pushed.append(row)
            }
            let sent = Set(rows.map { ReplicaRowCursor($0) })
            try Self.deleteRows(channel: channel, subtree: subtree, after: after, through: through, keeping: sent, db)
            try Self.upsertPage(pushed, db)
        }
        signal.notifyRepair(channel)
    }

    /// Makes this node's copy of one page of its own subtree's rows equal to its parent's, when
    /// the node is rebuilt after losing its disk, and takes in how far each origin has come.
    /// Every row must come from its row's owner inside `subtree`.
    public func restoreSubtreeRows(
        channel: ReplicationChannel, subtree: DivisionCode, after: ReplicaRowCursor?, through: ReplicaRowCursor?,
        rows: [Change], progress: [OriginProgress]
    ) async throws {
        try Self.checkPage(rows, channel: channel, subtree: subtree, progress: progress)
        for row in rows {
            do { try RowOwnership.check(row) } catch { throw StorageError.invalidChange(reason: error.description) }
        }
        try await writer.write { db in
            try Self.deleteRows(channel: channel, subtree: subtree, after: after, through: through, keeping: [], db)
            try Self.upsertPage(rows, db)
            var cache = ProgressCache()
            for item in progress {
                cache.advance(origin: item.origin, channel: channel, to: item.lastSequence)
            }
            try cache.save(db)
        }
        signal.notifyRepair(channel)
    }

    private static func checkPage(
        _ rows: [Change], channel: ReplicationChannel, subtree: DivisionCode, progress: [OriginProgress]
    ) throws {
        for change in rows where change.channel != channel || !change.origin.isWithin(subtree) {
            throw StorageError.invalidChange(
                reason: "行 \(change.entity)/\(change.key) 不属于 \(subtree) 的\(channel.chineseName)通道")
        }
        for item in progress where !item.origin.isWithin(subtree) {
            throw StorageError.invalidChange(reason: "来源 \(item.origin) 不在 \(subtree) 之下")
        }
    }

    private static func deleteRows(
        channel: ReplicationChannel, subtree: DivisionCode, after: ReplicaRowCursor?, through: ReplicaRowCursor?,
        keeping: Set<ReplicaRowCursor>, _ db: Database
    ) throws {
        let prefix = String(subtree.jurisdictionPrefix)
        var range = "channel = ? AND substr(origin, 1, ?) = ? AND (entity, key) > (?, ?)"
        var arguments: StatementArguments = [
            channel.rawValue, prefix.count, prefix, after?.entity ?? "", after?.key ?? "",
        ]
        if let through {
            range += " AND (entity, key) <= (?, ?)"
            arguments += [through.entity, through.key]
        }
        guard !keeping.isEmpty else {
            try db.execute(sql: "DELETE FROM replica_row WHERE \(range)", arguments: arguments)
            return
        }
        let held = try Row.fetchAll(db, sql: "SELECT entity, key FROM replica_row WHERE \(range)", arguments: arguments)
        let delete = try db.cachedStatement(sql: "DELETE FROM replica_row WHERE channel = ? AND entity = ? AND key = ?")
        for row in held {
            let cursor = ReplicaRowCursor(entity: row["entity"], key: row["key"])
            if !keeping.contains(cursor) {
                try delete.execute(arguments: [channel.rawValue, cursor.entity, cursor.key])
            }
        }
    }

    /// Writes a page's rows, each replacing this node's copy at the same or an earlier version
    /// of the same origin; a row held from another origin refuses the page.
    private static func upsertPage(_ rows: [Change], _ db: Database) throws {
        var log = LogWriter(db)
        var held = LogWriter.HeldRows()
        for start in stride(from: 0, to: rows.count, by: LogWriter.rowsPerStatement) {
            let chunk = rows[start..<min(start + LogWriter.rowsPerStatement, rows.count)]
            try log.checkOwnership(chunk, against: &held)
            try log.upsertRows(chunk, repairing: true)
        }
    }
}
