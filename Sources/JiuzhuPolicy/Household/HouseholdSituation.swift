import Foundation
import JiuzhuDomain

/// Everything the calculator needs to know about a household: members, income, assets, rigid
/// expenditure, supporters and current enrolments.
///
/// It is the what-if input (JSON, decoded strictly) and the shape a stored household is turned
/// into before evaluation. Money is integer fen; dates are "YYYY-MM-DD".
///
/// ```swift
/// let household = try HouseholdSituation(json: Data(#"""
/// {"registration": "urban",
///  "members": [{"birthDate": "1950-05-01", "sex": "female", "relation": "applicant"}],
///  "incomes": [{"type": "wages", "monthly": 30000}]}
/// """#.utf8))
/// ```
public struct HouseholdSituation: Codable, Sendable, Hashable {
    /// The household's identifier where it is stored; absent for a what-if.
    public var id: String?
    /// 户籍类型.
    public var registration: Registration
    /// The members living together (共同生活的家庭成员); at least one.
    public var members: [Member]
    /// Declared income, monthly, by type.
    public var incomes: [Income]
    /// Deposits, vehicles and housing.
    public var assets: Assets
    /// Rigid expenditure over the last 12 months, by type.
    public var expenditures: [Expenditure]
    /// People with a legal duty to support members (法定赡养、抚养、扶养义务人) who live elsewhere.
    public var supporters: [Supporter]
    /// Programmes the household is enrolled in now, for the batch comparison.
    public var enrolments: ProgrammeSet
    /// An emergency behind a request for temporary assistance, if any.
    public var emergency: Emergency?

    /// Creates a household; lists default to empty.
    public init(
        id: String? = nil, registration: Registration, members: [Member], incomes: [Income] = [],
        assets: Assets = Assets(), expenditures: [Expenditure] = [], supporters: [Supporter] = [],
        enrolments: ProgrammeSet = [], emergency: Emergency? = nil
    ) {
        self.id = id
        self.registration = registration
        self.members = members
        self.incomes = incomes
        self.assets = assets
        self.expenditures = expenditures
        self.supporters = supporters
        self.enrolments = enrolments
        self.emergency = emergency
    }

    /// Decodes a what-if household strictly: an unknown field, a wrong type or an impossible
    /// value is an error naming the field's path, in Chinese.
    public init(json: Data) throws(HouseholdInputError) {
        do {
            self = try JSONDecoder().decode(HouseholdSituation.self, from: json)
        } catch {
            throw HouseholdInputError(error)
        }
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, registration, members, incomes, assets, expenditures, supporters, enrolments, emergency
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
        id = try container.decodeIfPresent(String.self, forKey: .id)
        registration = try container.decode(Registration.self, forKey: .registration)
        members = try container.decode([Member].self, forKey: .members)
        try container.require(!members.isEmpty, forKey: .members, "家庭成员不能为空")
        try container.require(
            members.count <= InputBounds.members.upperBound, forKey: .members,
            "家庭成员不能超过 \(InputBounds.members.upperBound) 人")
        incomes = try container.decode([Income].self, forKey: .incomes, default: [])
        assets = try container.decode(Assets.self, forKey: .assets, default: Assets())
        expenditures = try container.decode([Expenditure].self, forKey: .expenditures, default: [])
        supporters = try container.decode([Supporter].self, forKey: .supporters, default: [])
        enrolments = try container.decode(ProgrammeSet.self, forKey: .enrolments, default: [])
        emergency = try container.decodeIfPresent(Emergency.self, forKey: .emergency)
        if let (path, problem) = boundsProblem() {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath + path.map(AnyCodingKey.init), debugDescription: problem))
        }
    }

    /// The first amount or count outside ``InputBounds``, as the path below the household and
    /// the reason; nil when every one is plausible. Bounded amounts (≤ 1 亿元, ≤ 50 entries,
    /// ≤ 30 members) keep every sum and product the calculator forms far inside `Int64`.
    public func boundsProblem() -> (path: [BoundsPathKey], problem: String)? {
        if !InputBounds.members.contains(members.count) {
            return ([.field("members")], "家庭成员须为 \(InputBounds.members.lowerBound)–\(InputBounds.members.upperBound) 人")
        }
        let lists: [(String, Int)] = [
            ("incomes", incomes.count), ("expenditures", expenditures.count), ("supporters", supporters.count),
        ]
        for (name, count) in lists {
            if let problem = InputBounds.listProblem(count) { return ([.field(name)], problem) }
        }
        if let problem = InputBounds.listProblem(assets.vehicles.count) {
            return ([.field("assets"), .field("vehicles")], problem)
        }
        for (index, income) in incomes.enumerated() {
            if let problem = income.monthly.implausibility {
                return ([.field("incomes"), .index(index), .field("monthly")], problem)
            }
        }
        for (index, spending) in expenditures.enumerated() {
            if let problem = spending.last12Months.implausibility {
                return ([.field("expenditures"), .index(index), .field("last12Months")], problem)
            }
        }
        if let problem = assets.deposits.implausibility { return ([.field("assets"), .field("deposits")], problem) }
        for (index, vehicle) in assets.vehicles.enumerated() {
            if let problem = vehicle.value.implausibility {
                return ([.field("assets"), .field("vehicles"), .index(index), .field("value")], problem)
            }
        }
        if !InputBounds.housingUnits.contains(assets.housingUnits) {
            return (
                [.field("assets"), .field("housingUnits")],
                "住房套数须为 \(InputBounds.housingUnits.lowerBound)–\(InputBounds.housingUnits.upperBound)"
            )
        }
        if let problem = emergency?.need.implausibility { return ([.field("emergency"), .field("need")], problem) }
        return nil
    }
}

/// One step of a path to a field: a name or a list position (`incomes`, `0`, `monthly`).
public enum BoundsPathKey: Hashable, Sendable {
    /// A field's name.
    case field(String)
    /// A position in a list.
    case index(Int)

    /// The path as the refusals write it: `incomes[0].monthly`.
    public static func text(_ path: [BoundsPathKey]) -> String {
        var text = ""
        for key in path {
            switch key {
            case .index(let index): text += "[\(index)]"
            case .field(let name): text += text.isEmpty ? name : ".\(name)"
            }
        }
        return text
    }
}

extension AnyCodingKey {
    init(_ key: BoundsPathKey) {
        switch key {
        case .field(let name): self.init(stringValue: name)
        case .index(let index): self.init(intValue: index)
        }
    }
}

extension HouseholdSituation {
    /// A member of the household.
    public struct Member: Codable, Sendable, Hashable {
        /// 出生日期.
        public var birthDate: CivilDate
        /// 性别.
        public var sex: Sex
        /// 与申请人关系.
        public var relation: Relation
        /// 残疾人证, if the member holds one.
        public var disability: Disability?
        /// 患重特大疾病.
        public var seriousIllness: Bool
        /// Assessed as able to work (有劳动能力); age and disability rules apply on top of this.
        public var ableToWork: Bool
        /// Items failed in the 6-item self-care assessment (生活自理能力评估), 0 to 6.
        public var selfCareItemsFailed: Int
        /// 孤儿 / 事实无人抚养儿童 status.
        public var childStatus: ChildStatus

        /// Creates a member; optional facts default to "none".
        public init(
            birthDate: CivilDate, sex: Sex, relation: Relation, disability: Disability? = nil,
            seriousIllness: Bool = false, ableToWork: Bool = true, selfCareItemsFailed: Int = 0,
            childStatus: ChildStatus = .none
        ) {
            self.birthDate = birthDate
            self.sex = sex
            self.relation = relation
            self.disability = disability
            self.seriousIllness = seriousIllness
            self.ableToWork = ableToWork
            self.selfCareItemsFailed = selfCareItemsFailed
            self.childStatus = childStatus
        }

        enum CodingKeys: String, CodingKey, CaseIterable {
            case birthDate, sex, relation, disability, seriousIllness, ableToWork, selfCareItemsFailed, childStatus
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
            birthDate = try container.decode(CivilDate.self, forKey: .birthDate)
            sex = try container.decode(Sex.self, forKey: .sex)
            relation = try container.decode(Relation.self, forKey: .relation)
            disability = try container.decodeIfPresent(Disability.self, forKey: .disability)
            seriousIllness = try container.decode(Bool.self, forKey: .seriousIllness, default: false)
            ableToWork = try container.decode(Bool.self, forKey: .ableToWork, default: true)
            selfCareItemsFailed = try container.decodeIntegerIfPresent(Int.self, forKey: .selfCareItemsFailed) ?? 0
            try container.require((0...6).contains(selfCareItemsFailed), forKey: .selfCareItemsFailed, "应为 0 到 6")
            childStatus = try container.decode(ChildStatus.self, forKey: .childStatus, default: .none)
        }
    }

    /// A disability certificate: category and grade (1 most severe … 4).
    public struct Disability: Codable, Sendable, Hashable {
        /// 残疾类别.
        public var category: DisabilityCategory
        /// 残疾等级, 1 to 4.
        public var grade: Int

        /// Creates a disability record.
        public init(category: DisabilityCategory, grade: Int) {
            self.category = category
            self.grade = grade
        }

        enum CodingKeys: String, CodingKey, CaseIterable { case category, grade }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
            category = try container.decode(DisabilityCategory.self, forKey: .category)
            grade = try container.decodeInteger(Int.self, forKey: .grade)
            try container.require((1...4).contains(grade), forKey: .grade, "残疾等级应为 1 到 4")
        }
    }

    /// A declared income: type and monthly amount.
    public struct Income: Codable, Sendable, Hashable {
        /// 收入类型.
        public var type: IncomeType
        /// Monthly amount in fen.
        public var monthly: Fen

        /// Creates an income declaration.
        public init(type: IncomeType, monthly: Fen) {
            self.type = type
            self.monthly = monthly
        }

        enum CodingKeys: String, CodingKey, CaseIterable { case type, monthly }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
            type = try container.decode(IncomeType.self, forKey: .type)
            monthly = try container.decode(Fen.self, forKey: .monthly)
            try container.require(monthly.rawValue >= 0, forKey: .monthly, "金额不能为负")
        }
    }

    /// The household's assets.
    public struct Assets: Codable, Sendable, Hashable {
        /// Bank deposits, securities and other money assets (货币财产), in fen.
        public var deposits: Fen
        /// Motor vehicles owned by members.
        public var vehicles: [Vehicle]
        /// Number of dwellings owned (住房套数).
        public var housingUnits: Int

        /// Creates an asset record; defaults to nothing owned.
        public init(deposits: Fen = .zero, vehicles: [Vehicle] = [], housingUnits: Int = 0) {
            self.deposits = deposits
            self.vehicles = vehicles
            self.housingUnits = housingUnits
        }

        enum CodingKeys: String, CodingKey, CaseIterable { case deposits, vehicles, housingUnits }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
            deposits = try container.decode(Fen.self, forKey: .deposits, default: .zero)
            try container.require(deposits.rawValue >= 0, forKey: .deposits, "金额不能为负")
            vehicles = try container.decode([Vehicle].self, forKey: .vehicles, default: [])
            housingUnits = try container.decodeIntegerIfPresent(Int.self, forKey: .housingUnits) ?? 0
            try container.require(housingUnits >= 0, forKey: .housingUnits, "不能为负")
        }
    }

    /// A motor vehicle.
    public struct Vehicle: Codable, Sendable, Hashable {
        /// Estimated value in fen.
        public var value: Fen
        /// A vehicle exempt from the asset test (残疾人功能性补偿代步车).
        public var exempt: Bool

        /// Creates a vehicle.
        public init(value: Fen, exempt: Bool = false) {
            self.value = value
            self.exempt = exempt
        }

        enum CodingKeys: String, CodingKey, CaseIterable { case value, exempt }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
            value = try container.decode(Fen.self, forKey: .value)
            exempt = try container.decode(Bool.self, forKey: .exempt, default: false)
        }
    }

    /// Rigid expenditure of one type over the last 12 months.
    public struct Expenditure: Codable, Sendable, Hashable {
        /// 支出类型.
        public var type: ExpenditureType
        /// Total over the last 12 months, in fen.
        public var last12Months: Fen

        /// Creates an expenditure record.
        public init(type: ExpenditureType, last12Months: Fen) {
            self.type = type
            self.last12Months = last12Months
        }

        enum CodingKeys: String, CodingKey, CaseIterable { case type, last12Months }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
            type = try container.decode(ExpenditureType.self, forKey: .type)
            last12Months = try container.decode(Fen.self, forKey: .last12Months)
            try container.require(last12Months.rawValue >= 0, forKey: .last12Months, "金额不能为负")
        }
    }

    /// A person with a legal duty to support a member.
    public struct Supporter: Codable, Sendable, Hashable {
        /// Relation to the supported member.
        public var relation: Relation
        /// Whether the supporter is able to fulfil the duty (有履行义务能力).
        public var ableToSupport: Bool

        /// Creates a supporter.
        public init(relation: Relation, ableToSupport: Bool) {
            self.relation = relation
            self.ableToSupport = ableToSupport
        }

        enum CodingKeys: String, CodingKey, CaseIterable { case relation, ableToSupport }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
            relation = try container.decode(Relation.self, forKey: .relation)
            ableToSupport = try container.decode(Bool.self, forKey: .ableToSupport)
        }
    }

    /// An emergency (急难) and the amount the household needs to get through it.
    public struct Emergency: Codable, Sendable, Hashable {
        /// What happened.
        public var kind: EmergencyKind
        /// The assessed need, in fen; assistance is capped by the policy.
        public var need: Fen

        /// Creates an emergency record.
        public init(kind: EmergencyKind, need: Fen) {
            self.kind = kind
            self.need = need
        }

        enum CodingKeys: String, CodingKey, CaseIterable { case kind, need }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
            kind = try container.decode(EmergencyKind.self, forKey: .kind)
            need = try container.decode(Fen.self, forKey: .need)
            try container.require(need.rawValue >= 0, forKey: .need, "金额不能为负")
        }
    }
}
