import Foundation
import JiuzhuDomain
import JiuzhuPolicy
import JiuzhuRegistry
import JiuzhuTools
import Testing

/// The profile reads its figures from the calculator, so over the whole synthetic city no tag
/// contradicts what the calculator decides for the same household on the same day.
@Suite struct ProfileAgreesWithCalculatorTests {
    /// The villages of the demo topology, each with the city scale's share of households.
    static func villages() throws -> [DivisionCode] {
        let topology = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appending(path: "topology/taizhou-demo.yaml")
        let text = try String(contentsOf: topology, encoding: .utf8)
        // Village codes are the topology's 12-digit codes.
        let codes = text.split(whereSeparator: { !$0.isNumber }).filter { $0.count == 12 }
        return Array(Set(codes.compactMap { try? DivisionCode(String($0)) })).sorted { $0.digits < $1.digits }
    }

    @Test func noTagContradictsTheCalculatorAnywhereInTheSyntheticCity() async throws {
        let (snapshot, today) = try SyntheticPopulationTests.snapshot()
        let calculator = PolicyCalculator(document: try PolicyDocument.load(contentsOf: Self.policyFile))
        let villages = try Self.villages()
        #expect(villages.count >= 4)
        var population = SyntheticPopulation(seed: 2026, snapshot: snapshot, today: today, intervals: .realistic)
        var tally: [ProfileTag: Int] = [:]
        var households = 0
        for village in villages {
            for record in population.households(for: village, count: 250_000 / villages.count) {
                households += 1
                // The suite shares two cooperative threads with in-process listeners: give them a
                // turn now and then, or their clients time out.
                if households % 256 == 0 { await Task.yield() }
                let profile = try HouseholdProfile(record, snapshot: snapshot, version: calculator.version, date: today)
                let decision = try calculator.evaluate(record.situation, on: today)
                let tags = Set(profile.tags.map(\.tag))
                for tag in tags { tally[tag, default: 0] += 1 }
                // 低保边缘 exactly when the calculator finds the household eligible for it.
                #expect(
                    tags.contains(.dibaoEdge) == decision.eligible.contains(.dibaoEdge),
                    "\(record.id): tags \(tags), eligible \(decision.eligible)")
                // Below the monitoring line or with high medical spending, the calculator puts the
                // household at least in the monitoring tier; in no tier, it has neither tag.
                if tags.contains(.belowMonitoringLine) || tags.contains(.highMedicalSpending) {
                    #expect(decision.tier != .none, "\(record.id): tags \(tags), tier none")
                }
                if decision.tierReason == .belowMonitoringLine {
                    #expect(tags.contains(.belowMonitoringLine), "\(record.id)")
                }
                if decision.tierReason == .medicalWarning {
                    #expect(tags.contains(.highMedicalSpending), "\(record.id)")
                }
            }
        }
        #expect(households >= 240_000)
        // The city has households with each income tag, so the agreement above was tested.
        for tag in [ProfileTag.dibaoEdge, .belowMonitoringLine, .highMedicalSpending] {
            #expect(tally[tag, default: 0] > 100, "\(tag): \(tally[tag, default: 0])")
        }
    }

    static let policyFile = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appending(path: "policy/taizhou.yaml")
}
