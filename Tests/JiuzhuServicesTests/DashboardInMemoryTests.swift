import Foundation
import JiuzhuDomain
import JiuzhuPolicy
import JiuzhuServices
import JiuzhuStorage
import Logging
import Testing

/// The dashboard's figures over a city database in memory: index rows as the registry indexer
/// writes them and case summaries as the case indexer writes them, with a clock the test sets.
@Suite struct DashboardInMemoryTests {
    /// 09:00 in Beijing on 15 March 2026: the trend runs from April 2025 to March 2026.
    static func city() async throws -> NodeServices {
        let time = SettableClock(at: try CivilDate("2026-03-15"))
        let database = try NodeDatabase.inMemory(
            for: .init(code: try DivisionCode("321200"), name: "泰州市", role: .city), clock: time.clock)
        let services = NodeServices(database: database, hasher: PasswordHasher(cost: 4), logger: Logger(label: "test"))
        let text = try String(contentsOf: ServicesInMemoryTests.policyFile, encoding: .utf8)
        _ = try await services.policy.publish(text: text, file: "taizhou.yaml", by: .commandLine)
        return services
    }

    static let names: [DivisionCode: String] = Dictionary(
        uniqueKeysWithValues: [
            ("321200", "泰州市"), ("321281", "兴化市"), ("321282", "靖江市"), ("321283", "泰兴市"), ("321281001", "昭阳街道"),
            ("321281100", "戴窑镇"), ("321281001001", "海池社区"), ("321281001002", "城南社区"),
        ].compactMap { code, name in (try? DivisionCode(code)).map { ($0, name) } })

    /// A household in the index: its members and the enrolments its record lists.
    static func household(_ key: String, members: Int, _ enrolments: [Programme]) -> (String, HouseholdIndexEntry?) {
        (
            key,
            HouseholdIndexEntry(
                key: key, village: String(key.prefix(12)), memberCount: members, perCapitaIncome: 30_000,
                programmes: enrolments.map(\.rawValue), tags: [], people: [])
        )
    }

    /// A closed case about `household` (a registered one, or nil and a village) decided on `day`.
    static func decision(
        _ caseID: String, _ household: String?, _ programme: Programme, _ outcome: DecisionOutcome, on day: String,
        village: String? = nil
    ) throws -> CaseSummaryRow {
        let village = try DivisionCode(village ?? String((household ?? "").prefix(12)))
        return CaseSummaryRow(
            caseID: caseID, village: village, kind: "application", programme: programme.rawValue, stage: "closed",
            holderLevel: nil, closed: true, dueOn: nil, overdueFrom: nil, provisional: false, escalated: false,
            lastStep: 9, openedOn: try CivilDate(day), applicant: "测试", household: household, takenAt: village,
            updatedAt: 0, outcome: outcome.rawValue, decidedOn: try CivilDate(day))
    }

    /// An open case at `village`, overdue from `overdueFrom` (milliseconds).
    static func open(_ caseID: String, _ village: String, overdueFrom: Int64) throws -> CaseSummaryRow {
        let code = try DivisionCode(village)
        return CaseSummaryRow(
            caseID: caseID, village: code, kind: "application", programme: "dibao", stage: "awaitingInvestigation",
            holderLevel: .village, closed: false, dueOn: nil, overdueFrom: overdueFrom, provisional: false,
            escalated: false, lastStep: 1, openedOn: try CivilDate("2026-03-01"), applicant: "测试", household: nil,
            takenAt: code, updatedAt: 0)
    }

    /// The city's register and decisions: who receives what, and by which source.
    ///
    /// | household | members | record lists | decisions | receives |
    /// | --- | --- | --- | --- | --- |
    /// | A 兴化 海池 | 3 | dibao | — | dibao (record) |
    /// | B 兴化 海池 | 2 | dibaoEdge, disabilityLiving | — | both (record) |
    /// | G 兴化 海池 | 1 | dibao | enrol 2025-12-01, gradual exit 2026-03-01 | dibao (decision) |
    /// | C 兴化 城南 | 1 | — | extremePoverty enrol 2026-01-10 | extremePoverty (decision) |
    /// | I 兴化 城南 | 2 | — | dibao enrol 2025-05-10; temporary enrol 2025-05-10, terminated 2025-08-01 | dibao (decision) |
    /// | D 兴化 戴窑 | 4 | dibao | enrol 2025-06-01, terminate 2026-02-20 | nothing: the decision wins |
    /// | E 泰兴 | 2 | disabilityLiving | — | disabilityLiving (record, no tier) |
    /// | F 泰兴 | 5 | — | refused 2026-03-02 | nothing |
    /// | H 泰兴 | 3 | — | dibao enrol 2025-01-05 (before the window) | dibao (decision) |
    /// | (none) 泰兴 | — | not registered | dibao enrol 2025-07-15 | counted only as a decision |
    /// | J 泰兴 | 2 | not indexed here | dibao and temporary enrol 2025-09-01, temporary terminated 2025-10-01 | the trend only |
    static func seed(_ services: NodeServices) async throws {
        let database = services.database
        try await database.registry.index(
            [
                household("321281001001-000001", members: 3, [.dibao]),
                household("321281001001-000002", members: 2, [.dibaoEdge, .disabilityLiving]),
                household("321281001001-000003", members: 1, [.dibao]),
                household("321281001002-000001", members: 1, []),
                household("321281001002-000002", members: 2, []),
                household("321281100201-000001", members: 4, [.dibao]),
                household("321283100201-000001", members: 2, [.disabilityLiving]),
                household("321283100201-000002", members: 5, []),
                household("321283100201-000003", members: 3, []),
            ], through: 1)
        let now = database.wallClock.now()
        try await database.casework.saveSummaries(
            [
                try decision("G1", "321281001001-000003", .dibao, .enrol, on: "2025-12-01"),
                try decision("G2", "321281001001-000003", .dibao, .gradualExit, on: "2026-03-01"),
                try decision("C1", "321281001002-000001", .extremePoverty, .enrol, on: "2026-01-10"),
                try decision("I1", "321281001002-000002", .dibao, .enrol, on: "2025-05-10"),
                try decision("I2", "321281001002-000002", .temporaryAssistance, .enrol, on: "2025-05-10"),
                try decision("I3", "321281001002-000002", .temporaryAssistance, .terminate, on: "2025-08-01"),
                try decision("D1", "321281100201-000001", .dibao, .enrol, on: "2025-06-01"),
                try decision("D2", "321281100201-000001", .dibao, .terminate, on: "2026-02-20"),
                try decision("F1", "321283100201-000002", .dibao, .refuse, on: "2026-03-02"),
                try decision("H1", "321283100201-000003", .dibao, .enrol, on: "2025-01-05"),
                try decision("N1", nil, .dibao, .enrol, on: "2025-07-15", village: "321283100202"),
                try decision("J1", "321283100201-000009", .dibao, .enrol, on: "2025-09-01"),
                try decision("J2", "321283100201-000009", .temporaryAssistance, .enrol, on: "2025-09-01"),
                try decision("J3", "321283100201-000009", .temporaryAssistance, .terminate, on: "2025-10-01"),
                try open("O1", "321283100201", overdueFrom: now - 86_400_000),
                try open("O2", "321281001001", overdueFrom: now + 86_400_000),
            ], through: nil, rules: nil)
    }

    /// The row labelled `label`'s values by column key.
    static func values(_ figure: DashboardFigure, _ label: String) throws -> [String: Int] {
        let row = try #require(figure.rows.first { $0.label == label }, "\(figure.id) has a row \(label)")
        return Dictionary(uniqueKeysWithValues: figure.columns.map { ($0.key, figure.value($0.key, in: row)) })
    }

    @Test func theCityCountsEachHouseholdOnceInItsHighestTierWithTheLatestDecisionWinning() async throws {
        let services = try await Self.city()
        try await Self.seed(services)
        let dashboard = try await services.dashboard.dashboard(of: try DivisionCode("321200"), names: Self.names)
        #expect(
            dashboard.figures.map(\.id) == [
                "households", "programmes", "trend", "casework", "warnings", "warningRules",
            ])
        #expect(dashboard.asOf == (try CivilDate("2026-03-15")))
        #expect(dashboard.policyVersion != nil)

        let tiers = try #require(dashboard.figure("households"))
        // Every county of the city the topology names has a row, 靖江市 with nothing in it.
        #expect(tiers.rows.map(\.label) == ["兴化市", "靖江市", "泰兴市", "合计"])
        #expect(tiers.rows.map(\.division?.digits) == ["321281", "321282", "321283", nil])
        let xinghua = try Self.values(tiers, "兴化市")
        #expect(xinghua["tier1.households"] == 4 && xinghua["tier1.persons"] == 7, "A, G, C and I")
        #expect(xinghua["tier2.households"] == 1 && xinghua["tier2.persons"] == 2, "B: edge and a subsidy")
        #expect(
            xinghua["total.households"] == 5 && xinghua["total.persons"] == 9, "D's termination wins over its record")
        #expect(xinghua["byDecision.households"] == 3 && xinghua["registerOnly.households"] == 2)
        let taixing = try Self.values(tiers, "泰兴市")
        #expect(taixing["tier1.households"] == 1 && taixing["tier1.persons"] == 3, "H, enrolled before the window")
        #expect(taixing["untiered.households"] == 1 && taixing["untiered.persons"] == 2, "E: a subsidy without a tier")
        #expect(taixing["total.households"] == 2, "F was refused")
        #expect(try Self.values(tiers, "靖江市").values.allSatisfy { $0 == 0 })
        let total = try Self.values(tiers, "合计")
        #expect(total["total.households"] == 7 && total["total.persons"] == 14)
        #expect(total["byDecision.households"] == 4 && total["registerOnly.households"] == 3)
        #expect(total["tier3.households"] == 0)

        let programmes = try #require(dashboard.figure("programmes"))
        let all = try Self.values(programmes, "合计")
        #expect(all["dibao.households"] == 4 && all["dibao.persons"] == 9, "A, G, I and H; not D")
        #expect(all["extremePoverty.households"] == 1 && all["dibaoEdge.households"] == 1)
        #expect(all["temporaryAssistance.households"] == 0, "I's was terminated")
        #expect(all["disabilityLiving.households"] == 2 && all["disabilityLiving.persons"] == 4)

        let cases = try #require(dashboard.figure("casework"))
        #expect(try Self.values(cases, "泰兴市") == ["open": 1, "overdue": 1])
        #expect(try Self.values(cases, "兴化市") == ["open": 1, "overdue": 0])
        #expect(try Self.values(cases, "合计") == ["open": 2, "overdue": 1])
    }

    @Test func theTrendCountsDecisionsByMonthAndHouseholdsReceivingAtEachMonthsEnd() async throws {
        let services = try await Self.city()
        try await Self.seed(services)
        let dashboard = try await services.dashboard.dashboard(of: try DivisionCode("321200"), names: Self.names)
        let trend = try #require(dashboard.figure("trend"))
        #expect(trend.rows.count == 12)
        #expect(trend.rows.first?.label == "2025年4月" && trend.rows.last?.label == "2026年3月")
        let receiving = trend.rows.map { trend.value("receiving", in: $0) }
        // H before the window; I in May (two programmes, one household); D in June; I's temporary
        // assistance ends in August (it keeps dibao); J in September, the same way in October;
        // G in December; C in January; D ends in February; G's gradual exit in March keeps it
        // receiving.
        #expect(receiving == [1, 2, 3, 3, 3, 4, 4, 4, 5, 6, 5, 5])
        // July's enrolment names no registered household: a decision, no household to count.
        #expect(trend.rows.map { trend.value("enrolled", in: $0) } == [0, 2, 1, 1, 0, 2, 0, 0, 1, 1, 0, 0])
        #expect(trend.rows.map { trend.value("terminated", in: $0) } == [0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 1, 0])
        #expect(trend.rows.map { trend.value("gradualExits", in: $0) } == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1])
        // The last month's end agrees with the households the first figure counts by decision,
        // but for J, which this node's index does not hold: the trend counts it, the figure cannot.
        let tiers = try #require(dashboard.figure("households"))
        #expect(receiving.last == tiers.total.map { tiers.value("byDecision.households", in: $0) + 1 })
        #expect(trend.charts.count == 2 && trend.charts[0].series.map(\.name) == ["批准纳入", "批准渐退", "停止救助"])
    }

    @Test func aCountyAndATownshipSeeTheirOwnChildrenAndAVillageItself() async throws {
        let services = try await Self.city()
        try await Self.seed(services)
        let county = try await services.dashboard.dashboard(of: try DivisionCode("321281"), names: Self.names)
        #expect(county.name == "兴化市")
        let tiers = try #require(county.figure("households"))
        #expect(tiers.rows.map(\.label) == ["昭阳街道", "戴窑镇", "合计"])
        #expect(try Self.values(tiers, "昭阳街道")["total.households"] == 5)
        #expect(try Self.values(tiers, "戴窑镇")["total.households"] == 0)
        let trend = try #require(county.figure("trend"))
        #expect(trend.rows.map { trend.value("receiving", in: $0) } == [0, 1, 2, 2, 2, 2, 2, 2, 3, 4, 3, 3])

        let township = try await services.dashboard.dashboard(of: try DivisionCode("321281001"), names: Self.names)
        let villages = try #require(township.figure("households"))
        #expect(villages.rows.map(\.label) == ["海池社区", "城南社区", "合计"])
        #expect(try Self.values(villages, "海池社区")["total.households"] == 3)
        #expect(try Self.values(villages, "城南社区")["byDecision.households"] == 2)

        let village = try await services.dashboard.dashboard(of: try DivisionCode("321281001002"), names: Self.names)
        let own = try #require(village.figure("households"))
        #expect(own.rows.map(\.label) == ["城南社区", "合计"])
        #expect(try Self.values(own, "合计")["total.households"] == 2)
    }

    @Test func aScopeOutsideTheNodeIsRefusedAndAnEmptyNodeCountsNothing() async throws {
        let county = try NodeDatabase.inMemory(
            for: .init(code: try DivisionCode("321281"), name: "兴化市", role: .county))
        let services = NodeServices(database: county, hasher: PasswordHasher(cost: 4), logger: Logger(label: "test"))
        let refused = await #expect(throws: InputError.self) {
            try await services.dashboard.dashboard(of: try DivisionCode("321283"), names: Self.names)
        }
        #expect(refused?.field == "division")
        #expect(refused?.message == "321283 不在本节点辖区 321281 之内")
        // No policy yet, nothing registered: rows of zeros, and the note says why nothing is tiered.
        let empty = try await services.dashboard.dashboard(of: try DivisionCode("321281"), names: Self.names)
        #expect(empty.policyVersion == nil)
        let tiers = try #require(empty.figure("households"))
        #expect(tiers.note.contains("尚未收到政策版本"))
        #expect(tiers.rows.allSatisfy { $0.values.allSatisfy { $0 == 0 } })
        #expect(try #require(empty.figure("trend")).rows.allSatisfy { $0.values.allSatisfy { $0 == 0 } })
    }
}
