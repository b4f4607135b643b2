import Foundation
import JiuzhuDomain
import JiuzhuPolicy
import JiuzhuRegistry
import JiuzhuTools
import Testing

/// The synthetic population is valid, deterministic, and its planted inconsistencies are
/// exactly what the batch and the duplicate check find.
@Suite struct SyntheticPopulationTests {
    static func snapshot() throws -> (PolicySnapshot, CivilDate) {
        let policy = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appending(path: "policy/taizhou.yaml")
        let calculator = PolicyCalculator(document: try PolicyDocument.load(contentsOf: policy))
        let today = try CivilDate("2026-11-29")
        return (try calculator.snapshot(on: today), today)
    }

    static let villages = ["321281001001", "321281001002", "321283100201"].compactMap { try? DivisionCode($0) }

    @Test func everyHouseholdIsValidAndThePlantedInconsistenciesAreFound() throws {
        let (snapshot, today) = try Self.snapshot()
        var population = SyntheticPopulation(seed: 7, snapshot: snapshot, today: today)
        var all: [HouseholdRecord] = []
        for village in Self.villages { all += population.households(for: village, count: 400) }
        let summary = population.summary
        #expect(summary.households == 1200)
        #expect(
            summary.eligibleNotEnrolled > 0 && summary.enrolledNoLongerEligible > 0
                && summary.duplicateRegistrations > 0)

        var ids: [String: Int] = [:]
        for record in all {
            // Valid by the registry's own rules, except the planted second registration.
            var unique = record
            if let last = record.members.last,
                record.members.dropLast().contains(where: { $0.citizenID == last.citizenID }) == false,
                ids[last.citizenID] != nil
            {
                unique.members.removeLast()
            }
            let validated = try unique.validated(today: today)
            #expect(validated.members.count == unique.members.count)
            for member in record.members {
                #expect(member.citizenID.hasPrefix(String(record.village.digits.prefix(6))), "region of the county")
                ids[member.citizenID, default: 0] += 1
            }
        }
        #expect(ids.values.filter { $0 > 1 }.count == summary.duplicateRegistrations)

        let batch = PolicyBatch(households: try all.map { try CompactHousehold($0.situation) }, snapshot: snapshot)
            .run()
        #expect(batch.eligibleNotEnrolled.count == summary.eligibleNotEnrolled)
        #expect(batch.enrolledNoLongerEligible.count == summary.enrolledNoLongerEligible)
        #expect(all.filter { !$0.enrolments.isEmpty }.count == summary.recipientHouseholds)
    }

    @Test func theSameSeedGivesTheSameHouseholds() throws {
        let (snapshot, today) = try Self.snapshot()
        func generate(_ seed: UInt64) -> [String] {
            var population = SyntheticPopulation(seed: seed, snapshot: snapshot, today: today)
            return population.households(for: Self.villages[0], count: 50).map { $0.json() }
        }
        #expect(generate(1) == generate(1))
        #expect(generate(1) != generate(2))
    }
}
