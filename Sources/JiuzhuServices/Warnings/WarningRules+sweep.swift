import JiuzhuDomain
import JiuzhuPolicy
import JiuzhuRegistry
import JiuzhuStorage

/// The time-based rules the sweep runs over the whole aggregate, as pure functions of the
/// facts the store finds set-wise (members by birth, shared members, low incomes, overdue
/// re-verifications) and of who receives what.
public enum SweepRules {
    /// The facts one pass reads.
    public struct Facts: Sendable {
        public var ledger: RecipientLedger
        /// Members who reached an age threshold in the window, with the threshold.
        public var crossings: [(member: MemberFact, age: ResolvedParameter)] = []
        /// Members listed in more than one household.
        public var shared: [MemberFact] = []
        /// Households whose income fell under the monitoring line since the last pass.
        public var incomeDrops: [IncomeFact] = []
        /// Open re-verifications past their deadline.
        public var overdueReverifications: [CaseSummaryRow] = []

        public init(ledger: RecipientLedger) { self.ledger = ledger }
    }

    /// How many days back an age crossing is still looked for: a pass missed for a month
    /// still finds it.
    public static let crossingWindowDays = 31

    /// The thresholds whose crossing changes eligibility: the minor age (16), the children's
    /// allowances' limit (18) and the elder age (60).
    public static let ageThresholds: [ParameterKey] = [.minorAge, .childAgeLimit, .elderAge]

    /// The warnings the facts give under the rules on today, among `only` when given.
    public static func drafts(_ facts: Facts, context: WarningContext, only: Set<WarningRule>? = nil) -> [WarningDraft]
    {
        func on(_ rule: WarningRule) -> Bool { context.isOn(rule) && (only?.contains(rule) ?? true) }
        var drafts: [WarningDraft] = []
        if on(.ageCrossing) { drafts += ageCrossings(facts, context) }
        if on(.duplicateAssistance) { drafts += duplicates(facts, context) }
        if on(.monitoringIncome) { drafts += monitoring(facts, context) }
        if on(.reverificationOverdue) { drafts += overdue(facts, context) }
        return drafts
    }

    static func householdFacts(_ household: String, _ ledger: RecipientLedger) -> [WarningEvidence.Fact] {
        let received = ledger.received(by: household)
        return [
            .init("家庭", household),
            .init("享受的救助", received.isEmpty ? "无" : received.map(\.chineseName).joined(separator: "、")),
        ]
    }

    static func ageCrossings(_ facts: Facts, _ context: WarningContext) -> [WarningDraft] {
        facts.crossings.compactMap { crossing in
            let member = crossing.member
            let received = facts.ledger.received(by: member.household)
            guard !received.isEmpty, let birth = CivilDate(ordinal: member.birth) else { return nil }
            let age = crossing.age.value
            let on = birth.adding(months: Int(age) * 12)
            return WarningDraft(
                rule: .ageCrossing, household: member.household, village: member.village, person: member.citizenID,
                personName: member.name, source: "age:\(member.citizenID):\(age)", period: "",
                summary: "\(member.name)于 \(on) 年满 \(age) 周岁（\(crossing.age.name)）",
                evidence: WarningEvidence(
                    facts: householdFacts(member.household, facts.ledger) + [
                        .init("出生日期", birth.description), .init("年满 \(age) 周岁之日", on.description),
                    ],
                    condition: "保障家庭成员年满 \(crossing.age.valueText)，劳动能力或儿童保障资格随之变化，应复查",
                    parameters: [crossing.age]),
                programmes: received, action: .change)
        }
    }

    static func duplicates(_ facts: Facts, _ context: WarningContext) -> [WarningDraft] {
        var drafts: [WarningDraft] = []
        let ledger = facts.ledger
        // One person in two recipient households.
        let byPerson = Dictionary(grouping: facts.shared, by: \.citizenID)
        for (citizenID, entries) in byPerson.sorted(by: { $0.key < $1.key }) {
            let recipients = entries.filter { ledger.isRecipient($0.household) }
            guard recipients.count > 1 else { continue }
            let villages = Set(recipients.map(\.village))
            let listing = recipients.map {
                "\($0.household)（\(ledger.received(by: $0.household).map(\.chineseName).joined(separator: "、"))）"
            }
            for entry in recipients {
                drafts.append(
                    WarningDraft(
                        rule: .duplicateAssistance, household: entry.household, village: entry.village,
                        person: citizenID, personName: entry.name, source: "duplicate:person:\(citizenID)", period: "",
                        summary: "\(entry.name)同时是 \(recipients.count) 个保障家庭的成员"
                            + (villages.count > 1 ? "（分属 \(villages.count) 个村居，两地享受）" : ""),
                        evidence: WarningEvidence(
                            facts: householdFacts(entry.household, ledger) + [
                                .init("所在的保障家庭", listing.joined(separator: "；"))
                            ],
                            condition: "同一人只能在一个家庭享受救助", parameters: []),
                        programmes: ledger.received(by: entry.household), action: .change))
            }
        }
        // Mutually exclusive programmes received by one household. Groups with 特困 are per
        // person (a 特困 member inside a dibao household is lawful), so they are left out here.
        for (household, programmes) in ledger.programmes.sorted(by: { $0.key < $1.key }) {
            for group in context.snapshot.exclusiveGroups where !group.contains(.extremePoverty) {
                let both = group.filter(programmes.contains)
                guard both.count > 1, let village = ledger.villages[household] else { continue }
                drafts.append(
                    WarningDraft(
                        rule: .duplicateAssistance, household: household, village: village, person: nil,
                        personName: nil,
                        source: "duplicate:programmes:" + both.map(\.rawValue).joined(separator: "+"), period: "",
                        summary: "家庭同时享受互斥的\(both.map(\.chineseName).joined(separator: "和"))",
                        evidence: WarningEvidence(
                            facts: householdFacts(household, ledger),
                            condition: "政策规定" + group.map(\.chineseName).joined(separator: "、") + "不能同时享受",
                            parameters: []),
                        programmes: both, action: .change))
            }
        }
        // Temporary assistance granted twice within the days that make it one event.
        let days = context.parameter(.temporaryRepeatDays)
        for (household, grants) in ledger.temporaryGrants.sorted(by: { $0.key < $1.key }) {
            let sorted = grants.sorted { ($0.decidedOn, $0.caseID) < ($1.decidedOn, $1.caseID) }
            for (first, second) in zip(sorted, sorted.dropFirst())
            where second.decidedOn <= first.decidedOn.adding(days: Int(days.value)) {
                guard let village = ledger.villages[household] else { continue }
                drafts.append(
                    WarningDraft(
                        rule: .duplicateAssistance, household: household, village: village, person: nil,
                        personName: nil,
                        source: "duplicate:temporary:\(first.caseID)+\(second.caseID)", period: "",
                        summary:
                            "临时救助于 \(first.decidedOn) 和 \(second.decidedOn) 两次批准（案件 \(first.caseID)、\(second.caseID)）",
                        evidence: WarningEvidence(
                            facts: householdFacts(household, ledger) + [
                                .init("第一次批准", "\(first.decidedOn)（\(first.caseID)）"),
                                .init("第二次批准", "\(second.decidedOn)（\(second.caseID)）"),
                            ],
                            condition: "两次临时救助相隔不超过 \(days.valueText)，可能为同一事件重复救助",
                            parameters: [days]),
                        programmes: [.temporaryAssistance], action: .change))
            }
        }
        return drafts
    }

    /// A registered household not in assistance whose per-capita income fell under the
    /// monitoring line since the last pass (one that was under it when first seen is the
    /// village's own registration, already known).
    static func monitoring(_ facts: Facts, _ context: WarningContext) -> [WarningDraft] {
        let line = context.parameter(.monitoringLine)
        return facts.incomeDrops.compactMap { income in
            guard !facts.ledger.isRecipient(income.household), income.perCapitaIncome * 12 < line.value,
                income.previous * 12 >= line.value
            else { return nil }
            let yearly = Fen(income.perCapitaIncome * 12)
            return WarningDraft(
                rule: .monitoringIncome, household: income.household, village: income.village, person: nil,
                personName: nil, source: "income", period: "",
                summary: "家庭人均年收入降至约 \(yearly)（原约 \(Fen(income.previous * 12))），低于监测预警收入线 \(line.valueText)，家庭未享受救助",
                evidence: WarningEvidence(
                    facts: householdFacts(income.household, facts.ledger) + [
                        .init("家庭人均月收入（原）", Fen(income.previous).description),
                        .init("家庭人均月收入（现）", Fen(income.perCapitaIncome).description),
                        .init("折合人均年收入（现）", yearly.description),
                    ],
                    condition: "人均年收入 \(yearly) < 监测预警收入线 \(Fen(line.value))（原先不低于），且未享受救助：应主动发现、主动救助",
                    parameters: [line]),
                programmes: [], action: .application)
        }
    }

    static func overdue(_ facts: Facts, _ context: WarningContext) -> [WarningDraft] {
        facts.overdueReverifications.compactMap { summary in
            guard let household = summary.household, let programme = Programme(rawValue: summary.programme) else {
                return nil
            }
            return WarningDraft(
                rule: .reverificationOverdue, household: household, village: summary.village.digits, person: nil,
                personName: nil, source: "case:\(summary.caseID)", period: "",
                summary:
                    "\(programme.chineseName)定期复核 \(summary.caseID) 已逾期（应于 \(summary.dueOn?.description ?? "—") 前完成）",
                evidence: WarningEvidence(
                    facts: householdFacts(household, facts.ledger) + [
                        .init("复核案件", summary.caseID), .init("当前环节", summary.stage),
                        .init("期限", summary.dueOn?.description ?? "—"),
                    ],
                    condition: "定期复核超过办理时限", parameters: []),
                programmes: [programme], action: .overdueCase)
        }
    }
}
