import JiuzhuDomain

// The calculator's own code lists: lines the assistance policy draws (which income counts,
// which spending is rigid, which child qualifies for a children's allowance). Codes read off
// the household's documents (户籍, sex, relation, disability category) are shared with the
// registry and live in JiuzhuDomain. The registry stores its own copies of the lists below
// and maps them to these (`HouseholdRecord+calculator.swift` in JiuzhuRegistry).

/// A child's guardianship status, for the children's allowances.
public enum ChildStatus: String, CaseIterable, Sendable, Codable, Hashable {
    /// Neither.
    case none
    /// 孤儿: both parents dead or declared missing.
    case orphan
    /// 事实无人抚养儿童: parents alive but unable to raise the child.
    case unsupported

    public init(from decoder: any Decoder) throws { self = try decoder.decodeCode(Self.self) }
}

/// A type of income; the policy file says which types are not counted (不计入收入).
public enum IncomeType: String, CaseIterable, Sendable, Codable, Hashable {
    /// 工资性收入.
    case wages
    /// 经营净收入.
    case business
    /// 财产净收入.
    case property
    /// 转移性收入 (pensions above the base amount, support paid by relatives …).
    case transfer
    /// 基础养老金.
    case pensionBase
    /// 政府发放的救助金、补贴.
    case assistance
    /// 奖励性补助、优待抚恤.
    case incentive
    /// 其他收入.
    case other

    /// The type's position in ``CompactHousehold/income``.
    @inlinable
    public var index: Int {
        switch self {
        case .wages: 0
        case .business: 1
        case .property: 2
        case .transfer: 3
        case .pensionBase: 4
        case .assistance: 5
        case .incentive: 6
        case .other: 7
        }
    }

    /// The type's name as users read it.
    public var chineseName: String {
        switch self {
        case .wages: "工资性收入"
        case .business: "经营净收入"
        case .property: "财产净收入"
        case .transfer: "转移性收入"
        case .pensionBase: "基础养老金"
        case .assistance: "政府救助金和补贴"
        case .incentive: "奖励性补助和优抚金"
        case .other: "其他收入"
        }
    }

    public init(from decoder: any Decoder) throws { self = try decoder.decodeCode(Self.self) }
}

/// A type of rigid expenditure (刚性支出) over the last 12 months.
public enum ExpenditureType: String, CaseIterable, Sendable, Codable, Hashable {
    /// 医疗自付费用.
    case medical
    /// 教育支出.
    case education
    /// 残疾康复支出.
    case rehabilitation

    /// The type's position in ``CompactHousehold/rigidExpenditure``.
    @inlinable
    public var index: Int {
        switch self {
        case .medical: 0
        case .education: 1
        case .rehabilitation: 2
        }
    }

    /// The type's name as users read it.
    public var chineseName: String {
        switch self {
        case .medical: "医疗自付费用"
        case .education: "教育支出"
        case .rehabilitation: "残疾康复支出"
        }
    }

    public init(from decoder: any Decoder) throws { self = try decoder.decodeCode(Self.self) }
}

/// The kind of emergency behind a request for temporary assistance (急难型).
public enum EmergencyKind: String, CaseIterable, Sendable, Codable, Hashable {
    /// 自然灾害.
    case disaster
    /// 意外事故.
    case accident
    /// 突发重大疾病.
    case illness
    /// 其他突发事件.
    case other

    public init(from decoder: any Decoder) throws { self = try decoder.decodeCode(Self.self) }
}

extension DisabilityCategory {
    /// The category's code in ``CompactMember/disabilityCategory``, 1–7 (0 means no certificate).
    @inlinable
    public var compactCode: UInt8 {
        switch self {
        case .visual: 1
        case .hearing: 2
        case .speech: 3
        case .physical: 4
        case .intellectual: 5
        case .mental: 6
        case .multiple: 7
        }
    }

    /// The category with a ``compactCode``; nil for 0 (no certificate) or a code out of range.
    public init?(compactCode: UInt8) {
        guard let category = Self.allCases.first(where: { $0.compactCode == compactCode }) else { return nil }
        self = category
    }

    /// The category's name as users read it.
    public var chineseName: String {
        switch self {
        case .visual: "视力残疾"
        case .hearing: "听力残疾"
        case .speech: "言语残疾"
        case .physical: "肢体残疾"
        case .intellectual: "智力残疾"
        case .mental: "精神残疾"
        case .multiple: "多重残疾"
        }
    }
}

extension Relation {
    /// The relation's code in ``CompactMember/relation``, 0–7.
    @inlinable
    public var compactCode: UInt8 {
        switch self {
        case .applicant: 0
        case .spouse: 1
        case .child: 2
        case .parent: 3
        case .grandchild: 4
        case .grandparent: 5
        case .sibling: 6
        case .other: 7
        }
    }
}
