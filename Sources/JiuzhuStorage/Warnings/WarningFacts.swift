import Foundation
import GRDB
import JiuzhuDomain

/// A household's enrolment in a programme as its record lists it.
public struct EnrolmentFact: Sendable, Hashable {
    public let household: String
    public let village: String
    public let programme: String

    public init(household: String, village: String, programme: String) {
        self.household = household
        self.village = village
        self.programme = programme
    }
}

/// A member of a registered household, as the registry index holds them.
public struct MemberFact: Sendable, Hashable {
    public let household: String
    public let village: String
    public let citizenID: String
    public let name: String
    /// `yyyymmdd`.
    public let birth: Int32
}

/// A registered household's per-capita monthly income, in fen, as the calculator counted it,
/// and as the sweep saw it last.
public struct IncomeFact: Sendable, Hashable {
    public let household: String
    public let village: String
    public let perCapitaIncome: Int64
    public let previous: Int64

    public init(household: String, village: String, perCapitaIncome: Int64, previous: Int64) {
        self.household = household
        self.village = village
        self.perCapitaIncome = perCapitaIncome
        self.previous = previous
    }
}

// What the sweep's rules read of the whole aggregate: set-based queries over the registry
// index and the case summaries, so that a pass over every household decodes only the
// households a rule fires for.
extension WarningStore {
    /// Every enrolment the household records within `division` list.
    public func enrolments(within division: DivisionCode) async throws -> [EnrolmentFact] {
        try await writer.read { db in
            let prefix = String(division.jurisdictionPrefix)
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT p.household_key, p.village, p.programme FROM registry_programme p
                    WHERE substr(p.village, 1, ?) = ?
                    """,
                arguments: [prefix.count, prefix]
            ).map { EnrolmentFact(household: $0[0], village: $0[1], programme: $0[2]) }
        }
    }

    /// Every closed case within `division` decided to enrol, continue, exit gradually or
    /// terminate, about a registered household.
    public func decidedCases(within division: DivisionCode) async throws -> [CaseSummaryRow] {
        try await writer.read { db in
            let prefix = String(division.jurisdictionPrefix)
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM case_summary WHERE substr(village, 1, ?) = ? AND closed = 1
                        AND household IS NOT NULL
                        AND outcome IN ('enrol', 'continueAssistance', 'gradualExit', 'terminate')
                    """,
                arguments: [prefix.count, prefix]
            ).map(CaseSummaryRow.init(row:))
        }
    }

    /// Open re-verifications within `division` overdue at `now` (milliseconds since 1970).
    public func overdueReverifications(within division: DivisionCode, at now: Int64) async throws -> [CaseSummaryRow] {
        try await writer.read { db in
            let prefix = String(division.jurisdictionPrefix)
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM case_summary WHERE closed = 0 AND overdue_from <= ? AND kind = 'reverification'
                        AND substr(village, 1, ?) = ? AND household IS NOT NULL
                    """,
                arguments: [now, prefix.count, prefix]
            ).map(CaseSummaryRow.init(row:))
        }
    }

    /// Registered households within `division` whose per-capita monthly income is now below
    /// `fen` and was not when the sweep last looked (``rememberIncomes()``).
    public func incomeDrops(within division: DivisionCode, below fen: Int64) async throws -> [IncomeFact] {
        try await writer.read { db in
            let prefix = String(division.jurisdictionPrefix)
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT h.key, h.village, h.per_capita_income, w.per_capita_income AS previous
                    FROM registry_household h CROSS JOIN warning_income w ON w.household = h.key
                    WHERE h.per_capita_income < ? AND w.per_capita_income >= ? AND substr(h.village, 1, ?) = ?
                    """,
                arguments: [fen, fen, prefix.count, prefix]
            ).map {
                IncomeFact(household: $0[0], village: $0[1], perCapitaIncome: $0[2], previous: $0[3])
            }
        }
    }

    /// Remembers every household's per-capita income as it stands now, for the next
    /// ``incomeDrops(within:below:)``; returns how many changed.
    @discardableResult
    public func rememberIncomes() async throws -> Int {
        try await writer.write { db in
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO warning_income (household, per_capita_income)
                    SELECT h.key, h.per_capita_income FROM registry_household h
                    LEFT JOIN warning_income w ON w.household = h.key
                    WHERE w.household IS NULL OR w.per_capita_income <> h.per_capita_income
                    """)
            return db.changesCount
        }
    }

    /// Members within `division` born from `earliest` to `latest` (`yyyymmdd`, both included).
    public func members(within division: DivisionCode, bornFrom earliest: Int32, to latest: Int32) async throws
        -> [MemberFact]
    {
        try await members(within: division, where: "p.birth_ordinal BETWEEN ? AND ?", [earliest, latest])
    }

    /// Members within `division` listed in more than one household, with every household.
    public func sharedMembers(within division: DivisionCode) async throws -> [MemberFact] {
        try await members(
            within: division,
            where: """
                p.citizen_id IN (
                    SELECT citizen_id FROM registry_person GROUP BY citizen_id HAVING COUNT(DISTINCT household_key) > 1)
                """, [])
    }

    /// The members of households within `division` that `condition` (over `p`, the person) picks.
    private func members(within division: DivisionCode, where condition: String, _ arguments: StatementArguments)
        async throws -> [MemberFact]
    {
        try await writer.read { db in
            let prefix = String(division.jurisdictionPrefix)
            var all = arguments
            _ = all.append(contentsOf: [prefix.count, prefix])
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT p.household_key, h.village, p.citizen_id, p.name, p.birth_ordinal FROM registry_person p
                    CROSS JOIN registry_household h ON h.key = p.household_key
                    WHERE \(condition) AND substr(h.village, 1, ?) = ?
                    ORDER BY p.citizen_id, p.household_key
                    """,
                arguments: all
            ).map {
                MemberFact(household: $0[0], village: $0[1], citizenID: $0[2], name: $0[3], birth: $0[4])
            }
        }
    }
}

extension WarningStore {
    /// Where what the record rules read stands: the last change-log positions of the registry
    /// and of casework, and how far the registry index has taken them in. Equal before and
    /// after a stretch of work, nothing the rules read changed in between.
    public func ruleInputsPosition() async throws -> [Int64] {
        try await writer.read { db in
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT (SELECT MAX(position) FROM change_log WHERE channel = 'registry'),
                        (SELECT MAX(position) FROM change_log WHERE channel = 'casework'),
                        (SELECT position FROM registry_index_state WHERE id = 1)
                    """)
            return (0..<3).map { (row?[$0] as Int64?) ?? 0 }
        }
    }

    /// The last change-log position of the registry and of casework: the sweep need not run
    /// again while neither moved (a commit on another channel wakes it too, from another process).
    public func registryAndCaseworkPosition() async throws -> Int64 {
        try await writer.read { db in
            try Int64.fetchOne(
                db,
                sql: """
                    SELECT MAX(p) FROM (
                        SELECT MAX(position) AS p FROM change_log WHERE channel = 'registry'
                        UNION ALL SELECT MAX(position) FROM change_log WHERE channel = 'casework')
                    """) ?? 0
        }
    }
}
