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

/// A registered household's per-capita monthly income, in fen, as the calculator counted it.
public struct IncomeFact: Sendable, Hashable {
    public let household: String
    public let village: String
    public let perCapitaIncome: Int64
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

    /// Registered households within `division` whose per-capita monthly income is below `fen`.
    public func households(within division: DivisionCode, perCapitaIncomeBelow fen: Int64) async throws
        -> [IncomeFact]
    {
        try await writer.read { db in
            let prefix = String(division.jurisdictionPrefix)
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT key, village, per_capita_income FROM registry_household
                    WHERE per_capita_income < ? AND substr(village, 1, ?) = ?
                    """,
                arguments: [fen, prefix.count, prefix]
            ).map { IncomeFact(household: $0[0], village: $0[1], perCapitaIncome: $0[2]) }
        }
    }

    /// Members within `division` born from `earliest` to `latest` (`yyyymmdd`, both included).
    public func members(within division: DivisionCode, bornFrom earliest: Int32, to latest: Int32) async throws
        -> [MemberFact]
    {
        try await writer.read { db in
            let prefix = String(division.jurisdictionPrefix)
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT p.household_key, h.village, p.citizen_id, p.name, p.birth_ordinal FROM registry_person p
                    CROSS JOIN registry_household h ON h.key = p.household_key
                    WHERE p.birth_ordinal BETWEEN ? AND ? AND substr(h.village, 1, ?) = ?
                    """,
                arguments: [earliest, latest, prefix.count, prefix]
            ).map {
                MemberFact(household: $0[0], village: $0[1], citizenID: $0[2], name: $0[3], birth: $0[4])
            }
        }
    }

    /// Members within `division` listed in more than one household, with every household.
    public func sharedMembers(within division: DivisionCode) async throws -> [MemberFact] {
        try await writer.read { db in
            let prefix = String(division.jurisdictionPrefix)
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT p.household_key, h.village, p.citizen_id, p.name, p.birth_ordinal FROM registry_person p
                    CROSS JOIN registry_household h ON h.key = p.household_key
                    WHERE p.citizen_id IN (
                        SELECT citizen_id FROM registry_person GROUP BY citizen_id
                        HAVING COUNT(DISTINCT household_key) > 1)
                        AND substr(h.village, 1, ?) = ?
                    ORDER BY p.citizen_id, p.household_key
                    """,
                arguments: [prefix.count, prefix]
            ).map {
                MemberFact(household: $0[0], village: $0[1], citizenID: $0[2], name: $0[3], birth: $0[4])
            }
        }
    }
}
