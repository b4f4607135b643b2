import Foundation
import JiuzhuDomain
import JiuzhuPolicy
import JiuzhuRegistry
import JiuzhuStorage
import Logging
import ServiceLifecycle

/// Keeps the registry's search index and profiles current: every household change the node
/// logs (its own, or replicated from below) is read back, profiled with the policy in force
/// and indexed. A new policy version re-profiles every household.
public final class RegistryIndexer: Service, Sendable {
    let database: NodeDatabase
    let policy: PolicyService
    let logger: Logger

    public init(database: NodeDatabase, policy: PolicyService, logger: Logger) {
        self.database = database
        self.policy = policy
        self.logger = logger
    }

    public func run() async throws {
        try await cancelWhenGracefulShutdown {
            var policySeen: String?
            while !Task.isCancelled {
                let current = try? await self.policy.current()
                if current?.published.contentHash != policySeen {
                    if policySeen != nil { try await self.database.index([], through: 0) }
                    policySeen = current?.published.contentHash
                }
                let seen = self.database.signal.generation(of: .registry)
                if try await self.catchUp() == 0 {
                    _ = await self.database.signal.wait(for: .registry, after: seen, timeout: .seconds(1))
                }
            }
        }
    }

    /// Indexes what was logged since the last run; returns how many changes it read.
    @discardableResult
    public func catchUp(batch: Int = 2000) async throws -> Int {
        let start = try await database.indexPosition()
        // One read for the batch: the changes with the current record of each household.
        let changes = try await database.householdChanges(after: start, limit: batch)
        guard let last = changes.lastPosition else { return 0 }
        let current = try await policy.current()
        let today = CivilDate.today()
        // The rules in force today, resolved once for the batch rather than once per household.
        let rules: Rules? = current.flatMap { current in
            (try? current.calculator.snapshot(on: today)).map { (snapshot: $0, version: current.calculator.version) }
        }
        // Decoding and profiling take about as long as writing the rows, so the records go in
        // parts, each decoded on every core while the one before is written. Only the last
        // write moves the cursor: after a crash in between, the batch is indexed again.
        var decoded: [(key: String, entry: HouseholdIndexEntry?)] = []
        for part in stride(from: 0, to: changes.records.count, by: 1000) {
            let previous = decoded
            async let writing: Void = previous.isEmpty ? () : database.index(previous, through: start)
            decoded = await entries(changes.records[part..<min(part + 1000, changes.records.count)], rules, today)
            try await writing
        }
        try await database.index(decoded, through: last)
        return changes.count
    }

    /// Index entries of the given records, decoded and profiled on every core.
    private func entries(
        _ records: ArraySlice<(key: String, payload: String?)>, _ rules: Rules?, _ today: CivilDate
    ) async -> [(key: String, entry: HouseholdIndexEntry?)] {
        let share = max(250, records.count / ProcessInfo.processInfo.activeProcessorCount + 1)
        return await withTaskGroup(of: [(key: String, entry: HouseholdIndexEntry?)].self) { group in
            for start in stride(from: records.startIndex, to: records.endIndex, by: share) {
                group.addTask {
                    let decoder = JSONDecoder()
                    return records[start..<min(start + share, records.endIndex)].map { key, payload in
                        let entry = payload.flatMap {
                            self.entry(for: key, payload: $0, rules: rules, today: today, decoder)
                        }
                        return (key, entry)
                    }
                }
            }
            return await group.reduce(into: []) { $0 += $1 }
        }
    }

    /// The policy's rules in force on the day, and its version.
    typealias Rules = (snapshot: PolicySnapshot, version: PolicyVersion)

    private func entry(
        for key: String, payload: String, rules: Rules?,
        today: CivilDate, _ decoder: JSONDecoder
    ) -> HouseholdIndexEntry? {
        guard let record = try? HouseholdRecord(json: Data(payload.utf8), decoder: decoder) else {
            logger.warning("registry record not indexed: not a household record", metadata: ["key": "\(key)"])
            return nil
        }
        let profile = rules.map { HouseholdProfile(record, snapshot: $0.snapshot, version: $0.version, date: today) }
        return HouseholdIndexEntry(
            key: key, village: record.village.digits, memberCount: record.members.count,
            perCapitaIncome: profile?.perCapitaIncome.rawValue
                ?? record.incomes.reduce(0) { $0 + $1.monthly.rawValue } / Int64(max(1, record.members.count)),
            programmes: record.enrolments.map(\.rawValue), tags: profile?.tags.map(\.tag.rawValue) ?? [],
            people: record.members.map {
                PersonIndexEntry(
                    citizenID: $0.citizenID, name: $0.name, birthOrdinal: Int($0.birthDate.ordinal),
                    disabilityGrade: $0.disability?.grade, seriousIllness: $0.seriousIllness)
            })
    }
}
