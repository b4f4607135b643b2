import Foundation
import JiuzhuDomain
import JiuzhuPolicy
import Testing

/// Amounts no real household has: the arithmetic reports them, and the decoder refuses them
/// with the field named, so neither traps.
@Suite("Money arithmetic cannot trap")
struct OverflowTests {
    static let huge = Fen(5_000_000_000_000_000_000)
    static let date = TestSupport.date("2026-07-01")

    static func member(born: String = "1985-01-01") -> HouseholdSituation.Member {
        HouseholdSituation.Member(birthDate: TestSupport.date(born), sex: .male, relation: .applicant)
    }

    @Test("Fen's checked operations name the field instead of trapping")
    func checkedFen() throws {
        #expect(try Fen(700).adding(Fen(10), field: "x") == Fen(710))
        #expect(try Fen(700).subtracting(Fen(710), field: "x") == Fen(-10))
        #expect(try Fen.checkedSum([Fen(1), Fen(2), Fen(3)], field: "x") == Fen(6))
        let sum = #expect(throws: AmountOverflowError.self) {
            try Fen.checkedSum([Self.huge, Self.huge], field: "incomes")
        }
        #expect(sum?.field == "incomes")
        #expect(sum?.description == "字段 incomes：金额合计超出可计算的范围（溢出）")
        #expect(throws: AmountOverflowError(field: "d")) { try Fen(.min).subtracting(Fen(1), field: "d") }
        #expect(Fen(.min).perCapita(0) == Fen(.min), "a per-capita share never divides by zero or traps")
        #expect(Fen(.min).description == "-92233720368547758.08元")
    }

    @Test("an amount's plausibility is one rule, from InputBounds")
    func implausibility() {
        #expect(Fen(0).implausibility == nil)
        #expect(Fen(InputBounds.amountFen.upperBound).implausibility == nil)
        #expect(Fen(-1).implausibility == "金额不能为负")
        #expect(Fen(InputBounds.amountFen.upperBound + 1).implausibility == "金额不能超过 100000000.00元")
        #expect(Self.huge.implausibility != nil)
    }

    @Test("two incomes of one type summing past Int64 are refused when compacted, naming the list")
    func compactingOverflows() throws {
        let household = HouseholdSituation(
            registration: .urban, members: [Self.member()],
            incomes: [.init(type: .business, monthly: Self.huge), .init(type: .business, monthly: Self.huge)])
        #expect(throws: AmountOverflowError(field: "incomes")) { try CompactHousehold(household) }
        let calculator = try #require(TestSupport.calculators["taizhou"])
        let error = #expect(throws: CalculationError.self) { try calculator.explain(household, on: Self.date) }
        #expect(error == .overflow(AmountOverflowError(field: "incomes")))
        #expect(error?.field == "incomes")
    }

    @Test("incomes of two types that overflow only together are an error of the figure, in evaluate and explain")
    func assessmentOverflows() throws {
        let calculator = try #require(TestSupport.calculators["taizhou"])
        let household = HouseholdSituation(
            registration: .urban, members: [Self.member()],
            incomes: [.init(type: .wages, monthly: Self.huge), .init(type: .business, monthly: Self.huge)])
        let evaluated = #expect(throws: CalculationError.self) { try calculator.evaluate(household, on: Self.date) }
        #expect(evaluated?.field == "计入收入（月）")
        let explained = #expect(throws: CalculationError.self) { try calculator.explain(household, on: Self.date) }
        #expect(explained == evaluated)
        // One income near the limit is not an overflow of the sum, but ×12 for the year is.
        let single = HouseholdSituation(
            registration: .urban, members: [Self.member()], incomes: [.init(type: .wages, monthly: Self.huge)])
        #expect(throws: CalculationError.self) { try calculator.evaluate(single, on: Self.date) }
    }

    @Test(
        "extreme compact households give a result or a named overflow, never a trap",
        arguments: [Int64.min, Int64.min + 1, -1, Int64.max / 12, Int64.max / 12 + 1, Int64.max])
    func extremeCompact(value: Int64) throws {
        let snapshot = try #require(TestSupport.calculators["taizhou"]).snapshot(on: Self.date)
        let members = [
            CompactMember(birth: .min, disabilityGrade: 1, selfCareItemsFailed: 6, flags: 0xFF),
            CompactMember(birth: .max, disabilityGrade: .max, selfCareItemsFailed: .max, flags: 0),
            CompactMember(
                birth: 0, disabilityGrade: .max, disabilityCategory: .max, relation: .max, selfCareItemsFailed: .max,
                flags: 0),
        ]
        let household = CompactHousehold(
            members: members, income: SIMD8(repeating: value), rigidExpenditure: SIMD4(repeating: value),
            deposits: value, nonExemptVehicles: .max, housingUnits: .min, hasAbleSupporter: false, hasEmergency: true,
            emergencyNeed: value)
        do {
            let result = try snapshot.evaluate(household)
            let explanation = try snapshot.explain(household)
            #expect(explanation.tier == result.tier)
        } catch {
            #expect(!error.field.isEmpty)
        }
    }

    @Test("a batch sets an overflowing household apart and compares the others")
    func batchGoesOn() throws {
        let snapshot = try #require(TestSupport.calculators["taizhou"]).snapshot(on: Self.date)
        let poor = try CompactHousehold(
            HouseholdSituation(
                registration: .urban, members: [Self.member()], incomes: [.init(type: .wages, monthly: Fen(0))]))
        var poisoned = poor
        poisoned.income = SIMD8(repeating: Self.huge.rawValue)
        let report = PolicyBatch(households: [poor, poisoned, poor], snapshot: snapshot).run()
        #expect(report.evaluated == 3)
        #expect(report.notComputable == [1])
        #expect(report.eligibleNotEnrolled.map(\.index) == [0, 2], "the households on both sides are still compared")
    }

    static let valid = """
        {"registration": "urban",
         "members": [{"birthDate": "1950-05-01", "sex": "female", "relation": "applicant"}],
         "incomes": [{"type": "wages", "monthly": 30000}],
         "assets": {"deposits": 100000, "vehicles": [{"value": 500000}], "housingUnits": 1},
         "expenditures": [{"type": "medical", "last12Months": 240000}],
         "emergency": {"kind": "illness", "need": 300000}}
        """

    @Test(
        "an amount or count outside InputBounds is refused on decoding, naming the field",
        arguments: [
            (#""monthly": 30000"#, #""monthly": 5000000000000000000"#, "incomes[0].monthly", "不能超过"),
            (#""monthly": 30000"#, #""monthly": 10000000001"#, "incomes[0].monthly", "不能超过 100000000.00元"),
            (#""deposits": 100000"#, #""deposits": 9223372036854775807"#, "assets.deposits", "不能超过"),
            (#""value": 500000"#, #""value": -5"#, "assets.vehicles[0].value", "不能为负"),
            (#""value": 500000"#, #""value": 10000000001"#, "assets.vehicles[0].value", "不能超过"),
            (#""housingUnits": 1"#, #""housingUnits": 51"#, "assets.housingUnits", "0–50"),
            (#""last12Months": 240000"#, #""last12Months": 10000000001"#, "expenditures[0].last12Months", "不能超过"),
            (#""need": 300000"#, #""need": 10000000001"#, "emergency.need", "不能超过"),
            (#""monthly": 30000"#, #""monthly": 9223372036854775808"#, "incomes[0].monthly", "不是可用的整数"),
            (#""monthly": 30000"#, #""monthly": 1e400"#, "incomes[0].monthly", "不是可用的整数"),
            (#""housingUnits": 1"#, #""housingUnits": 1.5"#, "assets.housingUnits", "不是可用的整数"),
        ] as [(String, String, String, String)])
    func boundsRefused(original: String, replacement: String, path: String, message: String) throws {
        #expect(Self.valid.contains(original))
        let json = Self.valid.replacingOccurrences(of: original, with: replacement)
        let error = try #require(throws: HouseholdInputError.self) { try HouseholdSituation(json: Data(json.utf8)) }
        #expect(error.path == path, "\(error)")
        #expect(error.message.contains(message), "\(error)")
        // Through the calculator's request the path starts at the household.
        let request = try #require(throws: HouseholdInputError.self) {
            try WhatIfRequest(json: Data(#"{"household": \#(json)}"#.utf8))
        }
        #expect(request.path == "household.\(path)", "\(request)")
    }

    @Test("lists longer than InputBounds.listEntries and too many members are refused")
    func listsRefused() throws {
        let income = #"{"type": "wages", "monthly": 1}"#
        let incomes = Array(repeating: income, count: InputBounds.listEntries.upperBound + 1).joined(separator: ",")
        let many = Self.valid.replacingOccurrences(
            of: #"[{"type": "wages", "monthly": 30000}]"#, with: "[\(incomes)]")
        let error = try #require(throws: HouseholdInputError.self) { try HouseholdSituation(json: Data(many.utf8)) }
        #expect(error.path == "incomes")
        #expect(error.message == "至多 50 项，实际 51 项")
        let fifty = Array(repeating: income, count: InputBounds.listEntries.upperBound).joined(separator: ",")
        let allowed = Self.valid.replacingOccurrences(
            of: #"[{"type": "wages", "monthly": 30000}]"#, with: "[\(fifty)]")
        #expect(try HouseholdSituation(json: Data(allowed.utf8)).incomes.count == 50)

        let member = #"{"birthDate": "1950-05-01", "sex": "female", "relation": "applicant"}"#
        let crowd = Self.valid.replacingOccurrences(
            of: "[\(member)]", with: "[" + Array(repeating: member, count: 31).joined(separator: ",") + "]")
        let members = try #require(throws: HouseholdInputError.self) { try HouseholdSituation(json: Data(crowd.utf8)) }
        #expect(members.path == "members")
        #expect(members.message.contains("30"))
    }
}
