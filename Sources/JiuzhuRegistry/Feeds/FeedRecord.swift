import JiuzhuDomain

/// A department that sends the city its records (部门数据), named as the department itself,
/// never one of its divisions: its client certificate names it, and it may send only its feeds.
public enum Department: String, CaseIterable, Codable, Sendable, Hashable {
    /// 公安局: deaths (户籍注销) and vehicle registrations.
    case publicSecurity
    /// 卫生健康委员会: deaths (死亡医学证明).
    case health
    /// 人力资源和社会保障局: employment and social-insurance contributions.
    case humanResources
    /// 医疗保障局: medical-insurance settlements.
    case medicalInsurance
    /// 残疾人联合会: disability certifications.
    case disabledPersons
    /// 教育局: school enrolment and graduation.
    case education
    /// 住房和城乡建设局: property registrations.
    case housing
    /// 市场监督管理局: business registrations.
    case marketRegulation
    /// 应急管理局: disaster reports.
    case emergencyManagement

    /// The department's name as the city writes it.
    public var chineseName: String {
        switch self {
        case .publicSecurity: "市公安局"
        case .health: "市卫生健康委员会"
        case .humanResources: "市人力资源和社会保障局"
        case .medicalInsurance: "市医疗保障局"
        case .disabledPersons: "市残疾人联合会"
        case .education: "市教育局"
        case .housing: "市住房和城乡建设局"
        case .marketRegulation: "市市场监督管理局"
        case .emergencyManagement: "市应急管理局"
        }
    }

    /// The feeds this department may send.
    public var feeds: [DepartmentFeed] { DepartmentFeed.allCases.filter { $0.senders.contains(self) } }
}

/// One of the eight kinds of department record the city receives.
public enum DepartmentFeed: String, CaseIterable, Codable, Sendable, Hashable {
    /// 死亡信息 (公安、卫健).
    case deaths
    /// 就业和社会保险缴费 (人社): a person's wage in a month.
    case employment
    /// 医保结算 (医保): one settlement with the amount the patient paid.
    case medical
    /// 残疾人证 (残联): a certification of category and grade.
    case disability
    /// 学籍 (教育): enrolment, graduation or leaving school.
    case schooling
    /// 不动产和机动车登记 (住建、公安).
    case property
    /// 市场主体登记 (市场监管).
    case business
    /// 灾情报告 (应急): a person affected by a disaster.
    case disaster

    /// The departments that may send this feed.
    public var senders: [Department] {
        switch self {
        case .deaths: [.publicSecurity, .health]
        case .employment: [.humanResources]
        case .medical: [.medicalInsurance]
        case .disability: [.disabledPersons]
        case .schooling: [.education]
        case .property: [.housing, .publicSecurity]
        case .business: [.marketRegulation]
        case .disaster: [.emergencyManagement]
        }
    }

    /// The feed's name as operators read it.
    public var chineseName: String {
        switch self {
        case .deaths: "死亡信息"
        case .employment: "就业和社保缴费"
        case .medical: "医保结算"
        case .disability: "残疾人证"
        case .schooling: "学籍变动"
        case .property: "不动产和车辆登记"
        case .business: "市场主体登记"
        case .disaster: "灾情报告"
        }
    }
}

/// One department record about one person, as the city stores it: the department's own record
/// number makes a record that arrives twice the same record, and the citizen ID matches it to
/// the households that hold the person.
public struct FeedRecord: Codable, Sendable, Hashable {
    public var feed: DepartmentFeed
    /// The department's own number for the record (1–64 printable characters), unique within
    /// the feed: sent again, it replaces the record instead of adding one.
    public var recordID: String
    /// The person's normalised 18-character citizen ID.
    public var citizenID: String
    /// The person's name as the department holds it, when sent.
    public var name: String?
    /// The day the record is about: the death, the first day of the month paid, the
    /// settlement, the certification, the school event, the registration, the disaster.
    public var date: CivilDate
    public var facts: FeedFacts

    public init(
        feed: DepartmentFeed, recordID: String, citizenID: String, name: String? = nil, date: CivilDate,
        facts: FeedFacts
    ) {
        self.feed = feed
        self.recordID = recordID
        self.citizenID = citizenID
        self.name = name
        self.date = date
        self.facts = facts
    }
}

/// What a record says beyond who and when, one case per feed.
public enum FeedFacts: Codable, Sendable, Hashable {
    /// A death; `certificate` is the death certificate's or deregistration's number.
    case death(certificate: String?)
    /// A month's wage paid by an employer and the social-insurance contribution base.
    case employment(employer: String, monthlyWage: Fen, contributionBase: Fen?)
    /// A settlement: the whole cost, the part the patient paid, and whether it is for a
    /// serious illness (大病) the insurance names.
    case medical(totalCost: Fen, outOfPocket: Fen, seriousIllness: Bool, diagnosis: String?)
    /// A disability certification (残疾人证) with category and grade (1 most severe … 4).
    case disability(category: DisabilityCategory, grade: Int)
    /// A school event: enrolled at a level, graduated from it, or left school.
    case schooling(event: SchoolEvent, level: Schooling, school: String?)
    /// A dwelling or a vehicle registered to the person.
    case property(kind: PropertyKind, description: String, value: Fen?)
    /// A business registered with the person as its legal representative or owner.
    case business(name: String, registeredCapital: Fen?, active: Bool)
    /// A disaster that struck the person's household; `event` is the disaster's number, the
    /// same for every household it struck, and `loss` the assessed loss.
    case disaster(event: String, kind: String, loss: Fen?)

    /// The feed whose records say this.
    public var feed: DepartmentFeed {
        switch self {
        case .death: .deaths
        case .employment: .employment
        case .medical: .medical
        case .disability: .disability
        case .schooling: .schooling
        case .property: .property
        case .business: .business
        case .disaster: .disaster
        }
    }
}

/// What happened at school.
public enum SchoolEvent: String, Codable, CaseIterable, Sendable, Hashable {
    case enrolled, graduated, left

    public var chineseName: String {
        switch self {
        case .enrolled: "入学"
        case .graduated: "毕业"
        case .left: "退学或离校"
        }
    }
}

/// What kind of property was registered.
public enum PropertyKind: String, Codable, CaseIterable, Sendable, Hashable {
    case dwelling, vehicle

    public var chineseName: String {
        switch self {
        case .dwelling: "住房"
        case .vehicle: "机动车"
        }
    }
}
