import JiuzhuDomain
import JiuzhuPolicy
import JiuzhuRegistry

/// The rules a department record triggers, as pure functions of the record, the households
/// that hold the person, the department records the city holds about their members, and the
/// policy: every warning carries the records, the facts, the condition and the parameters.
public enum FeedRules {
    /// The warnings `record` triggers in `households` (those listing the person), reading
    /// `related` (every record held about their members, `record` among them).
    public static func drafts(
        for record: FeedRecord, in households: [HouseholdFacts], related: [FeedRecord], context: WarningContext
    ) -> [WarningDraft] {
        households.flatMap { household -> [WarningDraft] in
            guard let member = household.member(record.citizenID), mayConcern(record, receiving: household.received)
            else { return [] }
            let about = Subject(record: record, household: household, member: member, related: related)
            switch record.facts {
            case .death: return death(about, context)
            case .employment: return employment(about, context)
            case .medical(_, _, let serious, _):
                return medical(about, context) + (serious ? illness(about, context) : [])
            case .disability(let category, let grade): return disability(about, category, grade, context)
            case .schooling(let event, _, _): return schooling(about, event, context)
            case .property(let kind, _, _): return property(about, kind, context)
            case .business(_, _, let active): return active ? business(about, context) : []
            case .disaster(let event, _, _): return disaster(about, event, context)
            }
        }
    }

    /// Whether any rule of `record`'s feed could fire for a household receiving `received`: a
    /// condition every one of those rules requires, so that an import need not decode a
    /// household none of them can concern (``drafts(for:in:related:context:)`` applies it too).
    public static func mayConcern(_ record: FeedRecord, receiving received: [Programme]) -> Bool {
        switch record.facts {
        case .death, .property: !received.isEmpty
        case .employment: received.contains(where: incomeTested.contains)
        // The illness rule concerns any household; the expense rule only one receiving nothing.
        case .medical(_, _, let serious, _): serious || received.isEmpty
        case .disability, .disaster: true
        case .schooling(let event, _, _): event != .enrolled && received.contains(where: keptWhileInSchool.contains)
        case .business(_, _, let active): active && !received.isEmpty
        }
    }

    /// One record about one member of one household.
    struct Subject {
        let record: FeedRecord
        let household: HouseholdFacts
        let member: PersonRecord
        let related: [FeedRecord]

        var memberIDs: Set<String> { Set(household.record.members.map { $0.citizenID.uppercased() }) }

        /// Records of `feed` about any member of the household.
        func householdRecords(_ feed: DepartmentFeed) -> [FeedRecord] {
            let ids = memberIDs
            return related.filter { $0.feed == feed && ids.contains($0.citizenID.uppercased()) }
        }

        var who: String { "\(member.name)（\(member.relation.chineseName)）" }

        func draft(
            _ rule: WarningRule, source: String, period: String = "", summary: String, records: [FeedRecord],
            facts: [WarningEvidence.Fact] = [], condition: String, parameters: [ResolvedParameter] = [],
            programmes: [Programme], action: WarningAction
        ) -> WarningDraft {
            WarningDraft(
                rule: rule, household: household.record.id, village: household.record.village.digits,
                person: member.citizenID, personName: member.name, source: source, period: period, summary: summary,
                evidence: WarningEvidence(
                    records: records, facts: household.facts + facts, condition: condition, parameters: parameters),
                programmes: programmes, action: action)
        }
    }

    static func death(_ about: Subject, _ context: WarningContext) -> [WarningDraft] {
        guard context.isOn(.death), !about.household.received.isEmpty else { return [] }
        let records = about.related.filter { $0.feed == .deaths && $0.citizenID == about.record.citizenID }
        return [
            about.draft(
                .death, source: "person:\(about.member.citizenID)",
                summary:
                    "\(about.who)于 \(about.record.date) 死亡（部门报送的死亡信息，记录 \(records.map(\.recordID).joined(separator: "、"))）",
                records: records, condition: "保障家庭成员死亡的，应复查家庭情况并停发或调整救助",
                programmes: about.household.received, action: .deathRecheck)
        ]
    }

    /// Programmes whose eligibility turns on the household's income.
    static let incomeTested: Set<Programme> = [.dibao, .dibaoEdge, .extremePoverty, .rigidExpenditure]

    static func employment(_ about: Subject, _ context: WarningContext) -> [WarningDraft] {
        let received = about.household.received.filter(incomeTested.contains)
        guard context.isOn(.employmentIncome), !received.isEmpty else { return [] }
        let month = about.record.date.firstOfMonth
        let records = about.householdRecords(.employment).filter { $0.date.firstOfMonth == month }
        var wages: [Fen] = []
        for record in records {
            if case .employment(_, let wage, _) = record.facts { wages.append(wage) }
        }
        let household = about.household.record
        guard let reported = try? Fen.checkedSum(wages, field: "monthlyWage"),
            let declared = try? Fen.checkedSum(
                household.incomes.filter { $0.type == .wages }.map(\.monthly), field: "wages"),
            reported > declared
        else { return [] }
        var adjusted = household
        adjusted.incomes =
            household.incomes.filter { $0.type != .wages }
            + [IncomeDeclaration(type: .wages, monthly: reported, declaredOn: month)]
        // The quick evaluation first; the explanations only for a household the rule fires for.
        guard let result = try? context.calculator.evaluate(adjusted.situation, on: context.today) else { return [] }
        let lost = received.filter { !result.eligible.contains($0) }
        guard !lost.isEmpty, let before = try? context.calculator.explain(household.situation, on: context.today),
            let after = try? context.calculator.explain(adjusted.situation, on: context.today)
        else { return [] }
        let explanations = after.programmes.filter { lost.contains($0.programme) }
        let unmet = explanations.flatMap { $0.conditions.filter { !$0.met }.map(\.text) }
        let perCapita = { (explanation: Explanation) in
            explanation.figures.first { $0.name.contains("人均") }?.value ?? "—"
        }
        let monthText = String(month.description.prefix(7))
        return [
            about.draft(
                .employmentIncome, source: "employment", period: monthText,
                summary:
                    "\(monthText) 人社报送家庭成员工资合计 \(reported)，登记的工资性收入为 \(declared)，按此计算不再符合\(lost.map(\.chineseName).joined(separator: "、"))",
                records: records,
                facts: [
                    .init("登记的月工资性收入", declared.description), .init("人社报送的月工资合计", reported.description),
                    .init("家庭人均收入（登记）", perCapita(before)), .init("家庭人均收入（按报送工资）", perCapita(after)),
                ],
                condition: unmet.joined(separator: "；"),
                parameters: explanations.flatMap(\.parameters).uniqued(), programmes: lost, action: .change)
        ]
    }

    static func medical(_ about: Subject, _ context: WarningContext) -> [WarningDraft] {
        guard context.isOn(.medicalExpense), about.household.received.isEmpty else { return [] }
        let since = context.today.adding(months: -12)
        let records = about.householdRecords(.medical).filter { $0.date > since && $0.date <= context.today }
        var paid: [Fen] = []
        for record in records {
            if case .medical(_, let outOfPocket, _, _) = record.facts { paid.append(outOfPocket) }
        }
        let line = context.parameter(.medicalWarningLine)
        guard let total = try? Fen.checkedSum(paid, field: "outOfPocket"), total.rawValue > line.value,
            let latest = records.map(\.date).max()
        else { return [] }
        return [
            about.draft(
                .medicalExpense, source: "medical", period: String(latest.year),
                summary: "近 12 个月医保结算个人自付合计 \(total)，超过医疗自付预警线 \(line.valueText)，家庭未享受救助",
                records: records,
                facts: [.init("近12个月个人自付合计", total.description), .init("统计期间", "\(since) 之后至 \(context.today)")],
                condition: "近 12 个月个人自付 \(total) > 预警线 \(Fen(line.value))，且家庭未享受救助：可能为支出型困难家庭",
                parameters: [line], programmes: [], action: .application)
        ]
    }

    static func illness(_ about: Subject, _ context: WarningContext) -> [WarningDraft] {
        guard context.isOn(.severeDisabilityOrIllness), !about.member.seriousIllness else { return [] }
        return [
            about.draft(
                .severeDisabilityOrIllness, source: "illness:\(about.member.citizenID)",
                summary: "\(about.who)有医保大病结算（\(about.record.date)），家庭登记中未登记重病",
                records: [about.record], condition: "医保结算为大病，家庭登记未登记该成员患重病",
                programmes: about.household.received,
                action: about.household.received.isEmpty ? .application : .change)
        ]
    }

    static func disability(
        _ about: Subject, _ category: DisabilityCategory, _ grade: Int, _ context: WarningContext
    ) -> [WarningDraft] {
        let severe = context.parameter(.severeCareMaxGrade)
        guard context.isOn(.severeDisabilityOrIllness), Int64(grade) <= severe.value else { return [] }
        if let held = about.member.disability, held.category == category, held.grade <= grade { return [] }
        let heldText = about.member.disability.map { "\($0.category.chineseName)\($0.grade)级" } ?? "无"
        return [
            about.draft(
                .severeDisabilityOrIllness, source: "disability:\(about.member.citizenID)",
                period: "\(category.rawValue)-\(grade)",
                summary: "\(about.who)经残联认定为\(category.chineseName)\(grade)级（重度），家庭登记为：\(heldText)",
                records: [about.record], facts: [.init("家庭登记的残疾", heldText)],
                condition: "残疾等级 \(grade) 级 ≤ 重度残疾等级 \(severe.valueText)，且家庭登记中没有",
                parameters: [severe], programmes: about.household.received,
                action: about.household.received.isEmpty ? .application : .change)
        ]
    }

    /// Programmes a minor past the minor age keeps only while in school.
    static let keptWhileInSchool: Set<Programme> = [.extremePoverty, .orphan, .unsupportedChild]

    static func schooling(_ about: Subject, _ event: SchoolEvent, _ context: WarningContext) -> [WarningDraft] {
        let concerned = about.household.received.filter(keptWhileInSchool.contains)
        let minor = context.parameter(.minorAge)
        let age = about.member.birthDate.age(on: about.record.date)
        guard context.isOn(.schooling), event != .enrolled, !concerned.isEmpty, Int64(age) >= minor.value else {
            return []
        }
        return [
            about.draft(
                .schooling, source: "schooling:\(about.record.recordID)",
                summary: "\(about.who)于 \(about.record.date) \(event.chineseName)，时年 \(age) 周岁",
                records: [about.record], facts: [.init("离校时年龄", "\(age) 周岁")],
                condition: "年满 \(minor.valueText) 的未成年人仅在校期间继续享受，离校后应复查",
                parameters: [minor], programmes: concerned, action: .change)
        ]
    }

    static func property(_ about: Subject, _ kind: PropertyKind, _ context: WarningContext) -> [WarningDraft] {
        guard context.isOn(.assetRegistration), !about.household.received.isEmpty else { return [] }
        let allowed = context.parameter(kind == .vehicle ? .vehiclesAllowed : .housingUnitsAllowed)
        let records = about.householdRecords(.property).filter {
            if case .property(kind, _, _) = $0.facts { true } else { false }
        }
        guard Int64(records.count) > allowed.value else { return [] }
        return [
            about.draft(
                .assetRegistration, source: "property:\(kind.rawValue)",
                summary:
                    "家庭成员名下登记\(kind.chineseName) \(records.count) \(kind == .vehicle ? "辆" : "套")，超过允许的 \(allowed.valueText)",
                records: records, facts: [.init("登记的\(kind.chineseName)", "\(records.count)")],
                condition: "登记的\(kind.chineseName)数 \(records.count) > 允许的 \(allowed.valueText)", parameters: [allowed],
                programmes: about.household.received, action: .change)
        ]
    }

    static func business(_ about: Subject, _ context: WarningContext) -> [WarningDraft] {
        guard context.isOn(.assetRegistration), !about.household.received.isEmpty else { return [] }
        return [
            about.draft(
                .assetRegistration, source: "business:\(about.record.recordID)",
                summary: "\(about.who)名下登记有存续的市场主体（\(about.record.date)）", records: [about.record],
                condition: "保障家庭成员登记经营主体的，应核实经营收入", programmes: about.household.received,
                action: .change)
        ]
    }

    static func disaster(_ about: Subject, _ event: String, _ context: WarningContext) -> [WarningDraft] {
        guard context.isOn(.disaster) else { return [] }
        let records = about.householdRecords(.disaster).filter {
            if case .disaster(event, _, _) = $0.facts { true } else { false }
        }
        return [
            about.draft(
                .disaster, source: "disaster:\(event)",
                summary: "家庭遭受灾害（应急管理局灾情 \(event)，\(about.record.date)）",
                records: records, condition: "遭受灾害的登记家庭，可能需要临时救助", programmes: [], action: .application)
        ]
    }
}

extension Array where Element: Hashable {
    /// The elements in order, each once.
    func uniqued() -> [Element] {
        var seen: Set<Element> = []
        return filter { seen.insert($0).inserted }
    }
}
