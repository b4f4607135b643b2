import Foundation
import GRDB
import JiuzhuDomain

/// What lists, queues and sweeps need of one case, kept by the case indexer from the case's
/// rows; never replicated (every node derives its own from the same rows).
public struct CaseSummaryRow: Sendable, Equatable {
    public let caseID: String
    public let village: DivisionCode
    public let kind: String
    public let programme: String
    public let stage: String
    /// The level whose operators act next, nil when closed.
    public let holderLevel: DivisionLevel?
    public let closed: Bool
    /// The last day of the step the case waits for.
    public let dueOn: CivilDate?
    /// When the step becomes overdue, milliseconds since 1970.
    public let overdueFrom: Int64?
    /// Whether the deadline was counted over a year with no final calendar.
    public let provisional: Bool
    /// Whether the overdue step was escalated to the level above.
    public let escalated: Bool
    public let lastStep: Int
    public let openedOn: CivilDate
    public let applicant: String
    public let household: String?
    /// The node that took the application.
    public let takenAt: DivisionCode
    public let updatedAt: Int64
    /// What was decided, and when: re-verification is scheduled from them.
    public let outcome: String?
    public let decidedOn: CivilDate?
    /// The case as its steps left it, kept so that new rules (a calendar, a time limit) recount
    /// the deadline without replaying the case; nil in summaries written before it was kept.
    /// Decoded only when asked for: lists and sweeps read many summaries and need none.
    public var state: CaseState? { stateText.flatMap(CaseStateColumn.decode) }
    let stateText: String?

    public init(
        caseID: String, village: DivisionCode, kind: String, programme: String, stage: String,
        holderLevel: DivisionLevel?, closed: Bool, dueOn: CivilDate?, overdueFrom: Int64?, provisional: Bool,
        escalated: Bool, lastStep: Int, openedOn: CivilDate, applicant: String, household: String?,
        takenAt: DivisionCode, updatedAt: Int64, outcome: String? = nil, decidedOn: CivilDate? = nil,
        state: CaseState? = nil
    ) {
        self.caseID = caseID
        self.village = village
        self.kind = kind
        self.programme = programme
        self.stage = stage
        self.holderLevel = holderLevel
        self.closed = closed
        self.dueOn = dueOn
        self.overdueFrom = overdueFrom
        self.provisional = provisional
        self.escalated = escalated
        self.lastStep = lastStep
        self.openedOn = openedOn
        self.applicant = applicant
        self.household = household
        self.takenAt = takenAt
        self.updatedAt = updatedAt
        self.outcome = outcome
        self.decidedOn = decidedOn
        self.stateText = state.flatMap(CaseStateColumn.encode)
    }

    init(row: Row) throws {
        caseID = row["case_id"]
        village = try DivisionCode(row["village"])
        kind = row["kind"]
        programme = row["programme"]
        stage = row["stage"]
        holderLevel = (row["holder_level"] as String?).flatMap(DivisionLevel.init(rawValue:))
        closed = row["closed"]
        dueOn = (row["due_on"] as String?).flatMap { try? CivilDate($0) }
        overdueFrom = row["overdue_from"]
        provisional = row["provisional"]
        escalated = row["escalated"]
        lastStep = row["last_step"]
        openedOn = (try? CivilDate(row["opened_on"] as String)) ?? .earliest
        applicant = row["applicant"]
        household = row["household"]
        takenAt = try DivisionCode(row["taken_at"])
        updatedAt = row["updated_at"]
        outcome = row["outcome"]
        decidedOn = (row["decided_on"] as String?).flatMap { try? CivilDate($0) }
        stateText = row["state"]
    }
}

/// An open case's deadline as summarised, with the state it was counted from.
public struct CaseDeadlineRow: Sendable, Equatable {
    public let caseID: String
    public let stage: String
    public var dueOn: CivilDate?
    public var overdueFrom: Int64?
    public var provisional: Bool
    /// Nil when the summary predates kept states: the case must be replayed.
    public let state: CaseState?

    public init(
        caseID: String, stage: String, dueOn: CivilDate?, overdueFrom: Int64?, provisional: Bool, state: CaseState?
    ) {
        self.caseID = caseID
        self.stage = stage
        self.dueOn = dueOn
        self.overdueFrom = overdueFrom
        self.provisional = provisional
        self.state = state
    }
}

/// A case state as the summary keeps it: JSON text.
enum CaseStateColumn {
    static func encode(_ state: CaseState) -> String? {
        (try? JSONEncoder().encode(state)).map { String(decoding: $0, as: UTF8.self) }
    }

    static func decode(_ text: String) -> CaseState? {
        try? JSONDecoder().decode(CaseState.self, from: Data(text.utf8))
    }
}

/// Which cases a list shows.
public struct CaseQuery: Sendable, Equatable {
    /// Cases whose village lies here.
    public var within: DivisionCode
    /// Only cases whose next step is held at this level.
    public var holderLevel: DivisionLevel?
    public var openOnly: Bool
    /// Only cases overdue at this instant (milliseconds since 1970).
    public var overdueAt: Int64?
    public var limit: Int
    public var offset: Int

    public init(
        within: DivisionCode, holderLevel: DivisionLevel? = nil, openOnly: Bool = true, overdueAt: Int64? = nil,
        limit: Int = 100, offset: Int = 0
    ) {
        self.within = within
        self.holderLevel = holderLevel
        self.openOnly = openOnly
        self.overdueAt = overdueAt
        self.limit = limit
        self.offset = offset
    }
}

/// Open and overdue steps of one division, for the counts every level sees.
public struct CaseCount: Sendable, Equatable {
    public let division: String
    public let open: Int
    public let overdue: Int
}

extension CaseworkStore {
    /// Where the indexer stands: the last log position it read, and the rules (policy and
    /// calendar) the summaries were computed with.
    public func indexState() async throws -> (position: Int64, rules: String) {
        try await writer.read { db in
            let row = try Row.fetchOne(db, sql: "SELECT position, rules FROM case_index_state WHERE id = 1")
            return (row?["position"] ?? 0, row?["rules"] ?? "")
        }
    }

    /// Writes summaries and moves the indexer on, in one transaction; audits each deadline
    /// that moved for a reason other than a step (a new calendar or policy), as `audits` says.
    public func saveSummaries(
        _ summaries: [CaseSummaryRow], through position: Int64?, rules: String?, audits: [AuditRecord] = []
    ) async throws {
        try await transaction { transaction in
            let db = transaction.db
            // One prepared statement for the batch: a recomputation writes every open case.
            let statement = try db.cachedStatement(
                sql: """
                    INSERT OR REPLACE INTO case_summary (case_id, village, kind, programme, stage, holder_level,
                        closed, due_on, overdue_from, provisional, escalated, last_step, opened_on, applicant,
                        household, taken_at, updated_at, outcome, decided_on, state)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            for summary in summaries {
                try statement.execute(arguments: [
                    summary.caseID, summary.village.digits, summary.kind, summary.programme, summary.stage,
                    summary.holderLevel?.rawValue, summary.closed, summary.dueOn?.description, summary.overdueFrom,
                    summary.provisional, summary.escalated, summary.lastStep, summary.openedOn.description,
                    summary.applicant, summary.household, summary.takenAt.digits, summary.updatedAt,
                    summary.outcome, summary.decidedOn?.description, summary.stateText,
                ])
            }
            if let position {
                try db.execute(sql: "UPDATE case_index_state SET position = ? WHERE id = 1", arguments: [position])
            }
            if let rules {
                try db.execute(sql: "UPDATE case_index_state SET rules = ? WHERE id = 1", arguments: [rules])
            }
            try OperatorStore.appendAudits(audits, in: &transaction)
        }
    }

    /// One case's summary.
    public func summary(ofCase caseID: String) async throws -> CaseSummaryRow? {
        try await writer.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM case_summary WHERE case_id = ?", arguments: [caseID])
                .map(CaseSummaryRow.init(row:))
        }
    }

    /// Cases in a jurisdiction: overdue first, then by deadline, then newest.
    public func summaries(_ query: CaseQuery) async throws -> [CaseSummaryRow] {
        try await writer.read { db in
            var conditions = ["substr(village, 1, ?) = ?"]
            let prefix = String(query.within.jurisdictionPrefix)
            var arguments: StatementArguments = [prefix.count, prefix]
            if query.openOnly { conditions.append("closed = 0") }
            if let level = query.holderLevel {
                conditions.append("holder_level = ?")
                _ = arguments.append(contentsOf: [level.rawValue])
            }
            if let overdueAt = query.overdueAt {
                conditions.append("overdue_from <= ?")
                _ = arguments.append(contentsOf: [overdueAt])
            }
            _ = arguments.append(contentsOf: [query.limit, query.offset])
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM case_summary WHERE \(conditions.joined(separator: " AND "))
                    ORDER BY closed, overdue_from IS NULL, overdue_from, opened_on DESC, case_id
                    LIMIT ? OFFSET ?
                    """,
                arguments: arguments
            ).map(CaseSummaryRow.init(row:))
        }
    }

    /// Cases of `village` about a registered household decided to enrol, continue, exit
    /// gradually or terminate, closed: the latest of each household and programme says whether
    /// it still receives the programme, and what re-verification is scheduled from. (A refused
    /// application ends nothing.)
    public func decisions(village: DivisionCode) async throws -> [CaseSummaryRow] {
        try await writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM case_summary WHERE village = ? AND closed = 1 AND household IS NOT NULL
                        AND outcome IN ('enrol', 'continueAssistance', 'gradualExit', 'terminate')
                    """,
                arguments: [village.digits]
            ).map(CaseSummaryRow.init(row:))
        }
    }

    /// Every open case's deadline and kept state, for recounting deadlines after the rules
    /// changed.
    public func openCaseDeadlines() async throws -> [CaseDeadlineRow] {
        try await writer.read { db in
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT case_id, stage, due_on, overdue_from, provisional, state FROM case_summary
                    WHERE closed = 0
                    """)
            var result: [CaseDeadlineRow] = []
            while let row = try rows.next() {
                result.append(
                    CaseDeadlineRow(
                        caseID: row["case_id"], stage: row["stage"],
                        dueOn: (row["due_on"] as String?).flatMap { try? CivilDate($0) },
                        overdueFrom: row["overdue_from"], provisional: row["provisional"],
                        state: (row["state"] as String?).flatMap(CaseStateColumn.decode)))
            }
            return result
        }
    }

    /// Writes recounted deadlines and the rules they were counted with, and audits them, in one
    /// transaction.
    public func saveDeadlines(_ deadlines: [CaseDeadlineRow], rules: String, audits: [AuditRecord]) async throws {
        try await transaction { transaction in
            let statement = try transaction.db.cachedStatement(
                sql: "UPDATE case_summary SET due_on = ?, overdue_from = ?, provisional = ? WHERE case_id = ?")
            for deadline in deadlines {
                try statement.execute(arguments: [
                    deadline.dueOn?.description, deadline.overdueFrom, deadline.provisional, deadline.caseID,
                ])
            }
            try transaction.db.execute(sql: "UPDATE case_index_state SET rules = ? WHERE id = 1", arguments: [rules])
            try OperatorStore.appendAudits(audits, in: &transaction)
        }
    }

    /// Open steps held at `level` inside `within` that are overdue at `now` and not yet escalated.
    public func overdueUnescalated(within: DivisionCode, holderLevel: DivisionLevel, at now: Int64) async throws
        -> [CaseSummaryRow]
    {
        try await summaries(CaseQuery(within: within, holderLevel: holderLevel, overdueAt: now, limit: 10_000))
            .filter { !$0.escalated }
    }

    /// Open and overdue cases by division one level below `within` (by village for a township).
    public func counts(within: DivisionCode, at now: Int64) async throws -> [CaseCount] {
        let length = within.level.childLevel.map(Self.codeLength) ?? within.digits.count
        return try await writer.read { db in
            let prefix = String(within.jurisdictionPrefix)
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT substr(village, 1, ?) AS division, COUNT(*) AS open,
                        SUM(CASE WHEN overdue_from <= ? THEN 1 ELSE 0 END) AS overdue
                    FROM case_summary WHERE closed = 0 AND substr(village, 1, ?) = ?
                    GROUP BY division ORDER BY division
                    """,
                arguments: [length, now, prefix.count, prefix]
            ).map { CaseCount(division: $0["division"], open: $0["open"], overdue: $0["overdue"]) }
        }
    }

    static func codeLength(_ level: DivisionLevel) -> Int {
        switch level {
        case .city: 4
        case .county: 6
        case .township: 9
        case .village: 12
        }
    }
}
