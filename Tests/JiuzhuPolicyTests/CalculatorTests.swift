import Foundation
import JiuzhuDomain
import JiuzhuPolicy
import JiuzhuTools
import Testing

@Suite("Calculator: periods, explanations, batch, benchmark core")
struct CalculatorTests {
    static func person(born: String, disabilityGrade: Int? = nil) -> HouseholdSituation.Member {
        HouseholdSituation.Member(
            birthDate: TestSupport.date(born), sex: .male, relation: .applicant,
            disability: disabilityGrade.map { .init(category: .physical, grade: $0) })
    }

    static func single(wages: Int64, enrolments: ProgrammeSet = []) -> HouseholdSituation {
        HouseholdSituation(
            registration: .urban, members: [person(born: "1985-01-01")],
            incomes: [.init(type: .wages, monthly: Fen(wages))], enrolments: enrolments)
    }

    @Test("a mid-year change splits the policy into periods, and pegged values follow it")
    func periods() throws {
        let calculator = try #require(TestSupport.calculators["taizhou"])
        let before = try calculator.snapshot(on: TestSupport.date("2026-06-30"))
        let after = try calculator.snapshot(on: TestSupport.date("2026-07-01"))
        #expect(before.validFrom == TestSupport.date("2020-01-01"))
        #expect(before.validUntil == TestSupport.date("2026-07-01"))
        #expect(after.validFrom == TestSupport.date("2026-07-01"))
        #expect(after.validUntil == nil)
        #expect(before.parameter(.dibaoStandard).value == 71000)
        #expect(after.parameter(.dibaoStandard).value == 76000)
        #expect(after.parameter(.extremePovertyBasicLiving).value == 98800)
        #expect(after.parameter(.extremePovertyBasicLiving).effectiveFrom == TestSupport.date("2026-07-01"))
        #expect(after.parameter(.monitoringLine).effectiveFrom == TestSupport.date("2020-01-01"))
        #expect(after.date == TestSupport.date("2026-07-01"))
        #expect(throws: PolicyNotInForceError.self) { try calculator.snapshot(on: TestSupport.date("2019-12-31")) }
    }

    @Test("a year of monthly dibao across the mid-year raise")
    func yearAcrossRaise() throws {
        let calculator = try #require(TestSupport.calculators["taizhou"])
        let household = Self.single(wages: 50000)
        var total = Fen.zero
        for month in 1...12 {
            let date = try CivilDate(year: 2026, month: month, day: 1)
            total = try total.adding(try calculator.evaluate(household, on: date).amount(.dibao), field: "dibao")
        }
        // Six months at 710 − 500 = 210 yuan, six at 760 − 500 = 260 yuan.
        #expect(total == Fen(6 * 21000 + 6 * 26000))
    }

    @Test("the compact path and the situation path agree")
    func compactAgrees() throws {
        let calculator = try #require(TestSupport.calculators["taizhou"])
        let date = TestSupport.date("2026-07-01")
        let snapshot = try calculator.snapshot(on: date)
        var population = SyntheticPopulation(seed: 11, snapshot: snapshot, today: date)
        let village = try DivisionCode("321281100201")
        for (index, record) in population.households(for: village, count: 500).enumerated() {
            var household = record.situation
            // Registered households carry no emergency; every 50th is given one, so both paths weigh it.
            if index % 50 == 0 { household.emergency = .init(kind: .illness, need: Fen(Int64(index) * 1000)) }
            #expect(
                try snapshot.evaluate(CompactHousehold(household)) == (try calculator.evaluate(household, on: date)))
        }
    }

    @Test("an explanation names rules, parameters with dates and figures, in Chinese")
    func explanation() throws {
        let calculator = try #require(TestSupport.calculators["taizhou"])
        let household = HouseholdSituation(
            registration: .urban,
            members: [Self.person(born: "1985-01-01"), Self.person(born: "1990-01-01", disabilityGrade: 4)],
            incomes: [.init(type: .wages, monthly: Fen(100000)), .init(type: .assistance, monthly: Fen(20000))],
            expenditures: [.init(type: .medical, last12Months: Fen(120000))])
        let explanation = try calculator.explain(household, on: TestSupport.date("2025-03-01"))
        #expect(explanation.policyVersion == calculator.version)
        #expect(explanation.programmes.map(\.programme) == Programme.ordered)
        let dibao = try #require(explanation.programmes.first { $0.programme == .dibao })
        #expect(dibao.eligible)
        #expect(dibao.name == "最低生活保障（低保）")
        // Counted 1000 yuan, medical 1200 yuan a year deducts 100 a month: (710 × 2) − 900 = 520 yuan.
        #expect(dibao.amount == Fen(52000))
        #expect(dibao.calculation == "710.00元 × 2人 − 家庭收入 900.00元 = 520.00元")
        #expect(dibao.parameters.first?.key == .dibaoStandard)
        #expect(dibao.parameters.first?.effectiveFrom == TestSupport.date("2020-01-01"))
        #expect(dibao.conditions.allSatisfy { $0.met })
        #expect(explanation.figures.contains { $0.name.hasPrefix("不计入收入") && $0.value == "200.00元" })
        #expect(explanation.figures.contains { $0.name.hasPrefix("可扣除刚性支出") && $0.value == "100.00元" })
        #expect(explanation.figures.contains { $0.name.hasPrefix("家庭人均收入") && $0.value == "450.00元" })
        let edge = try #require(explanation.programmes.first { $0.programme == .dibaoEdge })
        #expect(!edge.eligible)
        #expect(edge.conditions.contains { !$0.met && $0.text.contains("不低于低保标准") })
        #expect(explanation.text.contains("分层：第一层 兜底保障"))
        let json = try JSONEncoder().encode(explanation)
        #expect(try JSONDecoder().decode(Explanation.self, from: json) == explanation)
    }

    @Test("the batch lists eligible-but-not-enrolled and enrolled-but-no-longer-eligible households")
    func batch() throws {
        let calculator = try #require(TestSupport.calculators["taizhou"])
        let situations = [
            Self.single(wages: 30000),  // 应助未助: dibao
            Self.single(wages: 500000, enrolments: [.dibao]),  // 不再符合: dibao
            Self.single(wages: 30000, enrolments: [.dibao]),  // as it should be
            Self.single(wages: 100000, enrolments: [.dibao]),  // dibao lapsed and edge missing
        ]
        let batch = PolicyBatch(
            households: try situations.map { try CompactHousehold($0) },
            snapshot: try calculator.snapshot(on: TestSupport.date("2025-03-01")))
        let report = batch.run()
        #expect(report.evaluated == 4)
        #expect(
            report.eligibleNotEnrolled == [
                .init(index: 0, programmes: [.dibao]), .init(index: 3, programmes: [.dibaoEdge]),
            ])
        #expect(
            report.enrolledNoLongerEligible == [
                .init(index: 1, programmes: [.dibao]), .init(index: 3, programmes: [.dibao]),
            ])
        let why = try batch.explain(report.enrolledNoLongerEligible[0])
        #expect(why.text.contains("✗ 家庭人均收入 5000.00元 低于低保标准 710.00元/人/月"))
    }

    @Test("the synthetic generator is deterministic and the benchmark core reports figures")
    func benchmarkCore() throws {
        let calculator = try #require(TestSupport.calculators["taizhou"])
        let date = TestSupport.date("2026-07-01")
        let snapshot = try calculator.snapshot(on: date)
        let village = try DivisionCode("321281100201")
        var first = SyntheticPopulation(seed: 5, snapshot: snapshot, today: date)
        var second = SyntheticPopulation(seed: 5, snapshot: snapshot, today: date)
        #expect(first.households(for: village, count: 50) == second.households(for: village, count: 50))
        let figures = try PolicyBenchmark.run(
            calculator: calculator, date: date, households: 3000, rounds: 1, singleIterations: 20)
        #expect(figures.householdsPerSecond > 0)
        #expect(figures.eligibleNotEnrolled + figures.enrolledNoLongerEligible > 0)
        #expect(figures.explainMedianMicroseconds > 0)
        #expect(figures.text.contains("households/s"))
    }
}

/// The API's hand-written JSON says exactly what `JSONEncoder` says.
@Suite struct ExplanationJSONTests {
    @Test func theDirectWriterMatchesTheEncoder() throws {
        let calculator = PolicyCalculator(
            document: try PolicyDocument.load(contentsOf: TestSupport.policyURL("taizhou")))
        let household = try HouseholdSituation(
            json: Data(
                #"""
                {"registration":"rural","members":[
                  {"birthDate":"1950-01-01","sex":"male","relation":"applicant","disability":{"category":"physical","grade":1},"selfCareItemsFailed":5},
                  {"birthDate":"2012-03-01","sex":"female","relation":"grandchild","childStatus":"unsupported"}],
                 "incomes":[{"type":"wages","monthly":30000},{"type":"assistance","monthly":20000}],
                 "expenditures":[{"type":"medical","last12Months":3000000}],"emergency":{"kind":"illness","need":500000}}
                """#.utf8))
        for date in ["2026-06-30", "2026-07-01"] {
            var explanation = try calculator.explain(household, on: try CivilDate(date))
            // Text with every character JSON must escape.
            explanation.tierText += " \"quoted\" \\ \t tab \n newline \u{01} control"
            let direct = try JSONSerialization.jsonObject(with: Data(explanation.json())) as? NSDictionary
            let encoded = try JSONSerialization.jsonObject(with: JSONEncoder().encode(explanation)) as? NSDictionary
            #expect(direct != nil)
            #expect(direct == encoded, "\(date)")
        }
    }
}
