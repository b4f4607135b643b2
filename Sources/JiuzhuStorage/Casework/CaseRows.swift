import Foundation
import GRDB
import JiuzhuDomain

/// One replicated row of a case, as the store returns it for the case to be replayed.
public struct CaseRow: Sendable, Equatable {
    public let entity: String
    public let key: String
    /// The node that wrote it (the row's owner).
    public let origin: DivisionCode
    /// The hybrid logical clock of the write, for ordering steps taken at once on two nodes.
    public let clock: Int64
    public let payload: String
}

extension CaseRow {
    /// The row a change just written here has become (a deletion has none).
    public init?(_ change: Change) {
        guard let payload = change.payload else { return nil }
        self.init(
            entity: change.entity, key: change.key, origin: change.origin, clock: change.clock.rawValue,
            payload: payload)
    }
}

/// A step on a case that someone else took first: the case moved on since the caller read it.
public struct CaseConflict: Error, Equatable, Sendable, CustomStringConvertible {
    public let caseID: String
    /// The last step the caller saw, and the last step there is.
    public let expected: Int
    public let current: Int

    public init(caseID: String, expected: Int, current: Int) {
        self.caseID = caseID
        self.expected = expected
        self.current = current
    }

    public var description: String {
        "案件 \(caseID) 已有他人办理了新的环节（第 \(current) 步，您看到的是第 \(expected) 步），请刷新后再办理"
    }
}

/// A case the node does not hold (yet): unknown, or not replicated here.
public struct CaseNotFound: Error, Equatable, Sendable, CustomStringConvertible {
    public let caseID: String

    public init(caseID: String) { self.caseID = caseID }

    public var description: String { "本节点没有案件 \(caseID)" }
}

/// A case's opening that someone else revised first: the caller read an older version.
public struct CaseOpeningChanged: Error, Equatable, Sendable, CustomStringConvertible {
    public let caseID: String

    public init(caseID: String) { self.caseID = caseID }

    public var description: String { "案件 \(caseID) 的登记内容刚被他人修改，请重试" }
}

extension CaseworkStore {
    static let openedEntity = RowOwnership.CaseworkEntity.caseOpened.rawValue
    static let stepEntity = RowOwnership.CaseworkEntity.caseStep.rawValue

    /// Opens a case: takes the node's next case number, writes the rows `build` makes from it
    /// and the audit entry, in one transaction. Returns the number.
    public func openCase(
        audit: @escaping @Sendable (Int64) -> AuditRecord, build: @escaping @Sendable (Int64) throws -> [LocalChange]
    ) async throws -> Int64 {
        try await transaction { transaction in
            let number =
                (try Int64.fetchOne(transaction.db, sql: "SELECT last FROM case_counter WHERE id = 1") ?? 0) + 1
            try transaction.db.execute(sql: "UPDATE case_counter SET last = ? WHERE id = 1", arguments: [number])
            try transaction.log(try build(number))
            try OperatorStore.appendAudit(audit(number), in: &transaction)
            return number
        }
    }

    /// Adds rows to a case (a step, an escalation, photo parts) with their audit entry, in one
    /// transaction, provided the case's last step is still `expectedLastStep`: of two operators
    /// acting on one case at once, the second is told (``CaseConflict``) and writes nothing.
    @discardableResult
    public func appendRows(
        caseID: String, expectedLastStep: Int?, rows: [LocalChange], audit: AuditRecord?
    ) async throws -> [Change] {
        try await transaction { transaction in
            let db = transaction.db
            guard
                try Bool.fetchOne(
                    db, sql: "SELECT 1 FROM case_row WHERE case_id = ? AND entity = ? AND key = ?",
                    arguments: [caseID, Self.openedEntity, caseID]) == true
            else { throw CaseNotFound(caseID: caseID) }
            if let expectedLastStep {
                let current = try Self.lastStep(caseID, db)
                guard current == expectedLastStep else {
                    throw CaseConflict(caseID: caseID, expected: expectedLastStep, current: current)
                }
            }
            let logged = try transaction.log(rows)
            if let audit { try OperatorStore.appendAudit(audit, in: &transaction) }
            return logged
        }
    }

    /// Writes a new version of a case's opening (its owner adds to it: a death recorded on an
    /// open task) with its audit entry, in one transaction, provided the opening held is still
    /// `expected`: of two revisions at once, the second is told (``CaseOpeningChanged``) and
    /// writes nothing.
    public func reviseOpening(caseID: String, expected: String, row: LocalChange, audit: AuditRecord) async throws {
        guard row.entity == Self.openedEntity, row.key == caseID, row.channel == .casework else {
            throw StorageError.invalidChange(reason: "只能修改案件 \(caseID) 本身的登记")
        }
        try await transaction { transaction in
            let held = try String.fetchOne(
                transaction.db,
                sql: "SELECT payload FROM replica_row WHERE channel = 'casework' AND entity = ? AND key = ?",
                arguments: [Self.openedEntity, caseID])
            guard let held else { throw CaseNotFound(caseID: caseID) }
            guard held == expected else { throw CaseOpeningChanged(caseID: caseID) }
            try transaction.log([row])
            try OperatorStore.appendAudit(audit, in: &transaction)
        }
    }

    /// The highest step number written on the case, 0 before the first.
    public func lastStep(ofCase caseID: String) async throws -> Int {
        try await writer.read { db in try Self.lastStep(caseID, db) }
    }

    /// Counted only over steps addressed to the case's village, which only nodes holding the
    /// village can write, and with numbers in range: a row a stranger wrote naming the case
    /// cannot hold the case up.
    static func lastStep(_ caseID: String, _ db: Database) throws -> Int {
        try Int.fetchOne(
            db,
            sql: """
                SELECT MAX(s.step) FROM case_row s JOIN case_row o
                    ON o.case_id = s.case_id AND o.entity = ? AND o.key = s.case_id
                WHERE s.case_id = ? AND s.entity = ? AND s.jurisdiction = o.jurisdiction
                    AND s.step BETWEEN 1 AND ?
                """,
            arguments: [openedEntity, caseID, stepEntity, maximumSteps]) ?? 0
    }

    /// The most steps a case may have: far more than any real case takes.
    public static let maximumSteps = 1_000

    /// Every row of a case, in the order they were written here.
    public func rows(ofCase caseID: String) async throws -> [CaseRow] {
        try await writer.read { db in try Self.rows(caseID, db) }
    }

    /// The rows of many cases at once, by case.
    public func rows(ofCases caseIDs: [String]) async throws -> [String: [CaseRow]] {
        try await writer.read { db in
            var result: [String: [CaseRow]] = [:]
            for caseID in caseIDs { result[caseID] = try Self.rows(caseID, db) }
            return result
        }
    }

    /// From the case's own rows to the replicated rows by their keys: `CROSS JOIN` keeps SQLite
    /// to that order (without statistics it would scan every casework row for each case).
    static func rows(_ caseID: String, _ db: Database) throws -> [CaseRow] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT r.entity, r.key, r.origin, r.hlc, r.payload FROM case_row c
                CROSS JOIN replica_row r ON r.channel = 'casework' AND r.entity = c.entity AND r.key = c.key
                WHERE c.case_id = ? AND r.payload IS NOT NULL ORDER BY r.hlc, r.key
                """,
            arguments: [caseID]
        ).compactMap { row in
            guard let origin = try? DivisionCode(row["origin"]) else { return nil }
            return CaseRow(
                entity: row["entity"], key: row["key"], origin: origin, clock: row["hlc"], payload: row["payload"])
        }
    }

    /// The cases whose rows the log took in after `position` (written here or replicated), and
    /// the last position read.
    public func changedCases(after position: Int64, limit: Int) async throws -> (caseIDs: [String], through: Int64?) {
        try await writer.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT position,
                        CASE WHEN json_valid(payload) THEN json_extract(payload, '$.caseID') END AS case_id
                    FROM change_log WHERE channel = 'casework' AND position > ? ORDER BY position LIMIT ?
                    """,
                arguments: [position, limit])
            var seen: Set<String> = []
            var ids: [String] = []
            for row in rows {
                guard let id: String = row["case_id"], seen.insert(id).inserted else { continue }
                ids.append(id)
            }
            return (ids, rows.last?["position"])
        }
    }
}
