import JiuzhuDomain

/// The policy resolved for one period: every parameter's value in force, compiled into plain
/// integer fields so that evaluating a household reads no dictionaries or strings.
///
/// Obtain one from ``PolicyCalculator/snapshot(on:)``; it carries the evaluation date and the
/// date in its month on which ages are counted (``ageDate``).
///
/// ```swift
/// let snapshot = try calculator.snapshot(on: CivilDate("2026-07-01"))
/// let result = try snapshot.evaluate(CompactHousehold(household))
/// ```
public struct PolicySnapshot: Sendable {
    /// The policy version the values come from.
    public let version: PolicyVersion
    /// First day on which all these values are in force.
    public let validFrom: CivilDate
    /// The first day of the next period with different values, if any.
    public let validUntil: CivilDate?
    /// The evaluation date.
    public private(set) var date: CivilDate
    /// The date ages are counted on: the reference day (``ParameterKey/ageReferenceDay``) of the
    /// evaluation date's month, or its last day when the month is shorter. Monthly programmes
    /// count a person's age for the whole month on this one day.
    public private(set) var ageDate: CivilDate
    /// ``ageDate`` as YYYYMMDD.
    var ageOrdinal: Int32
    /// Every parameter's resolved value, in ``ParameterKey`` order.
    public let parameters: [ResolvedParameter]
    /// Income types not counted.
    public let incomeNotCounted: [IncomeType]
    /// Expenditure types deducted from income for dibao and dibao-edge.
    public let deductibleExpenditures: [ExpenditureType]
    /// The rigid-expenditure rule in force.
    public let rigidFormula: RigidExpenditureFormula
    /// Mutually exclusive groups, first eligible wins.
    public let exclusiveGroups: [[Programme]]
    /// The tier each programme puts a household in.
    public let programmeTiers: [Programme: Tier]

    // Compiled values: fen, counts, or shares times 10,000.
    let dibaoStandard: Int64
    let edgeIncomeLine: Int64
    let edgeBenefit: Int64
    let monitoringLine: Int64
    let medicalWarningLine: Int64
    let depositsPerCapita: Int64
    let vehiclesAllowed: Int64
    let housingUnitsAllowed: Int64
    let extremePovertyIncomeCeiling: Int64
    let extremePovertyBasicLiving: Int64
    let careFull: Int64
    let carePartial: Int64
    let careSelf: Int64
    let fullCareItems: Int64
    let partialCareItems: Int64
    let elderAge: Int32
    let minorAge: Int32
    /// The highest disability grade meaning no work ability, by ``DisabilityCategory/compactCode``
    /// (lane 0, no certificate, is 0: no grade).
    let noWorkGrades: SIMD8<Int64>
    let ageReferenceDay: Int64
    let childAgeLimit: Int32
    let orphanAllowance: Int64
    let unsupportedChildAllowance: Int64
    let disabilityLivingAmount: Int64
    let severeCareAmount: Int64
    let severeCareMaxGrade: Int64
    let disposableIncomeLine: Int64
    let rigidIncomeShare: Int64
    let rigidBenefit: Int64
    let emergencyCap: Int64
    let expenditureCap: Int64
    let expenditureShare: Int64
    /// All bits set in the lanes of counted income types, zero elsewhere.
    let countedIncomeMask: SIMD8<Int64>
    /// All bits set in the lanes of deductible expenditure types.
    let deductibleMask: SIMD4<Int64>
    let useNationalRigidRule: Bool
    /// Per-person programmes (``Programme/isPerPerson``) and household ones, as bitmasks.
    let perPersonMask: UInt16
    let householdMask: UInt16
    let bottomLineMask: UInt16
    let specialMask: UInt16
    let monitoringMask: UInt16
    /// Lane i: the programmes that lose to programme i when both are eligible.
    let suppresses: SIMD16<UInt16>
    /// Each programme's rule in words, by ``Programme/index``, built once for explanations.
    private(set) var ruleTexts: [String] = []

    /// The resolved value of one parameter.
    public func parameter(_ key: ParameterKey) -> ResolvedParameter {
        // `parameters` holds every key in `allCases` order; the index is the key's position.
        parameters[ParameterKey.ordered.firstIndex(of: key) ?? 0]
    }

    /// Resolves the document on `date`; nil when some parameter is not yet in force.
    init?(document: PolicyDocument, on date: CivilDate, validUntil: CivilDate?) {
        var resolved: [ResolvedParameter] = []
        for key in ParameterKey.ordered {
            guard let parameter = document.resolve(key, on: date) else { return nil }
            resolved.append(parameter)
        }
        func value(_ key: ParameterKey) -> Int64 { resolved[ParameterKey.ordered.firstIndex(of: key) ?? 0].value }
        version = document.version
        validFrom = date
        self.validUntil = validUntil
        self.date = date
        ageReferenceDay = value(.ageReferenceDay)
        ageDate = Self.ageDate(in: date, referenceDay: ageReferenceDay)
        ageOrdinal = ageDate.ordinal
        parameters = resolved
        incomeNotCounted = IncomeType.allCases.filter { document.incomeNotCounted.contains($0) }
        deductibleExpenditures = ExpenditureType.allCases.filter { document.deductibleExpenditures.contains($0) }
        rigidFormula = document.programmes[.rigidExpenditure]?.rigidFormula ?? .city
        exclusiveGroups = document.exclusiveGroups
        programmeTiers = document.programmes.compactMapValues(\.tier)
        dibaoStandard = value(.dibaoStandard)
        edgeIncomeLine = value(.edgeIncomeLine)
        edgeBenefit = value(.edgeBenefit)
        monitoringLine = value(.monitoringLine)
        medicalWarningLine = value(.medicalWarningLine)
        depositsPerCapita = value(.depositsPerCapita)
        vehiclesAllowed = value(.vehiclesAllowed)
        housingUnitsAllowed = value(.housingUnitsAllowed)
        extremePovertyIncomeCeiling = value(.extremePovertyIncomeCeiling)
        extremePovertyBasicLiving = value(.extremePovertyBasicLiving)
        careFull = value(.careFull)
        carePartial = value(.carePartial)
        careSelf = value(.careSelf)
        fullCareItems = value(.fullCareItems)
        partialCareItems = value(.partialCareItems)
        elderAge = Int32(clamping: value(.elderAge))
        minorAge = Int32(clamping: value(.minorAge))
        var grades = SIMD8<Int64>.zero
        for category in DisabilityCategory.allCases {
            grades[Int(category.compactCode)] = value(.noWorkGrade(category))
        }
        noWorkGrades = grades
        childAgeLimit = Int32(clamping: value(.childAgeLimit))
        orphanAllowance = value(.orphanAllowance)
        unsupportedChildAllowance = value(.unsupportedChildAllowance)
        disabilityLivingAmount = value(.disabilityLivingAmount)
        severeCareAmount = value(.severeCareAmount)
        severeCareMaxGrade = value(.severeCareMaxGrade)
        disposableIncomeLine = value(.disposableIncomeLine)
        rigidIncomeShare = value(.rigidIncomeShare)
        rigidBenefit = value(.rigidBenefit)
        emergencyCap = value(.emergencyCap)
        expenditureCap = value(.expenditureCap)
        expenditureShare = value(.expenditureShare)
        var counted = SIMD8<Int64>(repeating: -1)
        for type in document.incomeNotCounted { counted[type.index] = 0 }
        countedIncomeMask = counted
        var deductible = SIMD4<Int64>.zero
        for type in document.deductibleExpenditures { deductible[type.index] = -1 }
        deductibleMask = deductible
        useNationalRigidRule = rigidFormula == .national2025
        func mask(_ tier: Tier) -> UInt16 {
            ProgrammeSet(Programme.ordered.filter { document.programmes[$0]?.tier == tier }).rawValue
        }
        perPersonMask = ProgrammeSet(Programme.ordered.filter(\.isPerPerson)).rawValue
        householdMask = ProgrammeSet(Programme.ordered.filter { !$0.isPerPerson }).rawValue
        bottomLineMask = mask(.bottomLine)
        specialMask = mask(.special)
        monitoringMask = mask(.monitoring)
        var suppresses = SIMD16<UInt16>.zero
        for group in document.exclusiveGroups {
            for (position, winner) in group.enumerated() {
                suppresses[winner.index] |= ProgrammeSet(group[(position + 1)...]).rawValue
            }
        }
        self.suppresses = suppresses
        ruleTexts = Programme.ordered.map { ruleText($0) }
    }

    /// Moves the snapshot to another date in its period, and the age date with it.
    mutating func move(to date: CivilDate) {
        self.date = date
        ageDate = Self.ageDate(in: date, referenceDay: ageReferenceDay)
        ageOrdinal = ageDate.ordinal
    }

    /// Day `referenceDay` of `date`'s month, clamped to the month (31 in February is its last day).
    static func ageDate(in date: CivilDate, referenceDay: Int64) -> CivilDate {
        let length = CivilDate.daysInMonth(year: date.year, month: date.month)
        let day = Int(min(max(referenceDay, 1), Int64(length)))
        return (try? CivilDate(year: date.year, month: date.month, day: day)) ?? date
    }
}
