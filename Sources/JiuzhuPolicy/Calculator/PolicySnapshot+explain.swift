import JiuzhuDomain

extension PolicySnapshot {
    /// Explains every decision for one household: the same assessment as ``evaluate(_:)``,
    /// written out with rules, conditions, parameters and figures in Chinese. An overflowing
    /// figure is the same error ``evaluate(_:)`` throws.
    public func explain(_ household: CompactHousehold) throws(AmountOverflowError) -> Explanation {
        let a = assess(household)
        if let figure = a.overflow { throw AmountOverflowError(field: figure.chineseName) }
        let result = a.result
        let n = a.members
        func perCapita(_ total: Int64, over members: Int64? = nil) -> Fen {
            let count = members ?? n
            return Fen(count > 0 ? total / count : 0)
        }
        func fen(_ value: Int64) -> String { Fen(value).description }
        let ageText = "年龄按 \(Self.chineseDate(ageDate)) 计算"
        let people = memberLines(household, a)

        let notCounted = incomeNotCounted.map(\.chineseName).joined(separator: "、")
        let deductible = deductibleExpenditures.map(\.chineseName).joined(separator: "、")
        let figures: [Explanation.Figure] = [
            .init(name: "家庭人口", value: "\(n)人"),
            .init(name: "计入收入（月）", value: fen(a.countedIncome)),
            .init(name: "不计入收入（月，\(notCounted.isEmpty ? "无" : notCounted)）", value: fen(a.excludedIncome)),
            .init(
                name: "可扣除刚性支出（月，近12个月\(deductible.isEmpty ? "无" : deductible)÷12）",
                value: fen(a.deduction)),
            .init(name: "家庭人均收入（月，计入收入减扣除）", value: perCapita(a.netIncome).description),
            .init(name: "近12个月刚性支出合计", value: fen(a.rigid12)),
            .init(name: "家庭人均货币财产", value: perCapita(household.deposits).description),
            .init(
                name: "年龄计算日",
                value: "\(ageText)（计算月份的第\(ageReferenceDay)日，该月没有这一日的按月末）"),
        ]

        let standard = parameter(.dibaoStandard)
        let assetParameters = [
            parameter(.depositsPerCapita), parameter(.vehiclesAllowed), parameter(.housingUnitsAllowed),
        ]
        let assetConditions: [Explanation.Condition] = [
            .init(
                text: "人均货币财产 \(perCapita(household.deposits)) 不超过 \(fen(depositsPerCapita))",
                met: a.depositsOK),
            .init(
                text: "非豁免机动车 \(household.nonExemptVehicles) 辆，不超过 \(vehiclesAllowed) 辆", met: a.vehiclesOK),
            .init(text: "住房 \(household.housingUnits) 套，不超过 \(housingUnitsAllowed) 套", met: a.housingOK),
        ]
        /// For a household programme: how many members it counts and why the others are left out.
        func counted(_ programme: Programme) -> (members: Int64, note: Explanation.Condition?) {
            let members = a.headcount[programme.index]
            let taken = a.taken[programme.index]
            guard taken > 0 && taken < n else { return (members, nil) }
            let takers = Programme.ordered.filter {
                $0.isPerPerson && result.eligible.contains($0)
                    && suppresses[$0.index] & ProgrammeSet(programme).rawValue != 0
            }.map { "“\($0.chineseName)”" }.joined(separator: "、")
            return (
                members,
                .init(text: "计算人口 \(members)人：家庭 \(n)人中已按\(takers)保障的 \(taken)人不再计入", met: true)
            )
        }
        let dibaoCount = counted(.dibao)
        let edgeCount = counted(.dibaoEdge)
        let rigidCount = counted(.rigidExpenditure)
        let temporaryCount = counted(.temporaryAssistance)
        let netPerCapita = perCapita(a.netIncome, over: dibaoCount.members)
        let edgePerCapita = perCapita(a.netIncome, over: edgeCount.members)

        var entries: [Explanation.ProgrammeExplanation] = []
        entries.reserveCapacity(Programme.ordered.count)
        for programme in Programme.ordered {
            let rule = ruleTexts[programme.index]
            var conditions: [Explanation.Condition]
            var used: [ResolvedParameter]
            var calculation: String?
            let amount = result.amount(programme)
            switch programme {
            case .dibao:
                conditions =
                    [dibaoCount.note].compactMap { $0 } + [
                        .init(text: "家庭人均收入 \(netPerCapita) 低于低保标准 \(standard.valueText)", met: a.dibaoIncomeOK)
                    ] + assetConditions
                used = [standard] + assetParameters
                calculation =
                    "\(fen(dibaoStandard)) × \(dibaoCount.members)人 − 家庭收入 \(fen(a.netIncome)) = \(amount)"
            case .extremePoverty:
                conditions =
                    [
                        .init(
                            text: people.noWork.isEmpty
                                ? "家庭成员均有劳动能力（\(ageText)）"
                                : "无劳动能力的成员：\(people.noWork.joined(separator: "、"))（\(ageText)）",
                            met: a.membersWithoutWorkAbility > 0),
                        .init(
                            text: people.supportedAtHome.isEmpty
                                ? "无劳动能力的成员在户内没有有劳动能力的配偶、父母或子女（法定义务人）"
                                : "户内有有劳动能力的配偶、父母或子女（法定义务人）：\(people.supportedAtHome.joined(separator: "、"))不符合",
                            met: a.membersWithoutWorkAbility > 0
                                && people.supportedAtHome.count < a.membersWithoutWorkAbility),
                        .init(
                            text:
                                "家庭人均计入收入 \(perCapita(a.countedIncome)) 低于 \(fen(extremePovertyIncomeCeiling))（无生活来源）",
                            met: a.extremePovertyNoIncome),
                        .init(text: "户外无有履行能力的法定赡养、抚养、扶养义务人", met: !household.hasAbleSupporter),
                    ] + assetConditions
                used =
                    [parameter(.elderAge), parameter(.minorAge)]
                    + Self.categoriesInRuleOrder.map { parameter(.noWorkGrade($0)) }
                    + [
                        parameter(.ageReferenceDay), parameter(.extremePovertyIncomeCeiling),
                        parameter(.extremePovertyBasicLiving), parameter(.careFull), parameter(.carePartial),
                        parameter(.careSelf), parameter(.fullCareItems), parameter(.partialCareItems),
                    ] + assetParameters
                let others =
                    people.extremePovertyElsewhere.isEmpty
                    ? "" : "；\(people.extremePovertyElsewhere.joined(separator: "、"))，不重复认定"
                calculation =
                    "认定 \(a.extremePovertySupported)人（\(people.extremePoverty.joined(separator: "、"))）\(others)；"
                    + "\(fen(extremePovertyBasicLiving)) × \(a.extremePovertySupported)人 + 全护理 \(a.fullCareMembers)人 × \(fen(careFull))"
                    + " + 半护理 \(a.partialCareMembers)人 × \(fen(carePartial)) + 全自理 \(a.selfCareMembers)人 × \(fen(careSelf)) = \(amount)"
            case .orphan:
                conditions = [
                    .init(text: "未满\(childAgeLimit)周岁的孤儿 \(a.orphans)人（\(ageText)）", met: a.orphans > 0)
                ]
                used = [parameter(.childAgeLimit), parameter(.ageReferenceDay), parameter(.orphanAllowance)]
                calculation = "\(fen(orphanAllowance)) × \(a.orphansSupported)人 = \(amount)"
            case .unsupportedChild:
                conditions = [
                    .init(
                        text: "未满\(childAgeLimit)周岁的事实无人抚养儿童 \(a.unsupportedChildren)人（\(ageText)）",
                        met: a.unsupportedChildren > 0)
                ]
                used = [parameter(.childAgeLimit), parameter(.ageReferenceDay), parameter(.unsupportedChildAllowance)]
                calculation =
                    "\(fen(unsupportedChildAllowance)) × \(a.unsupportedChildrenSupported)人 = \(amount)"
            case .dibaoEdge:
                conditions =
                    [edgeCount.note].compactMap { $0 } + [
                        .init(
                            text: "家庭人均收入 \(edgePerCapita) 不低于低保标准 \(standard.valueText)", met: a.edgeAboveStandard),
                        .init(
                            text: "家庭人均收入 \(edgePerCapita) 低于 \(parameter(.edgeIncomeLine).valueText)",
                            met: a.edgeBelowLine),
                    ] + assetConditions
                used = [standard, parameter(.edgeIncomeLine), parameter(.edgeBenefit)] + assetParameters
                calculation = "每户每月 \(amount)"
            case .rigidExpenditure:
                conditions =
                    [rigidCount.note].compactMap { $0 } + [
                        .init(text: "近12个月有刚性支出（\(fen(a.rigid12))）", met: a.rigidHasSpending)
                    ]
                if useNationalRigidRule {
                    conditions += [
                        .init(
                            text:
                                "人均年收入 \(perCapita(a.annualIncome, over: rigidCount.members)) 低于 \(parameter(.disposableIncomeLine).valueText)",
                            met: a.rigidNationalIncomeOK),
                        .init(
                            text:
                                "刚性支出 \(fen(a.rigid12)) 超过家庭年收入 \(fen(a.annualIncome)) 的 \(parameter(.rigidIncomeShare).valueText)",
                            met: a.rigidNationalShareOK),
                    ]
                    used = [parameter(.disposableIncomeLine), parameter(.rigidIncomeShare), parameter(.rigidBenefit)]
                } else {
                    conditions.append(
                        .init(
                            text:
                                "人均（收入 − 刚性支出）\(perCapita(a.incomeAfterRigid, over: rigidCount.members)) 低于低保标准 \(standard.valueText)",
                            met: a.rigidCityIncomeOK))
                    used = [standard, parameter(.rigidBenefit)]
                }
                conditions += assetConditions
                used += assetParameters
                calculation = "每户每月 \(amount)"
            case .temporaryAssistance:
                conditions =
                    [
                        .init(text: "申报突发急难事件", met: household.hasEmergency),
                        .init(
                            text: "近12个月医疗自付 \(fen(a.medical12)) 超过预警线 \(fen(medicalWarningLine))",
                            met: a.medical12 > medicalWarningLine),
                        .init(
                            text: "家庭人均收入 \(perCapita(a.netIncome, over: temporaryCount.members)) 低于低保边缘收入线",
                            met: a.temporaryBelowEdgeLine),
                    ] + [temporaryCount.note].compactMap { $0 }
                used = [
                    parameter(.emergencyCap), parameter(.medicalWarningLine), parameter(.expenditureShare),
                    parameter(.expenditureCap), parameter(.edgeIncomeLine),
                ]
                calculation =
                    "急难型 min(需要 \(fen(household.emergencyNeed)), \(fen(emergencyCap))) = \(fen(a.emergencyAmount))；"
                    + "支出型 \(fen(a.expenditureAmount))；合计 \(amount)"
            case .disabilityLiving:
                conditions = [
                    .init(text: "家庭认定为低保", met: result.eligible.contains(.dibao)),
                    .init(
                        text: "计入低保的持证残疾人 \(a.disabledInDibao)人（持证残疾人共 \(a.disabledMembers)人）",
                        met: a.disabledInDibao > 0),
                ]
                used = [parameter(.disabilityLivingAmount)]
                calculation = "\(fen(disabilityLivingAmount)) × \(a.disabledLivingSupported)人 = \(amount)"
            case .severeDisabilityCare:
                conditions = [
                    .init(
                        text: "\(severeCareMaxGrade)级及以上残疾人 \(a.severelyDisabledMembers)人",
                        met: a.severelyDisabledMembers > 0)
                ]
                used = [parameter(.severeCareMaxGrade), parameter(.severeCareAmount)]
                let elsewhere = a.severelyDisabledMembers - a.severelyDisabledSupported
                calculation =
                    "\(fen(severeCareAmount)) × \(a.severelyDisabledSupported)人 = \(amount)"
                    + (elsewhere > 0 ? "（另有 \(elsewhere)人已按互斥项目保障，不重复享受）" : "")
            }
            let eligible = result.eligible.contains(programme)
            entries.append(
                Explanation.ProgrammeExplanation(
                    programme: programme, name: programme.chineseName, eligible: eligible, amount: amount,
                    period: programme.isOneOff ? "一次性" : "每月", rule: rule, conditions: conditions,
                    parameters: used, calculation: eligible ? calculation : nil,
                    excludedBy: result.excluded.contains(programme)
                        ? winner(over: programme, in: result.eligible.rawValue) ?? winner(over: programme, in: a.raw)
                        : nil))
        }
        return Explanation(
            policyVersion: version, date: date, figures: figures, programmes: entries, tier: result.tier,
            tierText: tierText(result, a))
    }

    /// The rule of a programme in words, with this period's figures; built once per snapshot.
    func ruleText(_ programme: Programme) -> String {
        switch programme {
        case .dibao:
            return "家庭人均收入低于低保标准、财产符合规定的，按（低保标准 − 家庭人均收入）× 家庭人口按月发放；"
                + "已按互斥的按人项目（如特困）保障的成员不计入人口，家庭收入（救助金不计入）由其余成员分摊。"
        case .extremePoverty:
            return "按人认定：无劳动能力（年满\(elderAge)周岁、未满\(minorAge)周岁，\(noWorkDisabilityText())，或经评估无劳动能力）的家庭成员，"
                + "户内没有有劳动能力的配偶、父母或子女，户外没有有履行能力的法定义务人，家庭无生活来源（人均计入收入低于规定线）且财产符合规定的，"
                + "认定为特困人员：基本生活标准 × 认定人数，加每人按生活自理能力评估确定的照料护理标准，按月供养。"
                + "同一人不重复享受互斥项目：特困人员不再计入互斥的按户项目（如低保）的家庭人口，其余成员以家庭全部计入收入按其余人数认定。"
        case .orphan:
            return "未满\(childAgeLimit)周岁的孤儿，每人每月发放孤儿基本生活费。"
        case .unsupportedChild:
            return "未满\(childAgeLimit)周岁的事实无人抚养儿童，每人每月发放基本生活补贴。"
        case .dibaoEdge:
            return "不符合低保、特困，家庭人均收入不低于低保标准且低于低保边缘收入线、财产符合规定的，认定为低保边缘家庭。"
        case .rigidExpenditure:
            if useNationalRigidRule {
                return "（刚性支出困难家庭认定办法，2025）不属于低保、特困、低保边缘家庭，家庭人均收入低于上年度居民人均可支配收入，"
                    + "近12个月刚性支出超过家庭年收入的规定比例、财产符合规定的，认定为刚性支出困难家庭，认定有效期不超过12个月。"
            }
            return "（本市规则）家庭人均收入减去人均刚性支出后低于低保标准、财产符合规定的，认定为支出型贫困家庭。"
        case .temporaryAssistance:
            return "遭遇突发事件的（急难型），按需要救助，不超过急难型上限，可先行救助；"
                + "近12个月医疗自付超过预警线且人均收入低于低保边缘收入线的（支出型），按超出部分的规定比例救助，不超过支出型上限。一次性发放。"
        case .disabilityLiving:
            return "低保家庭中的残疾人，每人每月发放困难残疾人生活补贴。"
        case .severeDisabilityCare:
            return "残疾等级为\(severeCareMaxGrade)级及以上（重度）的残疾人，每人每月发放护理补贴。"
        }
    }

    /// The no-work disability grades in words: "智力残疾1–3级、…", categories the policy does
    /// not count left out.
    func noWorkDisabilityText() -> String {
        let parts = Self.categoriesInRuleOrder.compactMap { category -> String? in
            let grade = noWorkGrades[Int(category.compactCode)]
            guard grade > 0 else { return nil }
            return grade == 1 ? "\(category.chineseName)1级" : "\(category.chineseName)1–\(grade)级"
        }
        return parts.isEmpty ? "残疾不单独视为无劳动能力" : parts.joined(separator: "、")
    }

    /// Disability categories in the order 特困人员认定办法 lists them, the others after.
    static let categoriesInRuleOrder: [DisabilityCategory] = [
        .intellectual, .mental, .physical, .visual, .hearing, .speech, .multiple,
    ]

    /// "2026年3月1日".
    static func chineseDate(_ date: CivilDate) -> String { "\(date.year)年\(date.month)月\(date.day)日" }

    /// Each member as the 特困 explanation names them: "第1位（75周岁，年满60周岁）".
    struct MemberLines {
        /// Members without work ability, with the reason.
        var noWork: [String] = []
        /// Members without work ability who have an obliged supporter able to work at home.
        var supportedAtHome: [String] = []
        /// Members supported as 特困.
        var extremePoverty: [String] = []
        /// Members meeting 特困's conditions but supported by a programme that excludes it.
        var extremePovertyElsewhere: [String] = []
    }

    /// The members' lines, from the same per-member rules the assessment applies.
    func memberLines(_ household: CompactHousehold, _ a: Assessment) -> MemberLines {
        var lines = MemberLines()
        for (position, member) in household.members.enumerated() {
            let reason = noWorkReason(member)
            guard reason != .none else { continue }
            let why: String
            switch reason {
            case .elder: why = "年满\(elderAge)周岁"
            case .minor: why = "未满\(minorAge)周岁"
            case .disability:
                let name = DisabilityCategory(compactCode: member.disabilityCategory)?.chineseName ?? "残疾"
                why = "\(name)\(member.disabilityGrade)级"
            case .assessed, .none: why = "经评估无劳动能力"
            }
            let name = "第\(position + 1)位"
            lines.noWork.append("\(name)（\(age(member))周岁，\(why)）")
            if Self.obligedSupporters(of: member.relation) & a.ableRelations != 0 { lines.supportedAtHome.append(name) }
            let person = personal(
                member, householdQualifies: a.extremePovertyHousehold, ableRelations: a.ableRelations)
            let bit = ProgrammeSet(.extremePoverty).rawValue
            if person.supported & bit != 0 {
                lines.extremePoverty.append(name)
            } else if person.raw & bit != 0 {
                let winners = ProgrammeSet(rawValue: person.supported).programmes.map { "“\($0.chineseName)”" }
                lines.extremePovertyElsewhere.append("\(name)已按\(winners.joined(separator: "、"))保障")
            }
        }
        return lines
    }

    /// The first eligible programme listed before `loser` in an exclusive group.
    func winner(over loser: Programme, in raw: UInt16) -> Programme? {
        for group in exclusiveGroups {
            guard let position = group.firstIndex(of: loser) else { continue }
            if let first = group[..<position].first(where: { raw & (1 << UInt16($0.index)) != 0 }) { return first }
        }
        return nil
    }

    func tierText(_ result: HouseholdResult, _ a: Assessment) -> String {
        switch result.tierReason {
        case .programme:
            let names = Programme.ordered.filter { result.eligible.contains($0) && programmeTiers[$0] == result.tier }
                .map(\.chineseName).joined(separator: "、")
            return "符合\(names)，属于该层。"
        case .belowMonitoringLine:
            let perCapitaYear = Fen(a.members > 0 ? a.annualIncome / a.members : 0)
            return "未符合分层项目，但人均年收入 \(perCapitaYear) 低于监测预警收入线 \(parameter(.monitoringLine).valueText)，纳入监测。"
        case .medicalWarning:
            return "未符合分层项目，但近12个月医疗自付 \(Fen(a.medical12)) 达到预警线 \(parameter(.medicalWarningLine).valueText)，纳入监测。"
        case .none:
            return "未符合分层项目，收入不低于监测预警收入线，医疗自付未达预警线。"
        }
    }
}
