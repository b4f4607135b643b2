import Foundation
import GRDB
import JiuzhuDomain

/// A household record the indexer could not decode or profile (amounts whose sums leave
/// `Int64`, a payload that is not a household): kept out of the index with the reason, so the
/// node goes on indexing the others and operators see what to correct at the village.
///
/// ```swift
/// for household in try await database.setAsideHouseholds() { print(household.key, household.reason) }
/// ```
public struct SetAsideHousehold: Codable, Equatable, Sendable {
    /// The household's key (`<village>-<number>`).
    public let key: String
    /// The village the key names (the record itself may not be readable).
    public let village: String
    /// Why it could not be indexed, in Chinese, naming the field.
    public let reason: String
    /// When the indexer set this version aside, milliseconds since 1970.
    public let setAsideAt: Int64

    /// Names a household the indexer sets aside now.
    public init(key: String, reason: String, setAsideAt: Int64) {
        self.key = key
        village = String(key.prefix { $0 != "-" })
        self.reason = reason
        self.setAsideAt = setAsideAt
    }

    init(row: Row) {
        key = row["key"]
        village = row["village"]
        reason = row["reason"]
        setAsideAt = row["set_aside_at"]
    }
}

extension RegistryStore {
    /// The migration's name, as GRDB records it in `grdb_migrations`.
    static let setAsideMigration = "v8 unprofilable households"

    /// Households the indexer set aside; a later version that indexes (or a deletion)
    /// removes its row in the same transaction as its index rows.
    static let setAsideSchema = """
        CREATE TABLE registry_set_aside (
            key TEXT PRIMARY KEY,
            village TEXT NOT NULL,
            reason TEXT NOT NULL,
            set_aside_at INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX registry_set_aside_by_village ON registry_set_aside (village);
        """

    /// Households set aside inside `division` (a code prefix; nil for all the node holds),
    /// by key, at most `limit`.
    public func setAsideHouseholds(in division: String? = nil, limit: Int = 500) async throws -> [SetAsideHousehold] {
        try await writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT key, village, reason, set_aside_at FROM registry_set_aside
                    WHERE village LIKE ? || '%' ORDER BY key LIMIT ?
                    """,
                arguments: [division ?? "", max(1, limit)]
            ).map(SetAsideHousehold.init(row:))
        }
    }

    /// Writes the set-aside rows of one index batch, and clears the row of every household
    /// the batch indexed or removed: a fixed version leaves the list.
    static func recordSetAside(
        _ households: [SetAsideHousehold], clearing keys: some Sequence<String>, _ db: Database
    ) throws {
        // Nearly always empty: one look saves a delete per indexed household.
        if try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM registry_set_aside)") == true {
            let clear = try db.cachedStatement(sql: "DELETE FROM registry_set_aside WHERE key = ?")
            for key in keys { try clear.execute(arguments: [key]) }
        }
        let insert = try db.cachedStatement(
            sql: "INSERT OR REPLACE INTO registry_set_aside (key, village, reason, set_aside_at) VALUES (?, ?, ?, ?)")
        for household in households {
            try insert.execute(arguments: [household.key, household.village, household.reason, household.setAsideAt])
        }
    }
}
