import Foundation
import JiuzhuDomain
import JiuzhuPolicy
import JiuzhuRegistry
import JiuzhuStorage

/// The warning platform (一个平台预警): department records in, rules run, warnings raised with
/// their evidence and routed to the household's village with a deadline on the working-day
/// calendar; the village confirms (opening the right case) or dismisses with a reason; an
/// overdue warning goes up a level.
///
/// The same fact is always the same warning (its key is made from rule, household, source and
/// period): found again with the same evidence it changes nothing, with other evidence an open
/// warning is brought up to date and a dismissed one is raised again; a confirmed one stays.
///
/// ```swift
/// let summary = try await services.warnings.importFeed(records, feed: .deaths, source: "deaths.csv", by: actor)
/// let pass = try await services.warnings.sweep()
/// ```
public struct WarningService: Sendable {
    public let store: any WarningRepository
    public let registry: any RegistryRepository
    public let rules: CaseworkRulesService
    public let cases: CaseService

    public init(
        store: any WarningRepository, registry: any RegistryRepository, rules: CaseworkRulesService, cases: CaseService
    ) {
        self.store = store
        self.registry = registry
        self.rules = rules
        self.cases = cases
    }

    var node: DivisionCode { store.owner.code }
    var clock: NodeClock { store.wallClock }

    /// What the rules run with today, or why they cannot run: no policy yet, or a policy
    /// without a warnings section.
    public func context() async throws -> (WarningContext, CaseworkRulesService.Current) {
        let current = try await rules.current()
        let calculator = current.policy.calculator
        guard let settings = calculator.document.warnings else {
            throw InputError(
                field: nil, "政策版本 \(current.policy.published.label) 没有预警规则（warnings），请市级发布含预警规则的新版本")
        }
        let today = clock.today()
        let snapshot: PolicySnapshot
        do { snapshot = try calculator.snapshot(on: today) } catch {
            throw InputError(field: nil, error.description)
        }
        return (
            WarningContext(today: today, owner: node, settings: settings, calculator: calculator, snapshot: snapshot),
            current
        )
    }

    // MARK: Raising

    /// What raising a set of drafts did.
    public struct Raised: Sendable, Equatable, Codable {
        /// Warnings raised for the first time.
        public var new = 0
        /// Open warnings whose evidence changed.
        public var updated = 0
        /// Dismissed warnings raised again because their evidence changed.
        public var raisedAgain = 0
        /// Facts found again with the same evidence, or already confirmed: nothing written.
        public var unchanged = 0
        /// Facts left alone because the household has an open or confirmed warning of the same
        /// rule for another period within the last months.
        public var suppressed = 0
        /// The keys written.
        public var keys: [String] = []

        public init() {}

        init(new: Int, updated: Int, raisedAgain: Int, unchanged: Int, suppressed: Int, keys: [String]) {
            self.new = new
            self.updated = updated
            self.raisedAgain = raisedAgain
            self.unchanged = unchanged
            self.suppressed = suppressed
            self.keys = keys
        }

        /// Whether nothing was written.
        public var wroteNothing: Bool { new + updated + raisedAgain == 0 }

        public static func + (lhs: Raised, rhs: Raised) -> Raised {
            Raised(
                new: lhs.new + rhs.new, updated: lhs.updated + rhs.updated,
                raisedAgain: lhs.raisedAgain + rhs.raisedAgain,
                unchanged: lhs.unchanged + rhs.unchanged, suppressed: lhs.suppressed + rhs.suppressed,
                keys: lhs.keys + rhs.keys)
        }
    }

    /// A rule with periods (wages per month, medical spending per year) stays quiet this many
    /// months after raising a warning the village has not dismissed.
    public static let periodQuietMonths = 6

    /// Raises `drafts` (and marks `evaluated` department records done) in one transaction.
    @discardableResult
    public func raise(
        _ drafts: [WarningDraft], evaluated: [(feed: String, recordID: String)] = [], context: WarningContext,
        current: CaseworkRulesService.Current
    ) async throws -> Raised {
        var outcome = Raised()
        var byKey: [String: WarningDraft] = [:]
        let quiet = try await quietPeriods(of: drafts, today: context.today)
        for draft in drafts {
            let key = draft.key(owner: node)
            // A periodic fact already warned about, and not dismissed, for another period.
            if quiet[draft.rule]?[draft.household]?.contains(where: { $0 != key }) ?? false {
                outcome.suppressed += 1
                continue
            }
            byKey[key] = draft
        }
        let limit = context.settings.verificationLimit(on: context.today)
        let deadline = limit.flatMap { current.calendar.deadline(after: context.today, limit: $0) }
        let owner = node
        let policyVersion = context.policyVersion
        let today = context.today
        let keys = byKey.keys.sorted()
        // Encoded and hashed before the write transaction, which holds the node's one writer.
        let drafted = try Self.encoded(byKey)
        let tally: Raised = try await store.raise(keys: keys, evaluated: evaluated) { held in
            var rows: [LocalChange] = []
            var tally = Raised()
            for key in keys {
                guard let (draft, evidence, hash) = drafted[key] else { continue }
                let generation: Int
                var raisedOn = today
                var dueOn = deadline
                switch held[key] {
                case nil:
                    generation = 1
                    tally.new += 1
                case let state? where state.status == "open" && state.evidenceHash != hash:
                    generation = state.generation
                    raisedOn = CivilDate(ordinal: state.raisedOn) ?? today
                    dueOn = state.dueOn.flatMap(CivilDate.init(ordinal:)).map {
                        Deadline(dueOn: $0, calendarVersions: [], provisional: deadline?.provisional ?? false)
                    }
                    tally.updated += 1
                case let state? where state.status == "dismissed" && state.evidenceHash != hash:
                    generation = state.generation + 1
                    tally.raisedAgain += 1
                default:
                    tally.unchanged += 1
                    continue
                }
                let record = WarningRecord(
                    warningID: key, rule: draft.rule, household: draft.household, village: draft.village,
                    person: draft.person, personName: draft.personName, source: draft.source, period: draft.period,
                    generation: generation, raisedOn: raisedOn, dueOn: dueOn?.dueOn,
                    dueProvisional: dueOn?.provisional ?? false,
                    escalation: held[key].flatMap { DivisionLevel(rawValue: $0.escalation) } ?? .village,
                    summary: draft.summary, evidence: draft.evidence, evidenceHash: hash, programmes: draft.programmes,
                    action: draft.action, policyVersion: policyVersion)
                rows.append(try Self.row(record, owner: owner, evidence: evidence))
                tally.keys.append(key)
            }
            return (rows, tally)
        }
        return outcome + tally
    }

    /// Each draft with its evidence encoded and hashed, on every core.
    static func encoded(_ drafts: [String: WarningDraft]) throws -> [String: (
        draft: WarningDraft, evidence: [UInt8], hash: String
    )] {
        let encoded = Array(drafts).concurrentMap(minimumSlice: 100) { key, draft in
            Result { (key, draft, try draft.evidence.encodedWithHash()) }
        }
        var result: [String: (draft: WarningDraft, evidence: [UInt8], hash: String)] = [:]
        for entry in encoded {
            let (key, draft, (json, hash)) = try entry.get()
            result[key] = (draft, json, hash)
        }
        return result
    }

    /// For the rules with periods among `drafts`: each household's warnings of the rule raised
    /// within the quiet months and not dismissed, by key; one read per rule.
    func quietPeriods(of drafts: [WarningDraft], today: CivilDate) async throws
        -> [WarningRule: [String: [String]]]
    {
        let since = today.adding(months: -Self.periodQuietMonths).ordinal
        var quiet: [WarningRule: [String: [String]]] = [:]
        for (rule, periodic) in Dictionary(grouping: drafts.filter { !$0.period.isEmpty }, by: \.rule) {
            for warning in try await store.warnings(ofHouseholds: periodic.map(\.household), rule: rule.rawValue)
            where warning.status != "dismissed" && warning.raisedOn >= since {
                quiet[rule, default: [:]][warning.household, default: []].append(warning.key)
            }
        }
        return quiet
    }

    /// The replicated row of `record`, addressed to its village.
    /// `evidence` is the record's evidence already encoded, when it is.
    static func row(_ record: WarningRecord, owner: DivisionCode, evidence: [UInt8]? = nil) throws -> LocalChange {
        guard let village = try? DivisionCode(record.village), village.level == .village else {
            throw InputError(field: "village", "预警 \(record.warningID) 的村（居）代码 \(record.village) 无效")
        }
        let payload =
            if let evidence { record.rowJSON(evidence: evidence) } else {
                String(decoding: try JSONEncoder.rows.encode(record), as: UTF8.self)
            }
        return LocalChange(
            channel: .warnings, entity: RowOwnership.WarningsEntity.warning.rawValue, key: record.warningID,
            jurisdiction: village, payload: payload)
    }
}
