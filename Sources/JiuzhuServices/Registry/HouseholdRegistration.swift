import Foundation
import JiuzhuDomain
import JiuzhuPolicy
import JiuzhuRegistry
import JiuzhuStorage

/// Registering and changing households: the one path by which a household is written,
/// whether from the registry's page, its API, a register imported on the command line or the
/// synthetic population. Every path checks that this node owns the household (its village),
/// validates the record, writes it with its change-log entry and audit entry in one commit,
/// and has the index brought up to date when the node runs one.
///
/// ```swift
/// let registration = HouseholdRegistration(store: database.registry, indexer: indexer)
/// let saved = try await registration.register(record, by: actor)
/// ```
public struct HouseholdRegistration: Sendable {
    /// A stored household's number and version.
    public struct Saved: Encodable, Equatable, Sendable {
        public let id: String
        public let version: Int64
    }

    /// What an import did.
    public struct ImportSummary: Equatable, Sendable, CustomStringConvertible {
        public var created = 0
        public var updated = 0
        public var unchanged = 0

        public var description: String { "新增 \(created) 户，更新 \(updated) 户，未变 \(unchanged) 户。" }
    }

    /// Where households are kept.
    public let store: any RegistryRepository
    /// The node's indexer, caught up after each registration so search shows the change at
    /// once; nil where no node runs in this process (the command line), whose indexer will
    /// find the change in the log.
    public let indexer: RegistryIndexer?
    /// Today's date comes from the store's clock, the node's one clock.
    var clock: NodeClock { store.wallClock }

    public init(store: any RegistryRepository, indexer: RegistryIndexer? = nil) {
        self.store = store
        self.indexer = indexer
    }

    /// Registration at the node that owns `database`, without an indexer in this process.
    public init(database: NodeDatabase) {
        self.init(store: database.registry)
    }

    /// Registers a new household at its village; the village numbers it.
    public func register(_ record: HouseholdRecord, by actor: AuditActor) async throws -> Saved {
        try requireOwnership(of: record)
        var record = try record.validated(today: clock.today())
        record.id = try await store.nextHouseholdKey(at: store.owner.code)
        return try await save(record, expected: nil, action: "registry.create", by: actor)
    }

    /// Replaces household `id` with `record`, if the stored one is still at `version`
    /// (``RegistryConflict`` otherwise: someone else changed it meanwhile).
    public func change(id: String, to record: HouseholdRecord, version: Int64, by actor: AuditActor) async throws
        -> Saved
    {
        let node = store.owner
        guard node.role == .village, record.village == node.code, id.hasPrefix(node.code.digits + "-") else {
            throw InputError(field: "village", "只能在户籍所在的村（居）节点修改该户")
        }
        var record = try record.validated(today: clock.today())
        record.id = id
        return try await save(record, expected: version, action: "registry.update", by: actor)
    }

    /// Writes the households of an imported register (already read and checked whole, see
    /// ``RegistryImport``): new ones are created, changed ones replaced, the same ones left
    /// alone, so importing a file twice changes nothing. `progress` hears each household.
    public func importRegister(
        _ households: [HouseholdRecord], file: String, by actor: AuditActor, progress: () -> Void = {}
    ) async throws -> ImportSummary {
        guard store.owner.role == .village else {
            throw InputError(field: nil, "只能导入到村（居）节点：家庭由户籍所在的村（居）登记")
        }
        let today = clock.today()
        // Checked whole before anything is written: a file with one bad household imports none.
        let checked = try households.map { household throws -> HouseholdRecord in
            try requireOwnership(of: household)
            var record = try household.validated(today: today)
            record.id = household.id
            return record
        }
        var summary = ImportSummary()
        for household in checked {
            let existing = try await store.household(household.id)
            var stored = existing.flatMap { try? HouseholdRecord(json: Data($0.payload.utf8)) }
            stored?.changedBy = nil
            if stored == household {
                summary.unchanged += 1
            } else {
                var record = household
                record.changedBy = actor.name
                _ = try await store.saveHousehold(
                    key: record.id, village: record.village, payload: record.json(),
                    expectedSequence: existing?.sequence,
                    audit: AuditRecord(
                        actor: actor.name, role: actor.role, action: "registry.import", target: record.id,
                        outcome: .allowed, detail: "从 \(file) 导入家庭 \(record.id)"))
                if existing == nil { summary.created += 1 } else { summary.updated += 1 }
            }
            progress()
        }
        try await indexer?.catchUp()
        return summary
    }

    /// Adds households that do not exist yet, in one commit with one audit entry, leaving the
    /// existing ones alone; returns how many were new. For generated populations, written in
    /// bulk: each household is checked and validated as a registration would be.
    public func addNew(_ households: [HouseholdRecord], reason: String, by actor: AuditActor) async throws -> Int {
        let today = clock.today()
        let checked = try households.map { household throws -> HouseholdRecord in
            try requireOwnership(of: household)
            var record = try household.validated(today: today)
            record.id = household.id
            record.changedBy = household.changedBy
            return record
        }
        let written = try await store.addHouseholds(
            checked.map { ($0.id, $0.village, $0.json()) },
            audit: AuditRecord(
                actor: actor.name, role: actor.role, action: "registry.synthesize", target: store.owner.code.digits,
                outcome: .allowed, detail: reason))
        try await indexer?.catchUp()
        return written
    }

    /// A household is registered and changed only at its own village (DESIGN.md, ownership).
    private func requireOwnership(of record: HouseholdRecord) throws {
        let node = store.owner
        guard node.role == .village, record.village == node.code else {
            throw InputError(field: "village", "家庭须在其户籍所在的村（居）节点登记（本节点 \(node.code.digits)）")
        }
    }

    private func save(_ record: HouseholdRecord, expected: Int64?, action: String, by actor: AuditActor)
        async throws -> Saved
    {
        var record = record
        record.changedBy = actor.name
        let change = try await store.saveHousehold(
            key: record.id, village: record.village, payload: record.json(), expectedSequence: expected,
            audit: AuditRecord(
                actor: actor.name, role: actor.role, action: action, target: record.id, outcome: .allowed,
                detail: "\(action == "registry.create" ? "登记" : "修改")家庭 \(record.id)，\(record.members.count) 人"))
        try await indexer?.catchUp()
        return Saved(id: record.id, version: change.originSequence)
    }
}
