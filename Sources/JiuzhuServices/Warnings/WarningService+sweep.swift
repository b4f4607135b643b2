import Foundation
import JiuzhuDomain
import JiuzhuPolicy
import JiuzhuRegistry
import JiuzhuStorage

extension WarningService {
    /// What one sweep did.
    public struct SweepPass: Sendable, Codable, Equatable {
        /// Department records whose rules had not run (the import stopped between storing and
        /// raising).
        public var recordsTakenUp = 0
        public var raised = Raised()
        /// Overdue warnings sent up a level.
        public var escalated = 0
    }

    /// A pass over the whole aggregate (at the city): records whose rules have not run, the
    /// record rules again for households that arrived or changed since the last pass, the
    /// time-based rules (age crossings, duplicate assistance, the monitoring line, overdue
    /// re-verifications), and overdue warnings escalated a level.
    @discardableResult
    public func sweep() async throws -> SweepPass {
        guard node.level == .city else { return SweepPass() }
        var pass = SweepPass()
        let stopped = clock.now() - Self.unfinishedImportAge
        while true {
            let pending = try await store.pendingFeedRecords(receivedBy: stopped, limit: 5_000)
            guard !pending.isEmpty else { break }
            pass.recordsTakenUp += pending.count
            pass.raised = pass.raised + (try await evaluate(pending)).raised
        }
        pass.raised = pass.raised + (try await evaluateChangedHouseholds())
        let (context, current) = try await context()
        let facts = try await sweepFacts(context)
        pass.raised =
            pass.raised
            + (try await raise(SweepRules.drafts(facts, context: context), context: context, current: current))
        // Only once the drops are warned about: a pass cut short finds them again.
        try await store.rememberIncomes()
        pass.escalated = try await escalate(context: context, current: current)
        return pass
    }

    /// How long records an import stored are left to it to run their rules (milliseconds);
    /// after that the import is taken to have stopped and the sweep runs them. Sooner, the
    /// sweep would run the rules of a large import under way a second time beside it.
    public static let unfinishedImportAge: Int64 = 10 * 60 * 1000

    /// What the time-based rules read, found set-wise over the aggregate.
    func sweepFacts(_ context: WarningContext) async throws -> SweepRules.Facts {
        let ledger = RecipientLedger(
            enrolments: try await store.enrolments(within: node), decisions: try await store.decidedCases(within: node))
        var facts = SweepRules.Facts(ledger: ledger)
        let today = context.today
        for key in SweepRules.ageThresholds {
            let age = context.parameter(key)
            let latest = today.adding(months: -Int(age.value) * 12)
            let earliest = today.adding(days: -SweepRules.crossingWindowDays + 1).adding(months: -Int(age.value) * 12)
            facts.crossings += try await store.members(within: node, bornFrom: earliest.ordinal, to: latest.ordinal)
                .map { ($0, age) }
        }
        facts.shared = try await store.sharedMembers(within: node)
        let line = context.parameter(.monitoringLine)
        facts.incomeDrops = try await store.incomeDrops(within: node, below: (line.value + 11) / 12)
        facts.overdueReverifications = try await store.overdueReverifications(within: node, at: clock.now())
        return facts
    }

    /// Sends every open warning past its deadline up a level (village → township → county),
    /// with a new deadline counted from today; returns how many.
    func escalate(context: WarningContext, current: CaseworkRulesService.Current) async throws -> Int {
        let overdue = try await store.list(
            WarningQuery(within: node, dueBefore: context.today.ordinal, limit: 10_000)
        ).filter { $0.escalation != DivisionLevel.county.rawValue }
        guard !overdue.isEmpty else { return 0 }
        var records: [String: WarningRecord] = [:]
        for state in overdue {
            guard let held = try await store.warning(state.key),
                let record = try? JSONDecoder().decode(WarningRecord.self, from: Data(held.payload.utf8))
            else { continue }
            records[state.key] = record
        }
        let deadline = context.settings.verificationLimit(on: context.today).flatMap {
            current.calendar.deadline(after: context.today, limit: $0)
        }
        let owner = node
        let found = records
        return try await store.raise(keys: Array(found.keys), evaluated: []) { held in
            var rows: [LocalChange] = []
            for (key, var record) in found.sorted(by: { $0.key < $1.key }) {
                // Still open in the same raising, and not verified meanwhile.
                guard let state = held[key], state.status == "open", state.generation == record.generation,
                    let up = Self.escalation(above: record.escalation)
                else { continue }
                record.escalation = up
                record.dueOn = deadline?.dueOn
                record.dueProvisional = deadline?.provisional ?? false
                rows.append(try Self.row(record, owner: owner))
            }
            return (rows, rows.count)
        }
    }

    /// The level an overdue warning held at `level` goes to.
    static func escalation(above level: DivisionLevel) -> DivisionLevel? {
        switch level {
        case .village: .township
        case .township: .county
        default: nil
        }
    }

    // MARK: Dry run

    /// What a rule would raise over the aggregate now, before it goes live.
    public struct DryRun: Sendable, Codable {
        public let rule: WarningRule
        /// Whether the rule is on today.
        public let enabled: Bool
        public let total: Int
        /// Warnings that would be new (not held already).
        public let new: Int
        /// By county: code and count.
        public let byCounty: [String: Int]
        /// Up to 20, with their evidence.
        public let sample: [WarningDraft]
    }

    /// Runs `rule` over the aggregate as if it were on, writing nothing: the time-based rules
    /// over the registry and cases, the record-driven ones over every department record held.
    public func dryRun(_ rule: WarningRule) async throws -> DryRun {
        guard node.level == .city else {
            throw InputError(field: "rule", "预警规则只能在市级节点试运行")
        }
        let (live, _) = try await context()
        let context = live.enabling(rule)
        var drafts: [WarningDraft]
        if let feeds = Self.feeds(of: rule) {
            drafts = []
            var reads = RecordReads()
            var offset = 0
            while true {
                let records = try await store.feedRecords(ofFeeds: feeds.map(\.rawValue), limit: 2_000, offset: offset)
                guard !records.isEmpty else { break }
                offset += records.count
                drafts += try await self.drafts(for: records, context: context, reads: &reads).drafts
                    .filter { $0.rule == rule }
            }
        } else {
            drafts = SweepRules.drafts(try await sweepFacts(context), context: context, only: [rule])
        }
        var unique: [String: WarningDraft] = [:]
        for draft in drafts { unique[draft.key(owner: node)] = draft }
        // The warnings of the rule already held for these households, in one read.
        let held = Set(
            try await store.warnings(ofHouseholds: unique.values.map(\.household), rule: rule.rawValue).map(\.key))
        let new = unique.keys.filter { !held.contains($0) }.count
        let byCounty = Dictionary(grouping: unique.values, by: { String($0.village.prefix(6)) }).mapValues(\.count)
        return DryRun(
            rule: rule, enabled: live.isOn(rule), total: unique.count, new: new, byCounty: byCounty,
            sample: Array(unique.values.sorted { ($0.village, $0.household) < ($1.village, $1.household) }.prefix(20)))
    }

    /// The feeds whose records drive `rule`, or nil for a time-based rule.
    static func feeds(of rule: WarningRule) -> [DepartmentFeed]? {
        switch rule {
        case .death: [.deaths]
        case .employmentIncome: [.employment]
        case .medicalExpense: [.medical]
        case .severeDisabilityOrIllness: [.disability, .medical]
        case .assetRegistration: [.property, .business]
        case .disaster: [.disaster]
        case .schooling: [.schooling]
        case .ageCrossing, .duplicateAssistance, .reverificationOverdue, .monitoringIncome: nil
        }
    }
}

extension WarningContext {
    /// The same context with `rule` on, for a dry run.
    public func enabling(_ rule: WarningRule) -> WarningContext {
        var settings = settings
        settings.rules[rule] = [.init(from: .earliest, enabled: true)]
        return WarningContext(
            today: today, owner: owner, settings: settings, calculator: calculator, snapshot: snapshot)
    }
}
