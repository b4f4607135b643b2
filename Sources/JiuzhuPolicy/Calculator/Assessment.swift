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
}

extension PolicySnapshot {
    /// Decides every programme for one household: eligibility, amounts and tier.
    ///
    /// Allocation-free: integer arithmetic over the compact household and the compiled values.
    public func evaluate(_ household: CompactHousehold) -> HouseholdResult {
        assess(household).result
    }

    func assess(_ household: CompactHousehold) -> Assessment {
        var a = Assessment()
        let n = Int64(household.members.count)
        a.members = n
        a.countedIncome = (household.income & countedIncomeMask).wrappedSum()
        a.excludedIncome = household.income.wrappedSum() &- a.countedIncome
        a.deductible12 = (household.rigidExpenditure & deductibleMask).wrappedSum()
        a.deduction = a.deductible12 / 12
        a.netIncome = max(0, a.countedIncome - a.deduction)
        a.rigid12 = household.rigidExpenditure.wrappedSum()
        a.medical12 = household.rigidExpenditure[ExpenditureType.medical.index]

        a.depositsOK = household.deposits <= depositsPerCapita * n
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
                careTotal += careFull
            } else if items >= partialCareItems {
                a.partialCareMembers += 1
                careTotal += carePartial
            } else {
                a.selfCareMembers += 1
                careTotal += careSelf
            }
            let child = age >= 0 && age < childAgeLimit
            a.orphans += child && member.flags & CompactMember.Flags.orphan != 0 ? 1 : 0
            a.unsupportedChildren += child && member.flags & CompactMember.Flags.unsupported != 0 ? 1 : 0
            a.disabledMembers += disabled ? 1 : 0
            a.severelyDisabledMembers += disabled && grade <= severeCareMaxGrade ? 1 : 0
        }

        var raw: UInt16 = 0
        var amounts = SIMD16<Int64>.zero
        let standardTotal = dibaoStandard * n

        // 低保: (standard − per-capita income) × members, compared on totals to stay exact.
        a.dibaoIncomeOK = a.netIncome < standardTotal
        if a.dibaoIncomeOK && a.assetsOK {
            raw |= 1 << UInt16(Programme.dibao.index)
            amounts[Programme.dibao.index] = standardTotal - a.netIncome
        }

        // 特困: decided for the whole household (see NOTES.md): every member without work ability.
        a.extremePovertyNoWork = n > 0 && a.membersWithoutWorkAbility == n
        a.extremePovertyNoIncome = a.countedIncome < extremePovertyIncomeCeiling * n
        if a.extremePovertyNoWork && a.extremePovertyNoIncome && !household.hasAbleSupporter && a.assetsOK {
            raw |= 1 << UInt16(Programme.extremePoverty.index)
            amounts[Programme.extremePoverty.index] = extremePovertyBasicLiving * n + careTotal
        }

        if a.orphans > 0 {
            raw |= 1 << UInt16(Programme.orphan.index)
            amounts[Programme.orphan.index] = orphanAllowance * a.orphans
        }
        if a.unsupportedChildren > 0 {
            raw |= 1 << UInt16(Programme.unsupportedChild.index)
            amounts[Programme.unsupportedChild.index] = unsupportedChildAllowance * a.unsupportedChildren
        }

        // 低保边缘: standard ≤ per-capita income < edge line.
        a.edgeAboveStandard = a.netIncome >= standardTotal
        a.edgeBelowLine = a.netIncome < edgeIncomeLine * n
        if a.edgeAboveStandard && a.edgeBelowLine && a.assetsOK {
            raw |= 1 << UInt16(Programme.dibaoEdge.index)
            amounts[Programme.dibaoEdge.index] = edgeBenefit
        }

        // 刚性支出困难: the city's formula or the national 2025 rule, as the file says.
        a.rigidHasSpending = a.rigid12 > 0
        a.rigidCityIncomeOK = a.countedIncome - a.rigid12 / 12 < standardTotal
        a.rigidNationalIncomeOK = a.countedIncome * 12 < disposableIncomeLine * n
        a.rigidNationalShareOK = a.rigid12 * PolicyDocument.scale > rigidIncomeShare * a.countedIncome * 12
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
            a.expenditureAmount = min(
                expenditureCap, (a.medical12 - medicalWarningLine) * expenditureShare / PolicyDocument.scale)
        }
        if household.hasEmergency || expenditurePath {
            raw |= 1 << UInt16(Programme.temporaryAssistance.index)
            amounts[Programme.temporaryAssistance.index] = a.emergencyAmount + a.expenditureAmount
        }

        if a.severelyDisabledMembers > 0 {
            raw |= 1 << UInt16(Programme.severeDisabilityCare.index)
            amounts[Programme.severeDisabilityCare.index] = severeCareAmount * a.severelyDisabledMembers
        }

        // 困难残疾人生活补贴 needs the household's dibao to stand after exclusions.
        var final = raw & ~suppressedBy(raw)
        if a.disabledMembers > 0 && final & (1 << UInt16(Programme.dibao.index)) != 0 {
            raw |= 1 << UInt16(Programme.disabilityLiving.index)
            amounts[Programme.disabilityLiving.index] = disabilityLivingAmount * a.disabledMembers
            final = raw & ~suppressedBy(raw)
        }
        for index in 0..<16 where final & (1 << UInt16(index)) == 0 { amounts[index] = 0 }
        a.raw = raw

        var tier = Tier.none
        var reason = TierReason.none
        a.belowMonitoringLine = a.countedIncome * 12 < monitoringLine * n
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
