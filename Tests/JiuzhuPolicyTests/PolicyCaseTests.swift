import Foundation
import JiuzhuPolicy
import Testing

@Suite("Policy cases from Cases/*.yaml")
struct PolicyCaseTests {
    @Test("the case files load and hold at least 40 cases")
    func casesLoad() throws {
        let cases = try PolicyCase.all.get()
        #expect(cases.count >= 40)
        #expect(Set(cases.map(\.name)).count == cases.count, "case names are unique")
    }

    @Test("case", arguments: (try? PolicyCase.all.get()) ?? [])
    func run(_ policyCase: PolicyCase) throws {
        let calculator = try #require(TestSupport.calculators[policyCase.policy], "policy \(policyCase.policy)")
        let expect = policyCase.expect
        if expect.notInForce == true {
            let error = #expect(throws: CalculationError.self) {
                try calculator.evaluate(policyCase.household, on: policyCase.date)
            }
            #expect(error?.field == "date")
            return
        }
        let result = try calculator.evaluate(policyCase.household, on: policyCase.date)
        let eligible = result.eligible.programmes
        if let expected = expect.eligible {
            #expect(eligible == ProgrammeSet(expected).programmes, "eligible")
        }
        if let expected = expect.excluded {
            #expect(result.excluded.programmes == ProgrammeSet(expected).programmes, "excluded")
        }
        if let amounts = expect.amounts {
            for (code, fen) in amounts {
                let programme = try #require(Programme(rawValue: code), "programme code \(code)")
                #expect(result.amount(programme).rawValue == fen, "amount of \(code)")
            }
            for programme in Programme.ordered where result.amount(programme) != .zero {
                #expect(
                    amounts[programme.rawValue] != nil,
                    "\(programme.rawValue) pays \(result.amount(programme)) but the case lists no amount")
            }
        }
        let tier = try #require(expect.tier, "every case states a tier")
        let expectedTier: Tier? =
            switch tier {
            case "1": .bottomLine
            case "2": .special
            case "3": .monitoring
            case "none": Tier.none
            default: nil
            }
        #expect(result.tier == expectedTier, "tier")

        // The explanation is built from the same assessment and must agree with the result.
        let explanation = try calculator.explain(policyCase.household, on: policyCase.date)
        #expect(explanation.tier == result.tier)
        for entry in explanation.programmes {
            #expect(entry.eligible == result.eligible.contains(entry.programme), "explanation of \(entry.programme)")
            #expect(entry.amount == result.amount(entry.programme))
            #expect(!entry.rule.isEmpty && !entry.parameters.isEmpty)
        }
        for fragment in expect.explanationContains ?? [] {
            #expect(explanation.text.contains(fragment), "explanation contains \(fragment)")
        }
    }
}
