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
        func perCapita(_ total: Int64) -> Fen { Fen(n > 0 ? total / n : 0) }
        func fen(_ value: Int64) -> String { Fen(value).description }

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
        let netPerCapita = perCapita(a.netIncome)

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
                    [
                        .init(text: "家庭人均收入 \(netPerCapita) 低于低保标准 \(standard.valueText)", met: a.dibaoIncomeOK)
                    ] + assetConditions
                used = [standard] + assetParameters
                calculation = "\(fen(dibaoStandard)) × \(n)人 − 家庭收入 \(fen(a.netIncome)) = \(amount)"
            case .extremePoverty:
                conditions =
                    [
                        .init(
                            text: "无劳动能力的成员 \(a.membersWithoutWorkAbility)人，共 \(n)人", met: a.extremePovertyNoWork),
                        .init(
                            text: "人均计入收入 \(perCapita(a.countedIncome)) 低于 \(fen(extremePovertyIncomeCeiling))",
                            met: a.extremePovertyNoIncome),
                        .init(text: "无有履行能力的法定赡养、抚养、扶养义务人", met: !household.hasAbleSupporter),
                    ] + assetConditions
                used =
                    [
                        parameter(.elderAge), parameter(.minorAge), parameter(.noWorkDisabilityGrade),
                        parameter(.extremePovertyIncomeCeiling), parameter(.extremePovertyBasicLiving),
                        parameter(.careFull), parameter(.carePartial), parameter(.careSelf),
                        parameter(.fullCareItems), parameter(.partialCareItems),
                    ] + assetParameters
                calculation =
                    "\(fen(extremePovertyBasicLiving)) × \(n)人 + 全护理 \(a.fullCareMembers)人 × \(fen(careFull))"
                    + " + 半护理 \(a.partialCareMembers)人 × \(fen(carePartial)) + 全自理 \(a.selfCareMembers)人 × \(fen(careSelf)) = \(amount)"
            case .orphan:
                conditions = [.init(text: "未满\(childAgeLimit)周岁的孤儿 \(a.orphans)人", met: a.orphans > 0)]
                used = [parameter(.childAgeLimit), parameter(.orphanAllowance)]
                calculation = "\(fen(orphanAllowance)) × \(a.orphans)人 = \(amount)"
            case .unsupportedChild:
                conditions = [
                    .init(
                        text: "未满\(childAgeLimit)周岁的事实无人抚养儿童 \(a.unsupportedChildren)人",
                        met: a.unsupportedChildren > 0)
                ]
                used = [parameter(.childAgeLimit), parameter(.unsupportedChildAllowance)]
                calculation = "\(fen(unsupportedChildAllowance)) × \(a.unsupportedChildren)人 = \(amount)"
            case .dibaoEdge:
                conditions =
                    [
                        .init(text: "家庭人均收入 \(netPerCapita) 不低于低保标准 \(standard.valueText)", met: a.edgeAboveStandard),
                        .init(
                            text: "家庭人均收入 \(netPerCapita) 低于 \(parameter(.edgeIncomeLine).valueText)",
                            met: a.edgeBelowLine),
                    ] + assetConditions
                used = [standard, parameter(.edgeIncomeLine), parameter(.edgeBenefit)] + assetParameters
                calculation = "每户每月 \(amount)"
            case .rigidExpenditure:
                conditions = [.init(text: "近12个月有刚性支出（\(fen(a.rigid12))）", met: a.rigidHasSpending)]
                if useNationalRigidRule {
                    conditions += [
                        .init(
                            text:
                                "人均年收入 \(perCapita(a.annualIncome)) 低于 \(parameter(.disposableIncomeLine).valueText)",
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
                                "人均（收入 − 刚性支出）\(perCapita(a.incomeAfterRigid)) 低于低保标准 \(standard.valueText)",
                            met: a.rigidCityIncomeOK))
                    used = [standard, parameter(.rigidBenefit)]
                }
                conditions += assetConditions
                used += assetParameters
                calculation = "每户每月 \(amount)"
            case .temporaryAssistance:
                conditions = [
                    .init(text: "申报突发急难事件", met: household.hasEmergency),
                    .init(
                        text: "近12个月医疗自付 \(fen(a.medical12)) 超过预警线 \(fen(medicalWarningLine))",
                        met: a.medical12 > medicalWarningLine),
                    .init(text: "家庭人均收入 \(netPerCapita) 低于低保边缘收入线", met: a.edgeBelowLine),
                ]
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
                    .init(text: "持证残疾人 \(a.disabledMembers)人", met: a.disabledMembers > 0),
                ]
                used = [parameter(.disabilityLivingAmount)]
                calculation = "\(fen(disabilityLivingAmount)) × \(a.disabledMembers)人 = \(amount)"
            case .severeDisabilityCare:
                conditions = [
                    .init(
                        text: "\(severeCareMaxGrade)级及以上残疾人 \(a.severelyDisabledMembers)人",
                        met: a.severelyDisabledMembers > 0)
                ]
                used = [parameter(.severeCareMaxGrade), parameter(.severeCareAmount)]
                calculation = "\(fen(severeCareAmount)) × \(a.severelyDisabledMembers)人 = \(amount)"
            }
            let eligible = result.eligible.contains(programme)
            entries.append(
                Explanation.ProgrammeExplanation(
                    programme: programme, name: programme.chineseName, eligible: eligible, amount: amount,
                    period: programme.isOneOff ? "一次性" : "每月", rule: rule, conditions: conditions,
                    parameters: used, calculation: eligible ? calculation : nil,
                    excludedBy: result.excluded.contains(programme) ? winner(over: programme, in: a.raw) : nil))
        }
        return Explanation(
            policyVersion: version, date: date, figures: figures, programmes: entries, tier: result.tier,
            tierText: tierText(result, a))
    }

    /// The rule of a programme in words, with this period's figures; built once per snapshot.
    func ruleText(_ programme: Programme) -> String {
        switch programme {
        case .dibao:
            return "家庭人均收入低于低保标准、财产符合规定的，按（低保标准 − 家庭人均收入）× 家庭人口按月发放。"
        case .extremePoverty:
            return "家庭成员均无劳动能力（年满\(elderAge)周岁、未满\(minorAge)周岁、\(noWorkDisabilityGrade)级及以上残疾或经评估无劳动能力）、"
                + "无生活来源（人均收入低于规定线且财产符合规定）、无有履行能力的法定义务人的，"
                + "按基本生活标准 × 人数，加按生活自理能力评估确定的照料护理标准，按月供养。本计算器以家庭为单位判定（简化）。"
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
