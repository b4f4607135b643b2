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
        let changes = try await database.householdChanges(after: start, limit: batch)
        guard let last = changes.last?.position else { return 0 }
        let current = try await policy.current()
        let today = CivilDate.today()
        var entries: [(key: String, entry: HouseholdIndexEntry?)] = []
        for key in Set(changes.map(\.key)) {
            entries.append((key, try await entry(for: key, policy: current, today: today)))
        }
        try await database.index(entries, through: last)
        return changes.count
    }

    private func entry(for key: String, policy current: PolicyService.Current?, today: CivilDate) async throws
        -> HouseholdIndexEntry?
    {
        guard let stored = try await database.household(key) else { return nil }
        guard let record = try? HouseholdRecord(json: Data(stored.payload.utf8)) else {
            logger.warning("registry record not indexed: not a household record", metadata: ["key": "\(key)"])
            return nil
        }
        let profile = current.flatMap { current in
            (try? current.calculator.snapshot(on: today)).map {
                HouseholdProfile(record, snapshot: $0, version: current.calculator.version, date: today)
            }
        }
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
