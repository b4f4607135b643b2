import GRDB
import JiuzhuDomain

/// How many rows a node holds for one kind of data inside a division.
public struct RowCount: Codable, Equatable, Sendable {
    public let channel: ReplicationChannel
    public let entity: String
    public let rows: Int
}

extension ChangeLogStore {
    /// The rows this node holds inside `division`, by channel and entity (deleted rows left out).
    public func rowCounts(within division: DivisionCode) async throws -> [RowCount] {
        let prefix = String(division.jurisdictionPrefix)
        return try await writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT channel, entity, COUNT(*) AS rows FROM replica_row
                    WHERE substr(jurisdiction, 1, ?) = ? AND payload IS NOT NULL
                    GROUP BY channel, entity ORDER BY channel, entity
                    """,
                arguments: [prefix.utf8.count, prefix]
            ).compactMap { row in
                guard let channel = ReplicationChannel(rawValue: row["channel"]) else { return nil }
                return RowCount(channel: channel, entity: row["entity"], rows: row["rows"])
            }
        }
    }
}
