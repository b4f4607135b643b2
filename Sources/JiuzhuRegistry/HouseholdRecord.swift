import JiuzhuDomain
import JiuzhuPolicy

/// A household as the registry keeps it: owned by the village where it is registered, with
/// its members, dated income declarations, assets, rigid expenditures, the people obliged to
/// support it and the programmes it is enrolled in. One record is one row on the `registry`
/// channel, so a household is always written (and replicated) whole.
public struct HouseholdRecord: Codable, Equatable, Sendable {
    /// `<village code>-<number>`, assigned by the village.
    public var id: String
    public var village: DivisionCode
    public var address: String
    public var registration: Registration
    public var members: [PersonRecord]
    public var incomes: [IncomeDeclaration]
    public var assets: HouseholdSituation.Assets
    public var expenditures: [HouseholdSituation.Expenditure]
    public var supporters: [SupporterRecord]
    public var enrolments: [Programme]
    /// Who made this version, at which node (filled in by the registry, not the caller).
    public var changedBy: String?

    public init(
        id: String, village: DivisionCode, address: String, registration: Registration, members: [PersonRecord],
        incomes: [IncomeDeclaration] = [], assets: HouseholdSituation.Assets = .init(),
        expenditures: [HouseholdSituation.Expenditure] = [], supporters: [SupporterRecord] = [],
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

    /// The situation the policy calculator evaluates.
    public var situation: HouseholdSituation {
        HouseholdSituation(
            id: id, registration: registration,
            members: members.map(\.situation),
            incomes: incomes.map { HouseholdSituation.Income(type: $0.type, monthly: $0.monthly) },
            assets: assets, expenditures: expenditures,
            supporters: supporters.map {
                HouseholdSituation.Supporter(relation: $0.relation, ableToSupport: $0.ableToSupport)
            },
            enrolments: ProgrammeSet(enrolments))
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
    public var disability: HouseholdSituation.Disability?
    public var seriousIllness: Bool
    public var ableToWork: Bool
    public var selfCareItemsFailed: Int
    public var childStatus: ChildStatus
    public var employment: Employment
    public var schooling: Schooling
    /// A child whose parents both work away from home (留守儿童).
    public var leftBehind: Bool
    public var phone: String?

    public init(
        citizenID: String, name: String, sex: Sex, birthDate: CivilDate, relation: Relation,
        disability: HouseholdSituation.Disability? = nil, seriousIllness: Bool = false, ableToWork: Bool = true,
        selfCareItemsFailed: Int = 0, childStatus: ChildStatus = .none, employment: Employment = .none,
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

    var situation: HouseholdSituation.Member {
        HouseholdSituation.Member(
            birthDate: birthDate, sex: sex, relation: relation, disability: disability, seriousIllness: seriousIllness,
            ableToWork: ableToWork, selfCareItemsFailed: selfCareItemsFailed, childStatus: childStatus)
    }
}

/// A dated declaration of one kind of income; whether it counts is the policy's business.
public struct IncomeDeclaration: Codable, Equatable, Sendable {
    public var type: IncomeType
    public var monthly: Fen
    /// Seasonal, casual or otherwise unsteady income.
    public var irregular: Bool
    public var declaredOn: CivilDate

    public init(type: IncomeType, monthly: Fen, irregular: Bool = false, declaredOn: CivilDate) {
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
