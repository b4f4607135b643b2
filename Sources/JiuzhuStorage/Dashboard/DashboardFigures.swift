import Foundation
import GRDB
import JiuzhuDomain

/// Recipient households of one division that share what their record lists and what the
/// decisions on them say: the dashboard counts these groups, never single households.
///
/// A household's programmes in receipt are its record's enrolments, except that a programme
/// with a decision follows its latest decision (see ``DashboardStore``).
public struct RecipientGroup: Sendable, Equatable {
    /// The first `childLength` digits of the households' village: the child division.
    public let division: String
    /// The programme codes the household record lists as enrolments.
    public let registered: Set<String>
    /// The programmes with a decision that enrols, continues, begins a gradual exit or terminates.
    public let decided: Set<String>
    /// Of `decided`, those whose latest decision keeps the household receiving the programme.
    public let receiving: Set<String>
    public let households: Int
    /// The members of those households.
    public let persons: Int

    public init(
        division: String, registered: Set<String>, decided: Set<String>, receiving: Set<String>, households: Int,
        persons: Int
    ) {
        self.division = division
        self.registered = registered
        self.decided = decided
        self.receiving = receiving
        self.households = households
        self.persons = persons
    }

    /// The programmes the households receive: what the record lists and no decision has spoken
    /// on, and what the latest decision keeps.
    public var inReceipt: Set<String> { registered.subtracting(decided).union(receiving) }
}

/// Decisions of one month (`YYYY-MM`), by `decided_on`.
public struct DecisionMonth: Sendable, Equatable {
    public let month: String
    /// Cases decided to enrol (批准纳入).
    public var enrolled: Int
    /// Cases decided to begin a gradual exit (渐退).
    public var gradualExits: Int
    /// Cases decided to terminate (停止救助).
    public var terminated: Int
    /// Households that began receiving at least one programme by decision in the month, less
    /// those that stopped receiving every programme they had by decision.
    public var netReceiving: Int

    public init(month: String, enrolled: Int, gradualExits: Int, terminated: Int, netReceiving: Int) {
        self.month = month
        self.enrolled = enrolled
        self.gradualExits = gradualExits
        self.terminated = terminated
        self.netReceiving = netReceiving
    }
}

/// Decisions month by month over a window, and where the count of households receiving by
/// decision stood before it.
public struct DecisionTrend: Sendable, Equatable {
    /// Households receiving a programme by decision at the end of the day before the window.
    public let receivingBefore: Int
    /// The months of the window that had a decision, oldest first.
    public let months: [DecisionMonth]

    public init(receivingBefore: Int, months: [DecisionMonth]) {
        self.receivingBefore = receivingBefore
        self.months = months
    }
}

/// The recipients of a scope and its decisions by month, read together (one snapshot, one
/// pass over the decisions).
public struct RecipientCounts: Sendable, Equatable {
    public let groups: [RecipientGroup]
    public let trend: DecisionTrend

    public init(groups: [RecipientGroup], trend: DecisionTrend) {
        self.groups = groups
        self.trend = trend
    }
}

/// The aggregate counts the dashboard shows, as the dashboard service uses them.
public protocol DashboardRepository: Sendable {
    /// The node whose data this is.
    var owner: NodeDatabase.Owner { get }
    /// The node's clock.
    var wallClock: NodeClock { get }
    /// Recipient households inside `scope`, grouped by the first `childLength` digits of their
    /// village and by what the register and the decisions say; and the decisions inside `scope`
    /// by month from `trendFrom` through `through`.
    func recipients(
        within scope: DivisionCode, childLength: Int, programmes: [String], trendFrom: CivilDate, through: CivilDate
    ) async throws -> RecipientCounts
    /// Open and overdue cases by division one level below `scope`.
    func caseCounts(within scope: DivisionCode, at now: Int64) async throws -> [CaseCount]
    /// Warnings inside `scope` by the first `childLength` digits of their village, rule and
    /// status, with the open ones past their deadline on `today`, and the open ones raised on or
    /// after each day of `raisedSince` (`yyyymmdd`, newest first), for their age.
    func warningCounts(within scope: DivisionCode, childLength: Int, today: Int32, raisedSince: [Int32])
        async throws -> [WarningCount]
}

/// Warnings of one division, rule and status.
public struct WarningCount: Sendable, Hashable {
    public let division: String
    public let rule: String
    public let status: String
    public let count: Int
    /// Open and past the deadline.
    public let overdue: Int
    /// Open and raised on or after each day asked about.
    public let raisedSince: [Int]
}

/// Aggregate figures over the registry index and the case summaries, for the dashboard, read
/// without a household's record.
///
/// Which source counts: a household's record lists the programmes it is enrolled in (the
/// register as a village keeps it or imported it); a casework decision is the legal act. The
/// latest decision on a household and programme (of two on one day, the later opened case's, as
/// `CaseService` reads them) is authoritative where there is one: enrolled, continued or in
/// gradual exit keeps the household receiving, a termination ends it, whatever the record says.
/// Where no decision has spoken, the record's enrolment counts. A decided household is counted
/// where this node's registry index holds it (every case's household is a registered one).
///
/// How, at the city's 250,000 households within its time: the register is counted per child
/// division by a range of the primary key (a household's key begins with its village), grouped
/// by its enrolments' text — a few thousand rows each, not one sort of every household; the
/// decisions are read once, in order, and both the latest decision of each household and
/// programme and the month-by-month changes come from that one pass; the decided households'
/// index rows are then moved from the group their record put them in to the one their decisions
/// do.
///
/// ```swift
/// let store = DashboardStore(database: database)
/// let counts = try await store.recipients(
///     within: city, childLength: 6, programmes: ["dibao", "orphan"], trendFrom: april, through: today)
/// ```
public struct DashboardStore: NodeStore, DashboardRepository {
    let core: StoreCore

    public init(database: NodeDatabase) {
        core = database.core
    }

    /// The outcomes that decide whether a household receives a programme (a refusal decides
    /// nothing about a recipient).
    static let recipientOutcomes = "('enrol', 'continueAssistance', 'gradualExit', 'terminate')"

    public func recipients(
        within scope: DivisionCode, childLength: Int, programmes: [String], trendFrom: CivilDate, through: CivilDate
    ) async throws -> RecipientCounts {
        let prefix = String(scope.jurisdictionPrefix)
        let codes = Programmes(programmes)
        let window = (from: trendFrom.description, through: through.description)
        return try await writer.read { db in
            var masks = MaskCache(codes)
            var groups = try Self.register(db, prefix: prefix, childLength: childLength, masks: &masks)
            let decisions = try Self.decisions(db, prefix: prefix, codes: codes, masks: &masks, window: window)
            // The decided households the index holds, moved from the group their record put them
            // in to the one their decisions do.
            for household in decisions.households where household.village.hasPrefix(prefix) {
                let division = String(household.village.prefix(childLength))
                if household.registered != 0 {
                    groups[GroupKey(division: division, registered: household.registered), default: Tally()].add(
                        -1, -household.members)
                }
                groups[
                    GroupKey(
                        division: division, registered: household.registered, decided: household.decided,
                        receiving: household.receiving),
                    default: Tally()
                ].add(1, household.members)
            }
            return RecipientCounts(
                groups: groups.filter { $0.value.households > 0 }.map { key, tally in
                    RecipientGroup(
                        division: key.division, registered: codes.set(key.registered),
                        decided: codes.set(key.decided), receiving: codes.set(key.receiving),
                        households: tally.households, persons: tally.persons)
                }.sorted { ($0.division, $0.households) < ($1.division, $1.households) },
                trend: decisions.trend)
        }
    }

    /// The register's recipients per child division, by the programmes their record lists: the
    /// divisions found by skipping through the village index, then each one's households by
    /// their keys' range.
    static func register(_ db: Database, prefix: String, childLength: Int, masks: inout MaskCache) throws
        -> [GroupKey: Tally]
    {
        var groups: [GroupKey: Tally] = [:]
        var cursor = prefix
        while let village = try String.fetchOne(
            db,
            sql: "SELECT village FROM registry_household WHERE village >= ? AND village < ? ORDER BY village LIMIT 1",
            arguments: [cursor, prefix + ":"])
        {
            let division = String(village.prefix(childLength))
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT programmes, COUNT(*), SUM(member_count) FROM registry_household
                    WHERE key >= ? AND key < ? AND programmes <> ',,'
                    GROUP BY programmes
                    """,
                arguments: [division, division + ":"])
            while let row = try rows.next() {
                groups[GroupKey(division: division, registered: masks.mask(row[0])), default: Tally()].add(
                    row[1], row[2])
            }
            cursor = division + ":"
        }
        return groups
    }

    /// A decided household as the index holds it, with what its decisions say (masks).
    struct DecidedHousehold {
        let village: String
        let registered: Int
        let members: Int
        var decided = 0
        var receiving = 0
    }

    /// What the decisions say: each decided household's programmes by their latest decision
    /// (with its index row, where the index holds it), and the month-by-month counts, from one
    /// pass over the decisions in each household's order.
    static func decisions(
        _ db: Database, prefix: String, codes: Programmes, masks: inout MaskCache,
        window: (from: String, through: String)
    ) throws -> (households: [DecidedHousehold], trend: DecisionTrend) {
        var households: [DecidedHousehold] = []
        var months: [String: DecisionMonth] = [:]
        var receivingBefore = 0
        func count(_ day: String, _ change: (inout DecisionMonth) -> Void) {
            let month = String(day.prefix(7))
            var entry =
                months[month]
                ?? DecisionMonth(month: month, enrolled: 0, gradualExits: 0, terminated: 0, netReceiving: 0)
            change(&entry)
            months[month] = entry
        }
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT c.household, c.programme, c.outcome, c.decided_on, h.village, h.programmes, h.member_count
                FROM case_summary c LEFT JOIN registry_household h ON h.key = c.household
                WHERE c.closed = 1 AND c.decided_on IS NOT NULL AND c.outcome IN \(recipientOutcomes)
                    AND c.village >= ? AND c.village < ?
                ORDER BY c.household, c.decided_on, c.opened_on, c.case_id
                """,
            arguments: [prefix, prefix + ":"])
        // The household being read: its index row (nil when the index does not hold it), its
        // programmes decided and received, and whether it received anything as of the last
        // decision read (up to the window's end).
        var currentKey: String?
        var indexed: (village: String, registered: Int, members: Int)?
        var decided = 0
        var receiving = 0
        var wasReceiving = false
        func finish() {
            guard let indexed else { return }
            households.append(
                DecidedHousehold(
                    village: indexed.village, registered: indexed.registered, members: indexed.members,
                    decided: decided, receiving: receiving))
        }
        while let row = try rows.next() {
            let day: String = row[3]
            let outcome: String = row[2]
            let inWindow = day >= window.from && day <= window.through
            if inWindow {
                switch outcome {
                case "enrol": count(day) { $0.enrolled += 1 }
                case "gradualExit": count(day) { $0.gradualExits += 1 }
                case "terminate": count(day) { $0.terminated += 1 }
                default: break
                }
            }
            guard let key: String = row[0], let bit = codes.bits[row[1] as String] else { continue }
            if key != currentKey {
                finish()
                currentKey = key
                indexed = (row[4] as String?).map { ($0, masks.mask(row[5]), row[6]) }
                (decided, receiving, wasReceiving) = (0, 0, false)
            }
            decided |= bit
            receiving = outcome == "terminate" ? receiving & ~bit : receiving | bit
            guard day <= window.through, (receiving != 0) != wasReceiving else { continue }
            wasReceiving = receiving != 0
            if inWindow {
                count(day) { $0.netReceiving += wasReceiving ? 1 : -1 }
            } else {
                receivingBefore += wasReceiving ? 1 : -1
            }
        }
        finish()
        return (
            households,
            DecisionTrend(receivingBefore: receivingBefore, months: months.values.sorted { $0.month < $1.month })
        )
    }

    public func caseCounts(within scope: DivisionCode, at now: Int64) async throws -> [CaseCount] {
        try await CaseworkStore(core: core).counts(within: scope, at: now)
    }

    public func warningCounts(within scope: DivisionCode, childLength: Int, today: Int32, raisedSince: [Int32])
        async throws -> [WarningCount]
    {
        try await writer.read { db in
            let prefix = String(scope.jurisdictionPrefix)
            let ages = raisedSince.map { _ in ", SUM(status = 'open' AND raised_on >= ?)" }.joined()
            var arguments: StatementArguments = [childLength, today]
            _ = arguments.append(contentsOf: StatementArguments(raisedSince))
            _ = arguments.append(contentsOf: [prefix.count, prefix])
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT substr(village, 1, ?) AS division, rule, status, COUNT(*),
                        SUM(status = 'open' AND due_on < ?)\(ages)
                    FROM warning_index WHERE substr(village, 1, ?) = ? GROUP BY division, rule, status
                    """,
                arguments: arguments
            ).map { row in
                WarningCount(
                    division: row[0], rule: row[1], status: row[2], count: row[3], overdue: row[4],
                    raisedSince: (0..<raisedSince.count).map { row[5 + $0] })
            }
        }
    }

    /// Households of one division that their record and their decisions put alike (masks of
    /// ``Programmes``; no decision: `decided` and `receiving` 0).
    struct GroupKey: Hashable {
        let division: String
        let registered: Int
        var decided = 0
        var receiving = 0
    }

    /// Households and their members, counted.
    struct Tally {
        var households = 0
        var persons = 0

        mutating func add(_ households: Int, _ persons: Int) {
            self.households += households
            self.persons += persons
        }
    }

    /// Programme codes as bits, so that a household's programmes are one number to compare,
    /// hash and combine. A code the caller did not name (none is stored) is no programme.
    struct Programmes {
        let codes: [String]
        let bits: [String: Int]

        init(_ codes: [String]) {
            self.codes = Array(codes.prefix(Int.bitWidth - 1))
            bits = Dictionary(
                self.codes.enumerated().map { ($0.element, 1 << $0.offset) }, uniquingKeysWith: { first, _ in first })
        }

        /// The mask of an index row's `,dibao,orphan,`.
        func mask(_ text: String) -> Int {
            text.split(separator: ",").reduce(0) { $0 | (bits[String($1)] ?? 0) }
        }

        func set(_ mask: Int) -> Set<String> {
            Set(codes.indices.filter { mask & (1 << $0) != 0 }.map { codes[$0] })
        }
    }

    /// Masks of the enrolment texts met so far: a register has a few dozen different ones.
    struct MaskCache {
        let codes: Programmes
        var known: [String: Int] = [:]

        init(_ codes: Programmes) { self.codes = codes }

        mutating func mask(_ text: String) -> Int {
            if let mask = known[text] { return mask }
            let mask = codes.mask(text)
            known[text] = mask
            return mask
        }
    }
}
