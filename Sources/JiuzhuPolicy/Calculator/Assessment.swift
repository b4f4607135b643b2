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
    /// Bit ``Relation/compactCode`` set when a member of that relation can work: the obliged
    /// supporters living in the household (see ``PolicySnapshot/obligedSupporters``).
    var ableRelations: UInt8 = 0
    /// Members supported as 特困 once exclusive groups are applied to each person.
    var extremePovertySupported: Int64 = 0
    // Care levels of the members supported as 特困.
    var fullCareMembers: Int64 = 0
    var partialCareMembers: Int64 = 0
    var selfCareMembers: Int64 = 0
    var orphans: Int64 = 0
    var orphansSupported: Int64 = 0
    var unsupportedChildren: Int64 = 0
    var unsupportedChildrenSupported: Int64 = 0
    var disabledMembers: Int64 = 0
    /// Disabled members counted in 低保 (not taken by a per-person programme that wins over it),
    /// and those of them no per-person programme of their own wins over 困难残疾人生活补贴.
    var disabledInDibao: Int64 = 0
    var disabledLivingSupported: Int64 = 0
    var severelyDisabledMembers: Int64 = 0
    var severelyDisabledSupported: Int64 = 0
    /// By ``Programme/index``, for household programmes: the members a per-person programme
    /// that wins an exclusive group against it has taken (特困 persons are not counted in 低保).
    var taken = SIMD16<Int64>.zero
    /// By ``Programme/index``, for household programmes: the members it counts. When every
    /// member was taken, the whole household, to tell whether it lost to the exclusion.
    var headcount = SIMD16<Int64>.zero
    // Conditions.
    var dibaoIncomeOK = false
    var extremePovertyNoIncome = false
    /// The household's side of 特困: no income source, no able supporter elsewhere, assets.
    var extremePovertyHousehold = false
    var edgeAboveStandard = false
    var edgeBelowLine = false
    /// The edge-line test for temporary assistance, over the members it counts.
    var temporaryBelowEdgeLine = false
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

        // 特困's household conditions; the person's own (no work ability, no obliged supporter
        // able to work in the household) are decided member by member below.
        a.extremePovertyNoIncome = a.countedIncome < a.product(extremePovertyIncomeCeiling, n, .extremePoverty)
        a.extremePovertyHousehold = a.extremePovertyNoIncome && !household.hasAbleSupporter && a.assetsOK

        // First pass: who can work, by relation, for the supporters living in the household.
        for member in household.members {
            if noWorkReason(member) == .none {
                a.ableRelations |= 1 << (member.relation & 7)
            } else {
                a.membersWithoutWorkAbility += 1
            }
        }

        // Second pass: each person's own programmes, exclusive groups applied to the person.
        var personalRaw: UInt16 = 0
        var personalFinal: UInt16 = 0
        var careTotal: Int64 = 0
        let dibaoBit: UInt16 = 1 << UInt16(Programme.dibao.index)
        let disabilityLivingBit: UInt16 = 1 << UInt16(Programme.disabilityLiving.index)
        for member in household.members {
            let person = personal(
                member, householdQualifies: a.extremePovertyHousehold, ableRelations: a.ableRelations)
            personalRaw |= person.raw
            personalFinal |= person.supported
            let beaten = suppressedBy(person.supported)
            var takenFrom = beaten & householdMask
            while takenFrom != 0 {
                a.taken[takenFrom.trailingZeroBitCount] += 1
                takenFrom &= takenFrom - 1
            }
            if person.raw != 0 {
                a.orphans += person.raw.has(.orphan) ? 1 : 0
                a.unsupportedChildren += person.raw.has(.unsupportedChild) ? 1 : 0
                a.severelyDisabledMembers += person.raw.has(.severeDisabilityCare) ? 1 : 0
                a.orphansSupported += person.supported.has(.orphan) ? 1 : 0
                a.unsupportedChildrenSupported += person.supported.has(.unsupportedChild) ? 1 : 0
                a.severelyDisabledSupported += person.supported.has(.severeDisabilityCare) ? 1 : 0
                if person.supported.has(.extremePoverty) {
                    a.extremePovertySupported += 1
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
                }
            }
            if member.disabilityGrade != 0 {
                a.disabledMembers += 1
                if beaten & dibaoBit == 0 {
                    a.disabledInDibao += 1
                    a.disabledLivingSupported += beaten & disabilityLivingBit == 0 ? 1 : 0
                }
            }
        }

        // Household programmes count the members no per-person programme took from them; one
        // whose members were all taken is judged on the whole household, and loses to the taker.
        var allTaken: UInt16 = 0
        var households = householdMask
        while households != 0 {
            let index = households.trailingZeroBitCount
            let left = n - a.taken[index]
            if n > 0 && left == 0 { allTaken |= 1 << UInt16(index) }
            a.headcount[index] = left > 0 ? left : n
            households &= households - 1
        }

        var raw: UInt16 = 0
        var amounts = SIMD16<Int64>.zero

        // 低保: (standard − per-capita income) × members, compared on totals to stay exact.
        let standardTotal = a.product(dibaoStandard, a.headcount[Programme.dibao.index], .dibao)
        a.dibaoIncomeOK = a.netIncome < standardTotal
        if a.dibaoIncomeOK && a.assetsOK {
            raw |= 1 << UInt16(Programme.dibao.index)
            amounts[Programme.dibao.index] = a.difference(standardTotal, a.netIncome, .dibao)
        }

        // 低保边缘: standard ≤ per-capita income < edge line.
        let edgeMembers = a.headcount[Programme.dibaoEdge.index]
        a.edgeAboveStandard = a.netIncome >= a.product(dibaoStandard, edgeMembers, .edge)
        a.edgeBelowLine = a.netIncome < a.product(edgeIncomeLine, edgeMembers, .edge)
        if a.edgeAboveStandard && a.edgeBelowLine && a.assetsOK {
            raw |= 1 << UInt16(Programme.dibaoEdge.index)
            amounts[Programme.dibaoEdge.index] = edgeBenefit
        }

        // 刚性支出困难: the city's formula or the national 2025 rule, as the file says.
        let rigidMembers = a.headcount[Programme.rigidExpenditure.index]
        a.rigidHasSpending = a.rigid12 > 0
        a.rigidCityIncomeOK = a.incomeAfterRigid < a.product(dibaoStandard, rigidMembers, .rigid)
        a.rigidNationalIncomeOK = a.annualIncome < a.product(disposableIncomeLine, rigidMembers, .rigid)
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
        a.temporaryBelowEdgeLine =
            a.netIncome < a.product(edgeIncomeLine, a.headcount[Programme.temporaryAssistance.index], .temporary)
        if household.hasEmergency { a.emergencyAmount = min(household.emergencyNeed, emergencyCap) }
        // Expenditure assistance pays a share of what lies over the line, so it needs some excess.
        let expenditurePath = a.medical12 > medicalWarningLine && a.temporaryBelowEdgeLine
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

        var final = resolve(raw) & ~allTaken
        raw |= personalRaw
        final |= personalFinal

        // Per-person amounts: each counts only the persons it supports.
        amounts[Programme.extremePoverty.index] = a.sum(
            a.product(extremePovertyBasicLiving, a.extremePovertySupported, .extremePoverty), careTotal,
            .extremePoverty)
        amounts[Programme.orphan.index] = a.product(orphanAllowance, a.orphansSupported, .children)
        amounts[Programme.unsupportedChild.index] = a.product(
            unsupportedChildAllowance, a.unsupportedChildrenSupported, .children)
        amounts[Programme.severeDisabilityCare.index] = a.product(
            severeCareAmount, a.severelyDisabledSupported, .disability)

        // 困难残疾人生活补贴: the disabled members counted in a 低保 that stands.
        if final & dibaoBit != 0 && a.disabledInDibao > 0 {
            raw |= disabilityLivingBit
            if a.disabledLivingSupported > 0 {
                final |= disabilityLivingBit
                amounts[Programme.disabilityLiving.index] = a.product(
                    disabilityLivingAmount, a.disabledLivingSupported, .disability)
            }
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

    /// Why a member has no ability to work, checked in this order; `.none` when they have it.
    enum NoWorkReason: UInt8 {
        case none, elder, minor, disability, assessed
    }

    /// A member's age in completed years on the snapshot's age date.
    @inline(__always)
    func age(_ member: CompactMember) -> Int32 {
        CivilDate.completedYears(from: member.birth, to: ageOrdinal)
    }

    /// Whether and why a member has no ability to work (特困人员认定办法 2021): aged
    /// ``ParameterKey/elderAge`` or over, under ``ParameterKey/minorAge``, a disability of a
    /// category and grade the policy lists, or assessed as unable.
    @inline(__always)
    func noWorkReason(_ member: CompactMember) -> NoWorkReason {
        let age = age(member)
        if age >= elderAge { return .elder }
        if age < minorAge { return .minor }
        let category = member.disabilityCategory
        let grade = Int64(member.disabilityGrade)
        if grade != 0 && category < 8 && grade <= noWorkGrades[Int(category)] { return .disability }
        if member.flags & CompactMember.Flags.ableToWork == 0 { return .assessed }
        return .none
    }

    /// Relations (bit per ``Relation/compactCode``) whose members living in the household are
    /// obliged supporters (法定赡养、抚养、扶养义务人) of a member of the relation `code` to the
    /// applicant: spouses, parents and children of each other (民法典 第一千零五十九条、
    /// 第一千零六十七条), read from their relations to the applicant.
    ///
    /// Grandparents, grandchildren and siblings are obliged only when the nearer relatives
    /// cannot support and they themselves can (第一千零七十四条、第一千零七十五条), which the
    /// household does not say: they count only when the investigation lists them among the
    /// supporters. One of these supporters who can work is taken to be able to support: the
    /// national list of obliged supporters without the ability (特困人员认定办法 第七条) names
    /// people who cannot work, 60-year-old dibao recipients and the like, not a working-age
    /// spouse or child without income.
    @inline(__always)
    static func obligedSupporters(of code: UInt8) -> UInt8 {
        switch code {
        case 0: 0b0000_1110  // applicant: spouse, child, parent
        case 1: 0b0000_0101  // spouse: applicant, child (their child too)
        case 2: 0b0000_0011  // child: applicant, spouse (the other parent)
        case 3: 0b0100_1001  // parent: applicant, sibling (their children), parent (their spouse)
        case 4: 0b0000_0100  // grandchild: child (its parent)
        case 5: 0b0000_1000  // grandparent: parent (its child)
        case 6: 0b0000_1000  // sibling: parent
        default: 0  // other
        }
    }

    /// One member's per-person programmes: those whose conditions the member meets (`raw`),
    /// and those they are supported by once exclusive groups are applied to them (`supported`).
    /// 困难残疾人生活补贴 is not among them: it follows from the household's 低保.
    @inline(__always)
    func personal(
        _ member: CompactMember, householdQualifies: Bool, ableRelations: UInt8
    ) -> (raw: UInt16, supported: UInt16) {
        var raw: UInt16 = 0
        if householdQualifies && noWorkReason(member) != .none
            && Self.obligedSupporters(of: member.relation) & ableRelations == 0
        {
            raw |= 1 << UInt16(Programme.extremePoverty.index)
        }
        let age = age(member)
        let child = age >= 0 && age < childAgeLimit
        if child && member.flags & CompactMember.Flags.orphan != 0 { raw |= 1 << UInt16(Programme.orphan.index) }
        if child && member.flags & CompactMember.Flags.unsupported != 0 {
            raw |= 1 << UInt16(Programme.unsupportedChild.index)
        }
        let grade = Int64(member.disabilityGrade)
        if grade != 0 && grade <= severeCareMaxGrade { raw |= 1 << UInt16(Programme.severeDisabilityCare.index) }
        return (raw, resolve(raw))
    }

    /// The programmes of `raw` left once exclusive groups are applied: in each group the first
    /// programme that is itself left wins, so a programme beaten only by losers stands (an
    /// orphan who is not supported as 特困 keeps 重度残疾人护理补贴, which only 特困 excludes).
    ///
    /// Alternates lower and upper bounds until they meet; the loader refuses contradictory
    /// orders, so they meet within as many rounds as there are programmes in a chain.
    @inline(__always)
    func resolve(_ raw: UInt16) -> UInt16 {
        var left = raw & ~suppressedBy(raw)
        if left == raw { return raw }
        for _ in 0..<16 {
            let next = raw & ~suppressedBy(left)
            if next == left { break }
            left = next
        }
        return left
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

extension UInt16 {
    /// Whether the programme's bit is set.
    @inline(__always)
    fileprivate func has(_ programme: Programme) -> Bool { self & (1 << UInt16(programme.index)) != 0 }
}
