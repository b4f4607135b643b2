import Foundation
import GRDB
import JiuzhuDomain

/// A department record as the city stores it: its feed and number, the person, the day it is
/// about (`yyyymmdd`), the record as canonical JSON and that text's hash.
public struct StoredFeedRecord: Sendable, Hashable {
    public let feed: String
    public let recordID: String
    public let citizenID: String
    public let date: Int32
    public let payload: String
    public let contentHash: String

    public init(feed: String, recordID: String, citizenID: String, date: Int32, payload: String, contentHash: String) {
        self.feed = feed
        self.recordID = recordID
        self.citizenID = citizenID
        self.date = date
        self.payload = payload
        self.contentHash = contentHash
    }

    init(row: Row) {
        self.init(
            feed: row["feed"], recordID: row["record_id"], citizenID: row["citizen_id"], date: row["date"],
            payload: row["payload"], contentHash: row["content_hash"])
    }
}

/// What storing a file of records did.
public struct FeedStoreOutcome: Sendable, Hashable {
    /// Records the city did not hold.
    public var added: [StoredFeedRecord] = []
    /// Records held with other content, now replaced.
    public var changed: [StoredFeedRecord] = []
    /// Records held with the same content: nothing was written for them.
    public var unchanged = 0
    /// The new and changed records about a person some registered household lists: those
    /// whose rules are still to run.
    public var pending: [StoredFeedRecord] = []
}

extension WarningStore {
    /// Stores department records and the import's audit entry in one transaction: a record
    /// held with the same content is left alone (a file imported twice changes nothing), one
    /// with other content is replaced, and new and changed records wait for their rules.
    /// `progress` is called with the number of records gone through, every 1,000.
    ///
    /// Most people a department reports are in no registered household, and a record about
    /// them has no rule to run: it is stored as evaluated. Whether anyone lists the person is
    /// read in this transaction, so a household indexed after it is still the household
    /// pass's to match with the record (``householdsWithRecords(changedAfter:limit:)``).
    public func store(
        _ records: [StoredFeedRecord], audit: @escaping @Sendable (FeedStoreOutcome) -> AuditRecord,
        progress: (@Sendable (Int) -> Void)? = nil
    ) async throws -> FeedStoreOutcome {
        // Written in key order and looked up in ID order: a file's records then go into the
        // B-trees side by side instead of a page apart each. The outcome keeps the file's order.
        let byKey = records.indices.sorted {
            (records[$0].feed, records[$0].recordID) < (records[$1].feed, records[$1].recordID)
        }
        return try await transaction { transaction in
            let db = transaction.db
            let now = transaction.now
            // A new record is written by the one statement that finds it new, as evaluated until
            // it is found to be about a registered person; only a record held already costs a
            // second look, at its hash.
            let add = try db.makeStatement(
                sql: """
                    INSERT INTO feed_record
                        (feed, record_id, citizen_id, date, payload, content_hash, received_at, evaluated)
                    VALUES (?, ?, ?, ?, ?, ?, ?, 1) ON CONFLICT (feed, record_id) DO NOTHING
                    """)
            let held = try db.makeStatement(
                sql: "SELECT content_hash FROM feed_record WHERE feed = ? AND record_id = ?")
            let replace = try db.makeStatement(
                sql: """
                    UPDATE feed_record SET citizen_id = ?, date = ?, payload = ?, content_hash = ?, received_at = ?,
                        evaluated = 1
                    WHERE feed = ? AND record_id = ?
                    """)
            var added: [Int] = []
            var changed: [Int] = []
            var unchanged = 0
            for (done, index) in byKey.enumerated() {
                if (done + 1) % 1_000 == 0 { progress?(done + 1) }
                let record = records[index]
                try add.run(in: db) { bind in
                    bind.text(1, record.feed)
                    bind.text(2, record.recordID)
                    bind.text(3, record.citizenID)
                    bind.integer(4, Int64(record.date))
                    bind.text(5, record.payload)
                    bind.text(6, record.contentHash)
                    bind.integer(7, now)
                }
                guard db.changesCount == 0 else {
                    added.append(index)
                    continue
                }
                let heldHash = try held.firstText(in: db) { bind in
                    bind.text(1, record.feed)
                    bind.text(2, record.recordID)
                }
                guard heldHash != record.contentHash else {
                    unchanged += 1
                    continue
                }
                try replace.run(in: db) { bind in
                    bind.text(1, record.citizenID)
                    bind.integer(2, Int64(record.date))
                    bind.text(3, record.payload)
                    bind.text(4, record.contentHash)
                    bind.integer(5, now)
                    bind.text(6, record.feed)
                    bind.text(7, record.recordID)
                }
                changed.append(index)
            }
            progress?(records.count)
            let written = (added + changed).sorted()
            let listed = try Self.listedPeople(Set(written.map { records[$0].citizenID }), db)
            let awaitRules = try db.makeStatement(
                sql: "UPDATE feed_record SET evaluated = 0 WHERE feed = ? AND record_id = ?")
            let pending = written.filter { listed.contains(records[$0].citizenID) }
            for index in pending {
                try awaitRules.run(in: db) { bind in
                    bind.text(1, records[index].feed)
                    bind.text(2, records[index].recordID)
                }
            }
            let outcome = FeedStoreOutcome(
                added: added.sorted().map { records[$0] }, changed: changed.sorted().map { records[$0] },
                unchanged: unchanged, pending: pending.map { records[$0] })
            if !written.isEmpty { try OperatorStore.appendAudit(audit(outcome), in: &transaction) }
            return outcome
        }
    }

    /// Which of `citizenIDs` some registered household lists, looked up in order.
    static func listedPeople(_ citizenIDs: Set<String>, _ db: Database) throws -> Set<String> {
        let listed = try db.makeStatement(sql: "SELECT 1 FROM registry_person WHERE citizen_id = ? LIMIT 1")
        return Set(try citizenIDs.sorted().filter { id in try listed.firstText(in: db) { $0.text(1, id) } != nil })
    }

    /// The records the city holds about these people, of the feeds named (all when empty).
    public func feedRecords(about citizenIDs: [String], feeds: [String] = []) async throws -> [StoredFeedRecord] {
        try await writer.read { db in
            var result: [StoredFeedRecord] = []
            let feedCondition = feeds.isEmpty ? "" : " AND feed IN (\(databaseQuestionMarks(count: feeds.count)))"
            let statement = try db.makeStatement(
                sql: "SELECT * FROM feed_record WHERE citizen_id = ?\(feedCondition) ORDER BY date, feed, record_id")
            for citizenID in Set(citizenIDs).sorted() {
                var arguments: StatementArguments = [citizenID]
                _ = arguments.append(contentsOf: StatementArguments(feeds))
                result += try Row.fetchAll(statement, arguments: arguments).map(StoredFeedRecord.init(row:))
            }
            return result
        }
    }

    /// The records of `feeds`, a page at a time, in a stable order.
    public func feedRecords(ofFeeds feeds: [String], limit: Int, offset: Int) async throws -> [StoredFeedRecord] {
        try await writer.read { db in
            var arguments = StatementArguments(feeds)
            _ = arguments.append(contentsOf: [limit, offset])
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM feed_record WHERE feed IN (\(databaseQuestionMarks(count: feeds.count)))
                    ORDER BY feed, record_id LIMIT ? OFFSET ?
                    """,
                arguments: arguments
            ).map(StoredFeedRecord.init(row:))
        }
    }

    /// Records stored at or before `receivedBy` (milliseconds) whose rules have not run yet,
    /// oldest first.
    public func pendingFeedRecords(receivedBy: Int64, limit: Int) async throws -> [StoredFeedRecord] {
        try await writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM feed_record WHERE evaluated = 0 AND received_at <= ?
                    ORDER BY received_at, feed, record_id LIMIT ?
                    """,
                arguments: [receivedBy, limit]
            ).map(StoredFeedRecord.init(row:))
        }
    }

    /// How many records of each feed the city holds.
    public func feedCounts() async throws -> [String: Int] {
        try await writer.read { db in
            var counts: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT feed, COUNT(*) AS n FROM feed_record GROUP BY feed") {
                counts[row["feed"]] = row["n"]
            }
            return counts
        }
    }
}

extension WarningStore {
    /// Households that arrived or changed after `position` in the change log and that the
    /// registry index has taken in, whose members some department record names; and the last
    /// position looked at (nil when there was nothing new).
    public func householdsWithRecords(changedAfter position: Int64, limit: Int) async throws
        -> (households: [String], through: Int64?)
    {
        try await writer.read { db in
            let indexed = try Int64.fetchOne(db, sql: "SELECT position FROM registry_index_state WHERE id = 1") ?? 0
            // The cursor moves over entries of other entities too, so that they are not read again
            // at the next pass; SQLite passes over them, and Swift sees only the households.
            guard
                let last = try Int64.fetchOne(
                    db,
                    sql: """
                        SELECT MAX(position) FROM (
                            SELECT position FROM change_log
                            WHERE channel = 'registry' AND position > ? AND position <= ? ORDER BY position LIMIT ?
                        )
                        """,
                    arguments: [position, indexed, limit])
            else { return ([], nil) }
            let keys = try Set(
                String.fetchAll(
                    db,
                    sql: """
                        SELECT key FROM change_log
                        WHERE channel = 'registry' AND position > ? AND position <= ? AND entity = 'household'
                        """,
                    arguments: [position, last]))
            var found: [String] = []
            let statement = try db.makeStatement(
                sql: """
                    SELECT 1 FROM registry_person p CROSS JOIN feed_record f ON f.citizen_id = p.citizen_id
                    WHERE p.household_key = ? LIMIT 1
                    """)
            for key in keys.sorted() where try Bool.fetchOne(statement, arguments: [key]) == true {
                found.append(key)
            }
            return (found, last)
        }
    }

    /// Where the household pass stands in the change log.
    public func householdCursor() async throws -> Int64 {
        try await writer.read { db in
            try Int64.fetchOne(db, sql: "SELECT registry_position FROM warning_cursor WHERE id = 1") ?? 0
        }
    }

    /// Moves the household pass on to `position`.
    public func setHouseholdCursor(_ position: Int64) async throws {
        try await writer.write { db in
            try db.execute(sql: "UPDATE warning_cursor SET registry_position = ? WHERE id = 1", arguments: [position])
        }
    }
}

/// The registered households that list some of a batch's people: who is listed where, each
/// of those households' payload, and what the registry index holds about them.
public struct ListedHouseholds: Sendable, Hashable {
    /// A household as the registry index holds it: enough to know what it receives without
    /// decoding its payload.
    public struct Indexed: Sendable, Hashable {
        public let village: String
        /// The programmes its record enrols it in.
        public let enrolled: [String]
    }

    /// Each person some household lists, with the keys of the households that list them.
    public var byPerson: [String: [String]] = [:]
    /// The payload of each household named in ``byPerson``.
    public var payloads: [String: String] = [:]
    /// Each household named in ``byPerson``, as indexed.
    public var indexed: [String: Indexed] = [:]

    public init(byPerson: [String: [String]] = [:], payloads: [String: String] = [:], indexed: [String: Indexed] = [:])
    {
        self.byPerson = byPerson
        self.payloads = payloads
        self.indexed = indexed
    }
}

extension WarningStore {
    /// The households that list any of `citizenIDs`, with their payloads, in one read: a
    /// batch of department records costs a few queries, not a few per record.
    public func households(listing citizenIDs: [String]) async throws -> ListedHouseholds {
        try await writer.read { db in
            var listed = ListedHouseholds()
            // In order, so that one chunk's look-ups fall on neighbouring pages of the index.
            for chunk in Self.chunks(Set(citizenIDs).sorted()) {
                let rows = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT citizen_id, household_key FROM registry_person
                        WHERE citizen_id IN (\(databaseQuestionMarks(count: chunk.count))) ORDER BY household_key
                        """,
                    arguments: StatementArguments(chunk))
                for row in rows { listed.byPerson[row["citizen_id"], default: []].append(row["household_key"]) }
            }
            let keys = Array(Set(listed.byPerson.values.joined()))
            for chunk in Self.chunks(keys) {
                var arguments: StatementArguments = [
                    ReplicationChannel.registry.rawValue, RegistryStore.householdEntity,
                ]
                _ = arguments.append(contentsOf: StatementArguments(chunk))
                let rows = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT key, payload FROM replica_row WHERE channel = ? AND entity = ?
                            AND key IN (\(databaseQuestionMarks(count: chunk.count))) AND payload IS NOT NULL
                        """,
                    arguments: arguments)
                for row in rows { listed.payloads[row["key"]] = row["payload"] }
                for row in try Row.fetchAll(
                    db,
                    sql: """
                        SELECT key, village, programmes FROM registry_household
                        WHERE key IN (\(databaseQuestionMarks(count: chunk.count)))
                        """,
                    arguments: StatementArguments(chunk))
                {
                    listed.indexed[row["key"]] = ListedHouseholds.Indexed(
                        village: row["village"],
                        enrolled: (row["programmes"] as String).split(separator: ",").map(String.init))
                }
            }
            return listed
        }
    }

    /// `values` in pieces small enough for one statement's parameters.
    static func chunks<Value>(_ values: [Value], of size: Int = 500) -> [ArraySlice<Value>] {
        stride(from: 0, to: values.count, by: size).map { values[$0..<min($0 + size, values.count)] }
    }
}
