import Foundation
import GRDB
import JiuzhuDomain

/// Recipient households of one division that share what their record lists and what the
/// decisions on them say: the dashboard counts these groups, never single households.
///
/// A household's programmes in receipt are its record's enrolments, except that a programme
/// with a decision follows its latest decision (see ``DashboardStore/recipientGroups(within:childLength:programmes:)``).
public struct RecipientGroup: Sendable, Equatable {
    /// The first `childLength` digits of the households' village: the child division.
    public let division: String
    /// The programme codes the household record lists as enrolments (`registry_programme`).
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
    public let enrolled: Int
    /// Cases decided to begin a gradual exit (渐退).
    public let gradualExits: Int
    /// Cases decided to terminate (停止救助).
    public let terminated: Int
    /// Households that began receiving at least one programme by decision in the month, less
    /// those that stopped receiving every programme they had by decision.
    public let netReceiving: Int

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

/// The aggregate counts the dashboard shows, as the dashboard service uses them.
public protocol DashboardRepository: Sendable {
    /// The node whose data this is.
    var owner: NodeDatabase.Owner { get }
    /// The node's clock.
    var wallClock: NodeClock { get }
    /// Recipient households inside `scope`, grouped by the first `childLength` digits of their
    /// village and by what the register and the decisions say.
    func recipientGroups(within scope: DivisionCode, childLength: Int, programmes: [String]) async throws
        -> [RecipientGroup]
    /// Decisions inside `scope` by month from `from` through `through`.
    func decisionTrend(within scope: DivisionCode, from: CivilDate, through: CivilDate) async throws -> DecisionTrend
    /// Open and overdue cases by division one level below `scope`.
    func caseCounts(within scope: DivisionCode, at now: Int64) async throws -> [CaseCount]
}

/// Aggregate figures over the registry index and the case summaries, for the dashboard: one
/// `GROUP BY` each, so the city answers over its whole register without reading a household.
///
/// Which source counts: a household's record lists the programmes it is enrolled in (the
/// register as a village keeps it or imported it); a casework decision is the legal act. The
/// latest decision on a household and programme (of two on one day, the later opened case's, as
/// `CaseService` reads them) is authoritative where there is one: enrolled, continued or in
/// gradual exit keeps the household receiving, a termination ends it, whatever the record says.
/// Where no decision has spoken, the record's enrolment counts. A decided household is counted
/// where this node's registry index holds it (every case's household is a registered one).
///
/// ```swift
/// let store = DashboardStore(database: database)
/// let groups = try await store.recipientGroups(within: city, childLength: 6, programmes: ["dibao", "orphan"])
/// ```
public struct DashboardStore: NodeStore, DashboardRepository {
    let core: StoreCore

    public init(database: NodeDatabase) {
        core = database.core
    }

    /// The outcomes that decide whether a household receives a programme (a refusal decides
    /// nothing about a recipient).
    static let recipientOutcomes = "('enrol', 'continueAssistance', 'gradualExit', 'terminate')"

    public func recipientGroups(within scope: DivisionCode, childLength: Int, programmes: [String]) async throws
        -> [RecipientGroup]
    {
        // Programme codes as bits, so that a household's decided programmes are one number
        // to group by. Codes the caller did not name (none are stored) count as none.
        let codes = Array(programmes.prefix(62))
        let bits =
            codes.isEmpty
            ? "SELECT '', 0" : codes.indices.map { "SELECT ?, \(1 << $0)" }.joined(separator: " UNION ALL ")
        let cases = scopeCondition(scope, column: "village", wholeNode: false)
        let households = scopeCondition(scope, column: "h.village", wholeNode: true)
        let sql = """
            WITH codes(code, bit) AS (\(bits)),
            latest AS (
                SELECT household, programme, outcome,
                    MAX(decided_on || '|' || opened_on || '|' || case_id) AS latest_key
                FROM case_summary
                WHERE closed = 1 AND household IS NOT NULL AND decided_on IS NOT NULL
                    AND outcome IN \(Self.recipientOutcomes) AND \(cases.sql)
                GROUP BY household, programme
            ),
            decided AS (
                SELECT l.household AS household, SUM(c.bit) AS decided,
                    SUM(CASE WHEN l.outcome = 'terminate' THEN 0 ELSE c.bit END) AS receiving
                FROM latest l JOIN codes c ON c.code = l.programme
                GROUP BY l.household
            )
            SELECT substr(h.village, 1, ?) AS division, h.programmes AS registered,
                coalesce(d.decided, 0) AS decided, coalesce(d.receiving, 0) AS receiving,
                COUNT(*) AS households, SUM(h.member_count) AS persons
            FROM registry_household h LEFT JOIN decided d ON d.household = h.key
            WHERE (h.programmes <> ',,' OR d.household IS NOT NULL) AND \(households.sql)
            GROUP BY division, registered, decided, receiving
            """
        let arguments = StatementArguments(codes) + cases.arguments + [childLength] + households.arguments
        return try await writer.read { db in
            func set(_ mask: Int64) -> Set<String> {
                Set(codes.indices.filter { mask & (1 << $0) != 0 }.map { codes[$0] })
            }
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                RecipientGroup(
                    division: row["division"],
                    registered: Set((row["registered"] as String).split(separator: ",").map(String.init)),
                    decided: set(row["decided"]), receiving: set(row["receiving"]), households: row["households"],
                    persons: row["persons"])
            }
        }
    }

    public func decisionTrend(within scope: DivisionCode, from: CivilDate, through: CivilDate) async throws
        -> DecisionTrend
    {
        let scope = scopeCondition(scope, column: "village", wholeNode: false)
        // Each household's receipt by decision as it moved: per household and programme, the
        // change of state at each decision (LAG); per household, the programmes received after
        // each (a running sum); then whether that crossed zero. Summed by month, with the
        // months before the window in one sum.
        let flips = """
            WITH d AS (
                SELECT household, programme, decided_on,
                    CASE WHEN outcome = 'terminate' THEN 0 ELSE 1 END AS active,
                    decided_on || '|' || opened_on || '|' || case_id AS k
                FROM case_summary
                WHERE closed = 1 AND household IS NOT NULL AND decided_on IS NOT NULL AND decided_on <= ?
                    AND outcome IN \(Self.recipientOutcomes) AND \(scope.sql)
            ),
            pairs AS (
                SELECT household, decided_on, k,
                    active - LAG(active, 1, 0) OVER (PARTITION BY household, programme ORDER BY k) AS delta
                FROM d
            ),
            received AS (
                SELECT household, decided_on, k,
                    SUM(delta) OVER (PARTITION BY household ORDER BY k ROWS UNBOUNDED PRECEDING) AS programmes
                FROM pairs
            ),
            flips AS (
                SELECT decided_on,
                    (programmes > 0) - LAG(programmes > 0, 1, 0) OVER (PARTITION BY household ORDER BY k) AS change
                FROM received
            )
            SELECT CASE WHEN decided_on < ? THEN '' ELSE substr(decided_on, 1, 7) END AS month,
                SUM(change) AS net
            FROM flips GROUP BY month
            """
        let flows = """
            SELECT substr(decided_on, 1, 7) AS month,
                SUM(outcome = 'enrol') AS enrolled, SUM(outcome = 'gradualExit') AS gradual,
                SUM(outcome = 'terminate') AS terminated
            FROM case_summary
            WHERE closed = 1 AND decided_on >= ? AND decided_on <= ? AND \(scope.sql)
            GROUP BY month
            """
        let flipArguments: StatementArguments = [through.description] + scope.arguments + [from.description]
        let flowArguments: StatementArguments = [from.description, through.description] + scope.arguments
        return try await writer.read { db in
            var net: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: flips, arguments: flipArguments) {
                net[row["month"], default: 0] += row["net"] as Int? ?? 0
            }
            var flowsByMonth: [String: (enrolled: Int, gradual: Int, terminated: Int)] = [:]
            for row in try Row.fetchAll(db, sql: flows, arguments: flowArguments) {
                flowsByMonth[row["month"]] = (row["enrolled"], row["gradual"], row["terminated"])
            }
            let months = Set(flowsByMonth.keys).union(net.keys.filter { !$0.isEmpty }).sorted()
            return DecisionTrend(
                receivingBefore: net[""] ?? 0,
                months: months.map { month in
                    let flow = flowsByMonth[month] ?? (0, 0, 0)
                    return DecisionMonth(
                        month: month, enrolled: flow.enrolled, gradualExits: flow.gradual,
                        terminated: flow.terminated, netReceiving: net[month] ?? 0)
                })
        }
    }

    public func caseCounts(within scope: DivisionCode, at now: Int64) async throws -> [CaseCount] {
        try await CaseworkStore(core: core).counts(within: scope, at: now)
    }

    /// Rows whose `column` (a village code) lies inside `scope`: a range on the code, which an
    /// index on the column can serve. With `wholeNode`, for tables that hold only rows of the
    /// node's own jurisdiction (the registry's: a parent admits only its subtree's households),
    /// there is nothing to check when the scope is the whole node. Case summaries are not such
    /// a table: an application taken at the wrong township is summarised there too.
    func scopeCondition(_ scope: DivisionCode, column: String, wholeNode: Bool) -> (
        sql: String, arguments: StatementArguments
    ) {
        if wholeNode, owner.code.isWithin(scope) { return ("1", []) }
        let prefix = String(scope.jurisdictionPrefix)
        // Codes are digits, and ':' sorts right after '9': every code that starts with the
        // prefix lies in [prefix, prefix + ":").
        return ("\(column) >= ? AND \(column) < ?", [prefix, prefix + ":"])
    }
}
