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
    let store: any RegistryRepository
    let policy: PolicyService
    let logger: Logger

    public init(store: any RegistryRepository, policy: PolicyService, logger: Logger) {
        self.store = store
        self.policy = policy
        self.logger = logger
    }

    public func run() async throws {
        try await cancelWhenGracefulShutdown {
            var policySeen: String?
            while !Task.isCancelled {
                let current = try? await self.policy.current()
                if current?.published.contentHash != policySeen {
                    if policySeen != nil { try await self.store.index([], setAside: [], through: 0) }
                    policySeen = current?.published.contentHash
                }
                let seen = self.store.signal.generation(of: .registry)
                let read: Int
                do { read = try await self.catchUp() } catch is CancellationError { return } catch {
                    // A failed read or write (a busy or full disk) is retried after a pause; the
                    // node's other work goes on meanwhile rather than the node stopping.
                    self.logger.error("registry indexing failed; retrying", metadata: ["error": "\(error)"])
                    read = 0
                }
                if read == 0 {
                    _ = await self.store.signal.wait(for: .registry, after: seen, timeout: .seconds(1))
                } else if read < Self.batch {
                    try? await Task.sleep(for: Self.gatherPause)
                }
            }
        }
    }

    /// How many changes one round of indexing reads at most.
    public static let batch = 2000

    /// The pause after a round that found a few changes, before the next: changes that arrive
    /// one at a time (a village's operators, replicated up) are indexed a few at once. Each
    /// round reads and writes the database; at about 50 households a second, a round per
    /// household took a relaying node's processor from the replication it serves. A household
    /// is searchable at most this much later.
    static let gatherPause = Duration.milliseconds(50)

    /// Indexes what was logged since the last run; returns how many changes it read.
    ///
    /// A record that cannot be decoded or profiled is set aside with its reason (see
    /// ``SetAsideHousehold``) and the batch goes on: one bad household, however it got into the
    /// change log, never stops the indexing of the others.
    @discardableResult
    public func catchUp(batch: Int = RegistryIndexer.batch) async throws -> Int {
        let start = try await store.indexPosition()
        // One read for the batch: the changes with the current record of each household.
        let changes = try await store.householdChanges(after: start, limit: batch)
        guard let last = changes.lastPosition else { return 0 }
        let current = try await policy.current()
        let today = store.wallClock.today()
        // The rules in force today, resolved once for the batch rather than once per household.
        let rules: Rules? = current.flatMap { current in
            (try? current.calculator.snapshot(on: today)).map { (snapshot: $0, version: current.calculator.version) }
        }
        // Decoding and profiling take about as long as writing the rows, so the records go in
        // parts, each decoded on every core while the one before is written. Only the last
        // write moves the cursor: after a crash in between, the batch is indexed again.
        var decoded = Outcomes()
        for part in stride(from: 0, to: changes.records.count, by: 1000) {
            let previous = decoded
            async let writing: Void =
                previous.isEmpty ? () : store.index(previous.entries, setAside: previous.setAside, through: start)
            decoded = await outcomes(changes.records[part..<min(part + 1000, changes.records.count)], rules, today)
            try await writing
        }
        try await store.index(decoded.entries, setAside: decoded.setAside, through: last)
        return changes.count
    }

    /// What one part of a batch comes to: index entries (nil removes a deleted household) and
    /// the households set aside.
    struct Outcomes: Sendable {
        var entries: [(key: String, entry: HouseholdIndexEntry?)] = []
        var setAside: [SetAsideHousehold] = []

        var isEmpty: Bool { entries.isEmpty && setAside.isEmpty }

        static func + (lhs: Outcomes, rhs: Outcomes) -> Outcomes {
            Outcomes(entries: lhs.entries + rhs.entries, setAside: lhs.setAside + rhs.setAside)
        }
    }

    /// Index entries of the given records, decoded and profiled on every core.
    private func outcomes(
        _ records: ArraySlice<(key: String, payload: String?)>, _ rules: Rules?, _ today: CivilDate
    ) async -> Outcomes {
        let share = max(250, records.count / ProcessInfo.processInfo.activeProcessorCount + 1)
        let now = store.wallClock.now()
        return await withTaskGroup(of: Outcomes.self) { group in
            for start in stride(from: records.startIndex, to: records.endIndex, by: share) {
                group.addTask {
                    let decoder = JSONDecoder()
                    var outcomes = Outcomes()
                    for (key, payload) in records[start..<min(start + share, records.endIndex)] {
                        guard let payload else {
                            outcomes.entries.append((key, nil))
                            continue
                        }
                        switch Self.entry(for: key, payload: payload, rules: rules, today: today, decoder) {
                        case .success(let entry): outcomes.entries.append((key, entry))
                        case .failure(let refusal):
                            self.logger.warning(
                                "registry record set aside", metadata: ["key": "\(key)", "reason": "\(refusal.reason)"])
                            outcomes.setAside.append(
                                SetAsideHousehold(key: key, reason: refusal.reason, setAsideAt: now))
                        }
                    }
                    return outcomes
                }
            }
            return await group.reduce(into: Outcomes()) { $0 = $0 + $1 }
        }
    }

    /// The policy's rules in force on the day, and its version.
    typealias Rules = (snapshot: PolicySnapshot, version: PolicyVersion)

    /// Why a record could not be indexed, in Chinese, naming the field.
    struct Refusal: Error {
        let reason: String
    }

    /// The index entry of one stored record, or why there can be none. Static and pure, so
    /// the fuzz tests drive exactly the path a replicated record takes.
    static func entry(
        for key: String, payload: String, rules: Rules?, today: CivilDate, _ decoder: JSONDecoder = JSONDecoder()
    ) -> Result<HouseholdIndexEntry, Refusal> {
        let record: HouseholdRecord
        do { record = try HouseholdRecord(json: Data(payload.utf8), decoder: decoder) } catch {
            return .failure(Refusal(reason: "不是可读的家庭记录：\(error.description)"))
        }
        return entry(for: key, record: record, rules: rules, today: today)
    }

    /// The index entry of a decoded record, or why it cannot be profiled.
    static func entry(for key: String, record: HouseholdRecord, rules: Rules?, today: CivilDate)
        -> Result<HouseholdIndexEntry, Refusal>
    {
        let perCapitaIncome: Fen
        var tags: [String] = []
        do {
            if let rules {
                let profile = try HouseholdProfile(
                    record, snapshot: rules.snapshot, version: rules.version, date: today)
                perCapitaIncome = profile.perCapitaIncome
                tags = profile.tags.map(\.tag.rawValue)
            } else {
                perCapitaIncome = try Fen.checkedSum(record.incomes.lazy.map(\.monthly), field: "incomes")
                    .perCapita(record.members.count)
            }
        } catch {
            return .failure(Refusal(reason: "无法计算画像：\(error.description)"))
        }
        return .success(
            HouseholdIndexEntry(
                key: key, village: record.village.digits, memberCount: record.members.count,
                perCapitaIncome: perCapitaIncome.rawValue, programmes: record.enrolments.map(\.rawValue), tags: tags,
                people: record.members.map {
                    PersonIndexEntry(
                        citizenID: $0.citizenID, name: $0.name, birthOrdinal: Int($0.birthDate.ordinal),
                        disabilityGrade: $0.disability?.grade, seriousIllness: $0.seriousIllness)
                }))
    }
}
