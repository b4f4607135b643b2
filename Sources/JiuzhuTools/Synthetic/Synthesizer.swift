import Foundation
import JiuzhuDomain
import JiuzhuFederation
import JiuzhuPolicy
import JiuzhuRegistry
import JiuzhuServices
import JiuzhuStorage

/// Writes a synthetic population into the village nodes' databases, through the registry's
/// own write path (change log and audit), so it replicates up like any registration. The
/// nodes may be running. Households that exist already are left alone, so a second run
/// with the same seed writes nothing.
public struct Synthesizer: Sendable {
    /// How big a population.
    public enum Scale: String, CaseIterable, Sendable {
        /// A few households per village, so every page of the demo has something to show.
        case demo
        /// Taizhou-sized: at least 40,000 recipient households and 300,000 monitored persons in all.
        case city

        func householdsPerVillage(villages: Int) -> Int {
            switch self {
            case .demo: 24
            // About 40 % of generated households are recipients and half are in a tier, at 2.4
            // persons each: 250,000 households give about 100,000 recipients and 300,000 monitored.
            case .city: max(24, 250_000 / max(1, villages))
            }
        }
    }

    public let topology: Topology
    public let dataRoot: URL
    public let policyText: String
    public let seed: UInt64
    public let scale: Scale

    /// Gives today's date, from which ages and dates are generated.
    public let clock: NodeClock

    public init(
        topology: Topology, dataRoot: URL, policyText: String, seed: UInt64, scale: Scale, clock: NodeClock = .system
    ) {
        self.clock = clock
        self.topology = topology
        self.dataRoot = dataRoot
        self.policyText = policyText
        self.seed = seed
        self.scale = scale
    }

    /// Generates and writes; `progress` hears each village as it is done.
    public func run(progress: (String) -> Void = { _ in }) async throws -> SyntheticPopulation.Summary {
        let document = try PolicyDocument.load(yaml: policyText, file: "policy")
        let today = clock.today()
        let snapshot = try PolicyCalculator(document: document).snapshot(on: today)
        var population = SyntheticPopulation(
            seed: seed, snapshot: snapshot, today: today, intervals: scale == .demo ? .demo : .realistic)
        let villages = topology.nodes.filter { $0.role == .village }
        let perVillage = scale.householdsPerVillage(villages: villages.count)
        for village in villages {
            let households = population.households(for: village.code, count: perVillage)
            let database = try NodeDatabase.open(
                in: dataRoot.appending(path: village.code.digits),
                for: .init(code: village.code, name: village.name, role: village.role), clock: clock)
            let registration = HouseholdRegistration(database: database)
            var written = 0
            for start in stride(from: 0, to: households.count, by: 1000) {
                let batch = households[start..<min(start + 1000, households.count)]
                written += try await registration.addNew(
                    Array(batch), reason: "写入合成家庭 \(batch.count) 户（种子 \(seed)）", by: Self.actor)
            }
            try database.close()
            progress("  \(village.label)：\(households.count) 户，新写入 \(written) 户")
        }
        return population.summary
    }

    /// Who the audit log names as the writer of synthetic households.
    static let actor = AuditActor(name: "合成数据", role: "系统")
}
