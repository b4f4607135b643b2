import JiuzhuDomain

/// A household in the compact, policy-independent form the batch evaluates.
///
/// Built once from a ``HouseholdSituation``; holds only integers so that evaluating a million
/// households touches no strings, dictionaries or reference counting beyond the member array.
///
/// ```swift
/// let compact = try CompactHousehold(situation)
/// let result = try snapshot.evaluate(compact)
/// ```
public struct CompactHousehold: Sendable, Hashable {
    /// Members, in input order.
    public var members: [CompactMember]
    /// Monthly income in fen, indexed by ``IncomeType/index``.
    public var income: SIMD8<Int64>
    /// Rigid expenditure over 12 months in fen, indexed by ``ExpenditureType/index`` (lane 3 unused).
    public var rigidExpenditure: SIMD4<Int64>
    /// Money assets in fen.
    public var deposits: Int64
    /// Vehicles that are not exempt from the asset test.
    public var nonExemptVehicles: Int32
    /// Dwellings owned.
    public var housingUnits: Int32
    /// Whether some obliged supporter is able to support.
    public var hasAbleSupporter: Bool
    /// Whether an emergency was declared.
    public var hasEmergency: Bool
    /// The declared emergency need in fen (0 without one).
    public var emergencyNeed: Int64
    /// Current enrolments.
    public var enrolments: ProgrammeSet

    /// Creates a compact household from its parts.
    public init(
        members: [CompactMember], income: SIMD8<Int64> = .zero, rigidExpenditure: SIMD4<Int64> = .zero,
        deposits: Int64 = 0, nonExemptVehicles: Int32 = 0, housingUnits: Int32 = 0, hasAbleSupporter: Bool = false,
        hasEmergency: Bool = false, emergencyNeed: Int64 = 0, enrolments: ProgrammeSet = []
    ) {
        self.members = members
        self.income = income
        self.rigidExpenditure = rigidExpenditure
        self.deposits = deposits
        self.nonExemptVehicles = nonExemptVehicles
        self.housingUnits = housingUnits
        self.hasAbleSupporter = hasAbleSupporter
        self.hasEmergency = hasEmergency
        self.emergencyNeed = emergencyNeed
        self.enrolments = enrolments
    }

    /// Compacts a household: income and expenditure summed by type, vehicles counted.
    ///
    /// Throws when the declarations of one type do not sum inside `Int64`, naming the list;
    /// decoded input is bounded (``InputBounds``) and never does, but a record replicated from
    /// elsewhere is not decoded by these rules.
    public init(_ situation: HouseholdSituation) throws(AmountOverflowError) {
        var income = SIMD8<Int64>.zero
        for declaration in situation.incomes {
            let (sum, overflow) = income[declaration.type.index].addingReportingOverflow(declaration.monthly.rawValue)
            guard !overflow else { throw AmountOverflowError(field: "incomes") }
            income[declaration.type.index] = sum
        }
        var rigid = SIMD4<Int64>.zero
        for spending in situation.expenditures {
            let (sum, overflow) = rigid[spending.type.index].addingReportingOverflow(spending.last12Months.rawValue)
            guard !overflow else { throw AmountOverflowError(field: "expenditures") }
            rigid[spending.type.index] = sum
        }
        self.init(
            members: situation.members.map(CompactMember.init),
            income: income,
            rigidExpenditure: rigid,
            deposits: situation.assets.deposits.rawValue,
            nonExemptVehicles: Int32(clamping: situation.assets.vehicles.count { !$0.exempt }),
            housingUnits: Int32(clamping: situation.assets.housingUnits),
            hasAbleSupporter: situation.supporters.contains { $0.ableToSupport },
            hasEmergency: situation.emergency != nil,
            emergencyNeed: situation.emergency?.need.rawValue ?? 0,
            enrolments: situation.enrolments
        )
    }
}

/// A member reduced to the facts the rules read, in 8 bytes.
public struct CompactMember: Sendable, Hashable {
    /// Birth date as YYYYMMDD (see ``CivilDate/ordinal``).
    public var birth: Int32
    /// Disability grade 1–4, or 0 without a disability certificate.
    public var disabilityGrade: UInt8
    /// Self-care items failed, 0–6.
    public var selfCareItemsFailed: UInt8
    /// ``Flags`` bits.
    public var flags: UInt8
    /// Two codes in one byte: ``disabilityCategory`` in the low four bits, ``relation`` in the
    /// high four, so the member stays 8 bytes.
    public var codes: UInt8

    /// ``DisabilityCategory/compactCode`` of the certificate, 0 without one.
    @inlinable
    public var disabilityCategory: UInt8 { codes & 0x0F }

    /// ``Relation/compactCode`` of the member's relation to the applicant.
    @inlinable
    public var relation: UInt8 { codes >> 4 }

    /// Bits of ``flags``.
    public enum Flags {
        /// Assessed as able to work.
        public static let ableToWork: UInt8 = 1
        /// 孤儿.
        public static let orphan: UInt8 = 2
        /// 事实无人抚养儿童.
        public static let unsupported: UInt8 = 4
        /// 重特大疾病.
        public static let seriousIllness: UInt8 = 8
    }

    /// Creates a compact member from its parts; `disabilityCategory` and `relation` are the
    /// compact codes (only their low four bits are kept).
    public init(
        birth: Int32, disabilityGrade: UInt8 = 0, disabilityCategory: UInt8 = 0, relation: UInt8 = 0,
        selfCareItemsFailed: UInt8 = 0, flags: UInt8 = Flags.ableToWork
    ) {
        self.birth = birth
        self.disabilityGrade = disabilityGrade
        self.selfCareItemsFailed = selfCareItemsFailed
        self.flags = flags
        self.codes = disabilityCategory & 0x0F | (relation & 0x0F) << 4
    }

    /// Compacts a member.
    public init(_ member: HouseholdSituation.Member) {
        var flags: UInt8 = 0
        if member.ableToWork { flags |= Flags.ableToWork }
        if member.seriousIllness { flags |= Flags.seriousIllness }
        switch member.childStatus {
        case .orphan: flags |= Flags.orphan
        case .unsupported: flags |= Flags.unsupported
        case .none: break
        }
        self.init(
            birth: member.birthDate.ordinal,
            disabilityGrade: UInt8(clamping: member.disability?.grade ?? 0),
            disabilityCategory: member.disability?.category.compactCode ?? 0,
            relation: member.relation.compactCode,
            selfCareItemsFailed: UInt8(clamping: member.selfCareItemsFailed),
            flags: flags
        )
    }
}
