import JiuzhuDomain
import JiuzhuPolicy

/// A household as the registry keeps it: owned by the village where it is registered, with
/// its members, dated income declarations, assets, rigid expenditures, the people obliged to
/// support it and the programmes it is enrolled in. One record is one row on the `registry`
/// channel, so a household is always written (and replicated) whole.
///
/// Every part of it is the registry's own type (``StoredAssets``, ``StoredExpenditure``,
/// ``StoredDisability``, ``StoredIncomeType`` …) or a code shared through JiuzhuDomain, never the
/// calculator's input types: the payload is what every node stores and replicates, so it
/// changes only when the registry decides, not when the calculator's request format does.
/// ``situation`` maps a record to the calculator's input.
public struct HouseholdRecord: Codable, Equatable, Sendable {
    /// The stored format this type reads and writes: version 1, the payload every release has
    /// replicated so far (pinned by `Tests/JiuzhuRegistryTests/StoredFormat/v1`).
    ///
    /// The version is not written into the payload: a node of an earlier release decodes
    /// strictly and would set aside a record with a key it does not know. A version 2 comes in
    /// two releases. The first decodes either version — telling them apart by their shape, with
    /// a type per version and a mapping from version 1 to version 2 — and still writes
    /// version 1; once every node runs it, the next release writes version 2. Fixtures of each
    /// version stay in the tests for as long as any node may send one.
    public static let storedFormatVersion = 1

    /// `<village code>-<number>`, assigned by the village.
    public var id: String
    public var village: DivisionCode
    public var address: String
    public var registration: Registration
    public var members: [PersonRecord]
    public var incomes: [IncomeDeclaration]
    public var assets: StoredAssets
    public var expenditures: [StoredExpenditure]
    public var supporters: [SupporterRecord]
    /// The programmes the household is enrolled in, by the calculator's programme codes.
    ///
    /// The one calculator type in the record, on purpose: an enrolment is membership of a
    /// programme in the policy's catalogue, and the batch compares it with what the calculator
    /// finds, programme by programme. The codes ("dibao") are the ones policy files are
    /// published with, so they change only with a policy, never with the request format; a
    /// registry copy would have to follow every change to the catalogue anyway. Removing or
    /// renaming a code is therefore a change of the stored format too (``storedFormatVersion``).
    public var enrolments: [Programme]
    /// Who made this version, at which node (filled in by the registry, not the caller).
    public var changedBy: String?

    public init(
        id: String, village: DivisionCode, address: String, registration: Registration, members: [PersonRecord],
        incomes: [IncomeDeclaration] = [], assets: StoredAssets = .init(),
        expenditures: [StoredExpenditure] = [], supporters: [SupporterRecord] = [],
        enrolments: [Programme] = [], changedBy: String? = nil
    ) {
        self.id = id
        self.village = village
        self.address = address
        self.registration = registration
        self.members = members
        self.incomes = incomes
        self.assets = assets
        self.expenditures = expenditures
        self.supporters = supporters
        self.enrolments = enrolments
        self.changedBy = changedBy
    }
}

/// A member of a household.
public struct PersonRecord: Codable, Equatable, Sendable {
    /// Normalised 18-character citizen ID number (GB 11643).
    public var citizenID: String
    public var name: String
    public var sex: Sex
    public var birthDate: CivilDate
    public var relation: Relation
    public var disability: StoredDisability?
    public var seriousIllness: Bool
    public var ableToWork: Bool
    public var selfCareItemsFailed: Int
    public var childStatus: StoredChildStatus
    public var employment: Employment
    public var schooling: Schooling
    /// A child whose parents both work away from home (留守儿童).
    public var leftBehind: Bool
    public var phone: String?

    public init(
        citizenID: String, name: String, sex: Sex, birthDate: CivilDate, relation: Relation,
        disability: StoredDisability? = nil, seriousIllness: Bool = false, ableToWork: Bool = true,
        selfCareItemsFailed: Int = 0, childStatus: StoredChildStatus = .none, employment: Employment = .none,
        schooling: Schooling = .none, leftBehind: Bool = false, phone: String? = nil
    ) {
        self.citizenID = citizenID
        self.name = name
        self.sex = sex
        self.birthDate = birthDate
        self.relation = relation
        self.disability = disability
        self.seriousIllness = seriousIllness
        self.ableToWork = ableToWork
        self.selfCareItemsFailed = selfCareItemsFailed
        self.childStatus = childStatus
        self.employment = employment
        self.schooling = schooling
        self.leftBehind = leftBehind
        self.phone = phone
    }
}

/// A dated declaration of one kind of income; whether it counts is the policy's business.
public struct IncomeDeclaration: Codable, Equatable, Sendable {
    public var type: StoredIncomeType
    public var monthly: Fen
    /// Seasonal, casual or otherwise unsteady income.
    public var irregular: Bool
    public var declaredOn: CivilDate

    public init(type: StoredIncomeType, monthly: Fen, irregular: Bool = false, declaredOn: CivilDate) {
        self.type = type
        self.monthly = monthly
        self.irregular = irregular
        self.declaredOn = declaredOn
    }
}

/// Someone legally obliged to support a member (赡养、抚养、扶养义务人).
public struct SupporterRecord: Codable, Equatable, Sendable {
    public var name: String
    public var citizenID: String?
    public var relation: Relation
    public var ableToSupport: Bool

    public init(name: String, citizenID: String? = nil, relation: Relation, ableToSupport: Bool) {
        self.name = name
        self.citizenID = citizenID
        self.relation = relation
        self.ableToSupport = ableToSupport
    }
}

/// What a person does for a living.
public enum Employment: String, Codable, CaseIterable, Sendable {
    case none, employed, selfEmployed, farming, unemployed, retired, student

    public var chineseName: String {
        switch self {
        case .none: "无"
        case .employed: "受雇就业"
        case .selfEmployed: "自主经营"
        case .farming: "务农"
        case .unemployed: "失业"
        case .retired: "退休"
        case .student: "在校学生"
        }
    }
}

/// The school a person attends, if any.
public enum Schooling: String, Codable, CaseIterable, Sendable {
    case none, preschool, primary, juniorSecondary, seniorSecondary, vocational, higher

    public var chineseName: String {
        switch self {
        case .none: "未在学"
        case .preschool: "学前"
        case .primary: "小学"
        case .juniorSecondary: "初中"
        case .seniorSecondary: "高中"
        case .vocational: "职业教育"
        case .higher: "高等教育"
        }
    }
}
