import JiuzhuDomain

/// Every figure and condition the rules read for one household on one date.
///
/// Both the fast ``PolicySnapshot/evaluate(_:)`` and ``PolicySnapshot/explain(_:)`` build this
/// one value, so an explanation can never disagree with the decision it explains.
struct Assessment {
    // Household figures, fen per month unless named otherwise.
    var members: Int64 = 0
    var countedIncome: Int64 = 0
    var excludedIncome: Int64 = 0
    var deductible12: Int64 = 0
    var deduction: Int64 = 0
    var netIncome: Int64 = 0
    var rigid12: Int64 = 0
    var medical12: Int64 = 0
    /// Counted income over a year (× 12), for the national rigid rule and the monitoring line.
    var annualIncome: Int64 = 0
    /// Counted income less a month of rigid spending, for the city's rigid rule.
    var incomeAfterRigid: Int64 = 0
    // Assets.
    var depositsOK = false
    var vehiclesOK = false
    var housingOK = false
    var assetsOK = false
    // Members.
    var membersWithoutWorkAbility: Int64 = 0
    var fullCareMembers: Int64 = 0
    var partialCareMembers: Int64 = 0
    var selfCareMembers: Int64 = 0
    var orphans: Int64 = 0
    var unsupportedChildren: Int64 = 0
    var disabledMembers: Int64 = 0
    var severelyDisabledMembers: Int64 = 0
    // Conditions.
    var dibaoIncomeOK = false
    var extremePovertyNoWork = false
    var extremePovertyNoIncome = false
    var edgeAboveStandard = false
    var edgeBelowLine = false
    var rigidHasSpending = false
    var rigidCityIncomeOK = false
    var rigidNationalIncomeOK = false
    var rigidNationalShareOK = false
    var emergencyAmount: Int64 = 0
    var expenditureAmount: Int64 = 0
    var medicalOverLine = false
    var belowMonitoringLine = false
    // Outcome.
    var raw: UInt16 = 0
    var result = HouseholdResult(eligible: [], excluded: [], amounts: .zero, tier: .none, tierReason: .none)
    /// The first figure whose arithmetic left `Int64`; the figures after it are meaningless.
    var overflow: Figure?

    /// The figures an overflow can happen in, named as the explanation names them.
    enum Figure: UInt8 {
        case countedIncome, totalIncome, deductible, netIncome, rigidSpending, assets, care, dibao, extremePoverty,
            children, edge, rigid, temporary, disability, monitoring

        var chineseName: String {
            switch self {
            case .countedIncome: "计入收入（月）"
            case .totalIncome: "收入合计（月）"
            case .deductible: "可扣除刚性支出"
            case .netIncome: "家庭收入（计入收入减扣除）"
            case .rigidSpending: "近12个月刚性支出合计"
            case .assets: "货币财产限额"
            case .care: "照料护理标准合计"
            case .dibao: "低保金额"
            case .extremePoverty: "特困供养金额"
            case .children: "儿童生活费"
            case .edge: "低保边缘收入线"
            case .rigid: "刚性支出困难认定"
            case .temporary: "临时救助金额"
            case .disability: "残疾人补贴"
            case .monitoring: "监测预警收入线"
            }
        }
    }

    // Checked arithmetic: the result wraps and the first overflow is noted, so one branch
    // per operation (never taken for real households) is all the hot loop pays.

    @inline(__always)
    mutating func sum(_ lhs: Int64, _ rhs: Int64, _ figure: Figure) -> Int64 {
        let (value, overflowed) = lhs.addingReportingOverflow(rhs)
        if overflowed { note(figure) }
        return value
    }

    @inline(__always)
    mutating func difference(_ lhs: Int64, _ rhs: Int64, _ figure: Figure) -> Int64 {
        let (value, overflowed) = lhs.subtractingReportingOverflow(rhs)
        if overflowed { note(figure) }
        return value
    }

    @inline(__always)
    mutating func product(_ lhs: Int64, _ rhs: Int64, _ figure: Figure) -> Int64 {
        let (value, overflowed) = lhs.multipliedReportingOverflow(by: rhs)
        if overflowed { note(figure) }
        return value
    }

    @inline(__always)
    mutating func total<V: SIMD>(_ lanes: V, _ figure: Figure) -> Int64 where V.Scalar == Int64 {
        var value: Int64 = 0
        for index in lanes.indices { value = sum(value, lanes[index], figure) }
        return value
    }

    mutating func note(_ figure: Figure) {
        if overflow == nil { overflow = figure }
    }
}

extension PolicySnapshot {
    /// Decides every programme for one household: eligibility, amounts and tier.
    ///
    /// Allocation-free: integer arithmetic over the compact household and the compiled values.
    /// A figure that leaves `Int64` (amounts no real household has) is an error naming it,
    /// never a trap.
    public func evaluate(_ household: CompactHousehold) throws(AmountOverflowError) -> HouseholdResult {
        let a = assess(household)
        if let figure = a.overflow { throw AmountOverflowError(field: figure.chineseName) }
        return a.result
    }

    func assess(_ household: CompactHousehold) -> Assessment {
        var a = Assessment()
        let n = Int64(household.members.count)
        a.members = n
        a.countedIncome = a.total(household.income & countedIncomeMask, .countedIncome)
        a.excludedIncome = a.difference(a.total(household.income, .totalIncome), a.countedIncome, .totalIncome)
        a.deductible12 = a.total(household.rigidExpenditure & deductibleMask, .deductible)
        a.deduction = a.deductible12 / 12
        a.netIncome = max(0, a.difference(a.countedIncome, a.deduction, .netIncome))
        a.rigid12 = a.total(household.rigidExpenditure, .rigidSpending)
        a.medical12 = household.rigidExpenditure[ExpenditureType.medical.index]
        a.annualIncome = a.product(a.countedIncome, 12, .countedIncome)
        a.incomeAfterRigid = a.difference(a.countedIncome, a.rigid12 / 12, .rigid)

        a.depositsOK = household.deposits <= a.product(depositsPerCapita, n, .assets)
        a.vehiclesOK = Int64(household.nonExemptVehicles) <= vehiclesAllowed
        a.housingOK = Int64(household.housingUnits) <= housingUnitsAllowed
        a.assetsOK = a.depositsOK && a.vehiclesOK && a.housingOK

        var careTotal: Int64 = 0
        for member in household.members {
            let age = CivilDate.completedYears(from: member.birth, to: dateOrdinal)
            let grade = Int64(member.disabilityGrade)
            let disabled = grade != 0
            let noWork =
                age >= elderAge || age < minorAge || (disabled && grade <= noWorkDisabilityGrade)
                || member.flags & CompactMember.Flags.ableToWork == 0
            a.membersWithoutWorkAbility += noWork ? 1 : 0
            let items = Int64(member.selfCareItemsFailed)
            if items >= fullCareItems {
                a.fullCareMembers += 1
                careTotal = a.sum(careTotal, careFull, .care)
            } else if items >= partialCareItems {
                a.partialCareMembers += 1
                careTotal = a.sum(careTotal, carePartial, .care)
            } else {
                a.selfCareMembers += 1
                careTotal = a.sum(careTotal, careSelf, .care)
            }
            let child = age >= 0 && age < childAgeLimit
            a.orphans += child && member.flags & CompactMember.Flags.orphan != 0 ? 1 : 0
            a.unsupportedChildren += child && member.flags & CompactMember.Flags.unsupported != 0 ? 1 : 0
            a.disabledMembers += disabled ? 1 : 0
            a.severelyDisabledMembers += disabled && grade <= severeCareMaxGrade ? 1 : 0
        }

        var raw: UInt16 = 0
        var amounts = SIMD16<Int64>.zero
        let standardTotal = a.product(dibaoStandard, n, .dibao)

        // 低保: (standard − per-capita income) × members, compared on totals to stay exact.
        a.dibaoIncomeOK = a.netIncome < standardTotal
        if a.dibaoIncomeOK && a.assetsOK {
            raw |= 1 << UInt16(Programme.dibao.index)
            amounts[Programme.dibao.index] = a.difference(standardTotal, a.netIncome, .dibao)
        }

        // 特困: decided for the whole household (see NOTES.md): every member without work ability.
        a.extremePovertyNoWork = n > 0 && a.membersWithoutWorkAbility == n
        a.extremePovertyNoIncome = a.countedIncome < a.product(extremePovertyIncomeCeiling, n, .extremePoverty)
        if a.extremePovertyNoWork && a.extremePovertyNoIncome && !household.hasAbleSupporter && a.assetsOK {
            raw |= 1 << UInt16(Programme.extremePoverty.index)
            amounts[Programme.extremePoverty.index] = a.sum(
                a.product(extremePovertyBasicLiving, n, .extremePoverty), careTotal, .extremePoverty)
        }

        if a.orphans > 0 {
            raw |= 1 << UInt16(Programme.orphan.index)
            amounts[Programme.orphan.index] = a.product(orphanAllowance, a.orphans, .children)
        }
        if a.unsupportedChildren > 0 {
            raw |= 1 << UInt16(Programme.unsupportedChild.index)
            amounts[Programme.unsupportedChild.index] = a.product(
                unsupportedChildAllowance, a.unsupportedChildren, .children)
        }

        // 低保边缘: standard ≤ per-capita income < edge line.
        a.edgeAboveStandard = a.netIncome >= standardTotal
        a.edgeBelowLine = a.netIncome < a.product(edgeIncomeLine, n, .edge)
        if a.edgeAboveStandard && a.edgeBelowLine && a.assetsOK {
            raw |= 1 << UInt16(Programme.dibaoEdge.index)
            amounts[Programme.dibaoEdge.index] = edgeBenefit
        }

        // 刚性支出困难: the city's formula or the national 2025 rule, as the file says.
        a.rigidHasSpending = a.rigid12 > 0
        a.rigidCityIncomeOK = a.incomeAfterRigid < standardTotal
        a.rigidNationalIncomeOK = a.annualIncome < a.product(disposableIncomeLine, n, .rigid)
        a.rigidNationalShareOK =
            a.product(a.rigid12, PolicyDocument.scale, .rigid) > a.product(rigidIncomeShare, a.annualIncome, .rigid)
        let rigidOK =
            useNationalRigidRule ? a.rigidNationalIncomeOK && a.rigidNationalShareOK : a.rigidCityIncomeOK
        if a.rigidHasSpending && rigidOK && a.assetsOK {
            raw |= 1 << UInt16(Programme.rigidExpenditure.index)
            amounts[Programme.rigidExpenditure.index] = rigidBenefit
        }

        // 临时救助: emergency (capped need) and/or expenditure (share of medical spending over the line).
        a.medicalOverLine = a.medical12 >= medicalWarningLine
        if household.hasEmergency { a.emergencyAmount = min(household.emergencyNeed, emergencyCap) }
        // Expenditure assistance pays a share of what lies over the line, so it needs some excess.
        let expenditurePath = a.medical12 > medicalWarningLine && a.edgeBelowLine
        if expenditurePath {
            let excess = a.difference(a.medical12, medicalWarningLine, .temporary)
            a.expenditureAmount = min(
                expenditureCap, a.product(excess, expenditureShare, .temporary) / PolicyDocument.scale)
        }
        if household.hasEmergency || expenditurePath {
            raw |= 1 << UInt16(Programme.temporaryAssistance.index)
            amounts[Programme.temporaryAssistance.index] = a.sum(
                a.emergencyAmount, a.expenditureAmount, .temporary)
        }

        if a.severelyDisabledMembers > 0 {
            raw |= 1 << UInt16(Programme.severeDisabilityCare.index)
            amounts[Programme.severeDisabilityCare.index] = a.product(
                severeCareAmount, a.severelyDisabledMembers, .disability)
        }

        // 困难残疾人生活补贴 needs the household's dibao to stand after exclusions.
        var final = raw & ~suppressedBy(raw)
        if a.disabledMembers > 0 && final & (1 << UInt16(Programme.dibao.index)) != 0 {
            raw |= 1 << UInt16(Programme.disabilityLiving.index)
            amounts[Programme.disabilityLiving.index] = a.product(
                disabilityLivingAmount, a.disabledMembers, .disability)
            final = raw & ~suppressedBy(raw)
        }
        for index in 0..<16 where final & (1 << UInt16(index)) == 0 { amounts[index] = 0 }
        a.raw = raw

        var tier = Tier.none
        var reason = TierReason.none
        a.belowMonitoringLine = a.annualIncome < a.product(monitoringLine, n, .monitoring)
        if final & bottomLineMask != 0 {
            (tier, reason) = (.bottomLine, .programme)
        } else if final & specialMask != 0 {
            (tier, reason) = (.special, .programme)
        } else if final & monitoringMask != 0 {
            (tier, reason) = (.monitoring, .programme)
        } else if a.belowMonitoringLine {
            (tier, reason) = (.monitoring, .belowMonitoringLine)
        } else if a.medicalOverLine {
            (tier, reason) = (.monitoring, .medicalWarning)
        }
        a.result = HouseholdResult(
            eligible: ProgrammeSet(rawValue: final), excluded: ProgrammeSet(rawValue: raw & ~final),
            amounts: amounts, tier: tier, tierReason: reason)
        return a
    }

    /// The programmes that lose to some programme in `raw` within an exclusive group.
    @inline(__always)
    func suppressedBy(_ raw: UInt16) -> UInt16 {
        var lost: UInt16 = 0
        var bits = raw
        while bits != 0 {
            lost |= suppresses[bits.trailingZeroBitCount]
            bits &= bits - 1
        }
        return lost
    }
}
