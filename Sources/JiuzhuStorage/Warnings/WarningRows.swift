import Foundation
import GRDB
import JiuzhuDomain

/// A warning's state as the index keeps it.
public struct WarningIndexRow: Sendable, Hashable {
    public let key: String
    public let rule: String
    public let household: String
    public let village: String
    public let person: String?
    /// How many times the warning has been raised: a dismissed warning whose evidence changed
    /// is raised again as the next generation.
    public let generation: Int
    /// `yyyymmdd`.
    public let raisedOn: Int32
    public let dueOn: Int32?
    /// The level that must act now: `village`, or the level it was escalated to.
    public let escalation: String
    public let evidenceHash: String
    /// `open`, `confirmed` or `dismissed`.
    public let status: String
    public let verifiedOn: Int32?
    /// The dismissal's reason code.
    public let reason: String?

    init(row: Row) {
        key = row["key"]
        rule = row["rule"]
        household = row["household"]
        village = row["village"]
        person = row["person"]
        generation = row["generation"]
        raisedOn = row["raised_on"]
        dueOn = row["due_on"]
        escalation = row["escalation"]
        evidenceHash = row["evidence_hash"]
        status = row["status"]
        verifiedOn = row["verified_on"]
        reason = row["reason"]
    }
}

/// Which warnings a list shows.
public struct WarningQuery: Sendable, Equatable {
    /// Warnings whose village lies here.
    public var within: DivisionCode
    public var status: String?
    public var rule: String?
    public var household: String?
    /// Only open warnings due before this day (`yyyymmdd`): overdue.
    public var dueBefore: Int32?
    public var limit: Int
    public var offset: Int

    public init(
        within: DivisionCode, status: String? = nil, rule: String? = nil, household: String? = nil,
        dueBefore: Int32? = nil, limit: Int = 100, offset: Int = 0
    ) {
        self.within = within
        self.status = status
        self.rule = rule
        self.household = household
        self.dueBefore = dueBefore
        self.limit = limit
        self.offset = offset
    }
}

/// A verification of a raising that is no longer the current one, or that was verified
/// already: the caller read an older state.
public struct WarningChanged: Error, Equatable, Sendable, CustomStringConvertible {
    public let key: String

    public init(key: String) { self.key = key }

    public var description: String { "预警 \(key) 刚刚已被核实或重新下发，请刷新后再办理" }
}

extension WarningStore {
    static let warningEntity = RowOwnership.WarningsEntity.warning.rawValue

    /// In one transaction: reads what is held of the warnings `keys`, lets `decide` build the
    /// rows to write from it (a new warning, a new version, or nothing), writes them, and marks
    /// the department records whose rules ran (`evaluated`), so that the same fact raised by
    /// two imports at once is still one warning.
    public func raise<Result: Sendable>(
        keys: [String], evaluated: [(feed: String, recordID: String)] = [],
        decide: @escaping @Sendable ([String: WarningIndexRow]) throws -> (rows: [LocalChange], result: Result)
    ) async throws -> Result {
        try await transaction { transaction in
            let db = transaction.db
            var held: [String: WarningIndexRow] = [:]
            let statement = try db.makeStatement(sql: "SELECT * FROM warning_index WHERE key = ?")
            for key in Set(keys) {
                if let row = try Row.fetchOne(statement, arguments: [key]) { held[key] = WarningIndexRow(row: row) }
            }
            let (rows, result) = try decide(held)
            try transaction.log(rows)
            let mark = try db.makeStatement(
                sql: "UPDATE feed_record SET evaluated = 1 WHERE feed = ? AND record_id = ?")
            for record in evaluated { try mark.execute(arguments: [record.feed, record.recordID]) }
            return result
        }
    }

    /// The warning `key`: its latest version's payload and its state.
    public func warning(_ key: String) async throws -> (payload: String, state: WarningIndexRow)? {
        try await writer.read { db in
            guard let state = try Row.fetchOne(db, sql: "SELECT * FROM warning_index WHERE key = ?", arguments: [key])
            else { return nil }
            guard
                let payload = try String.fetchOne(
                    db, sql: "SELECT payload FROM replica_row WHERE channel = 'warnings' AND entity = ? AND key = ?",
                    arguments: [Self.warningEntity, key])
            else { return nil }
            return (payload, WarningIndexRow(row: state))
        }
    }

    /// The payload of a verification row, if this node holds it.
    public func verification(_ key: String) async throws -> String? {
        try await writer.read { db in
            try String.fetchOne(
                db, sql: "SELECT payload FROM replica_row WHERE channel = 'warnings' AND entity = ? AND key = ?",
                arguments: [RowOwnership.WarningsEntity.warningVerification.rawValue, key])
        }
    }

    /// Warnings as `query` asks, overdue and open first, then the newest.
    public func list(_ query: WarningQuery) async throws -> [WarningIndexRow] {
        try await writer.read { db in
            let prefix = String(query.within.jurisdictionPrefix)
            var conditions = ["substr(village, 1, ?) = ?"]
            var arguments: StatementArguments = [prefix.count, prefix]
            if let status = query.status {
                conditions.append("status = ?")
                _ = arguments.append(contentsOf: [status])
            }
            if let rule = query.rule {
                conditions.append("rule = ?")
                _ = arguments.append(contentsOf: [rule])
            }
            if let household = query.household {
                conditions.append("household = ?")
                _ = arguments.append(contentsOf: [household])
            }
            if let dueBefore = query.dueBefore {
                conditions.append("status = 'open' AND due_on < ?")
                _ = arguments.append(contentsOf: [dueBefore])
            }
            _ = arguments.append(contentsOf: [query.limit, query.offset])
            // Without statistics SQLite may pick the rule's index and read every warning of
            // the rule for each household asked about.
            let index = query.household == nil ? "" : " INDEXED BY warning_index_by_household"
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM warning_index\(index) WHERE \(conditions.joined(separator: " AND "))
                    ORDER BY status <> 'open', due_on IS NULL, due_on, raised_on DESC, key LIMIT ? OFFSET ?
                    """,
                arguments: arguments
            ).map(WarningIndexRow.init(row:))
        }
    }

    /// The warnings of `rule` about any of `households`, in one read.
    public func warnings(ofHouseholds households: [String], rule: String) async throws -> [WarningIndexRow] {
        try await writer.read { db in
            var found: [WarningIndexRow] = []
            for chunk in Self.chunks(Array(Set(households))) {
                var arguments = StatementArguments(chunk)
                _ = arguments.append(contentsOf: [rule])
                found += try Row.fetchAll(
                    db,
                    sql: """
                        SELECT * FROM warning_index INDEXED BY warning_index_by_household
                        WHERE household IN (\(databaseQuestionMarks(count: chunk.count))) AND rule = ?
                        """,
                    arguments: arguments
                ).map(WarningIndexRow.init(row:))
            }
            return found
        }
    }

    /// Writes a verification row and its audit entry in one transaction, provided the warning
    /// is still open in raising `generation`; otherwise ``WarningChanged`` and nothing is written.
    public func verify(_ key: String, generation: Int, row: LocalChange, audit: AuditRecord) async throws {
        try await transaction { transaction in
            let state = try Row.fetchOne(
                transaction.db, sql: "SELECT status, generation FROM warning_index WHERE key = ?", arguments: [key])
            guard let state, state["status"] == "open", state["generation"] == generation else {
                throw WarningChanged(key: key)
            }
            try transaction.log([row])
            try OperatorStore.appendAudit(audit, in: &transaction)
        }
    }
}

/// Verified warnings of one rule in one month.
public struct WarningOutcomeCount: Sendable, Hashable {
    public let rule: String
    /// `yyyymm`.
    public let month: Int
    public let confirmed: Int
    public let dismissed: Int
}

extension WarningStore {
    /// Each rule's confirmed and dismissed warnings per month of verification, within `division`.
    public func outcomes(within division: DivisionCode) async throws -> [WarningOutcomeCount] {
        try await writer.read { db in
            let prefix = String(division.jurisdictionPrefix)
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT rule, verified_on / 100 AS month,
                        SUM(status = 'confirmed') AS confirmed, SUM(status = 'dismissed') AS dismissed
                    FROM warning_index WHERE status <> 'open' AND verified_on IS NOT NULL AND substr(village, 1, ?) = ?
                    GROUP BY rule, month ORDER BY month DESC, rule
                    """,
                arguments: [prefix.count, prefix]
            ).map {
                WarningOutcomeCount(
                    rule: $0["rule"], month: $0["month"], confirmed: $0["confirmed"], dismissed: $0["dismissed"])
            }
        }
    }
}
