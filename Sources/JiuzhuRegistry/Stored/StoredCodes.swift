import JiuzhuDomain

// The code lists the registry keeps of its own. Each is a line the assistance policy draws —
// which income counts, which spending is rigid, which child qualifies for a children's
// allowance — so the calculator may redraw it with the policy. The registry's declarations
// keep their codes when it does: `HouseholdRecord+calculator.swift` maps each to the
// calculator's list, and only that mapping changes. Today the codes are the calculator's, one
// for one, with the same raw values, so stored format version 1 is unchanged.
//
// Codes both sides read off the same document (户籍, sex, relation, disability category) are
// shared instead, in JiuzhuDomain; programme codes stay the calculator's (see
// ``HouseholdRecord/enrolments``).

/// A type of income as a household declares it to the registry.
///
/// The registry's own list, not the calculator's `IncomeType`: which types count as income is
/// the policy's business, and the calculator may split or merge them without the codes in
/// stored declarations changing.
public enum StoredIncomeType: String, CaseIterable, Sendable, Codable, Hashable {
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

    /// Decodes the code, refusing an unknown one with the list of codes.
    public init(from decoder: any Decoder) throws { self = try decoder.decodeCode(Self.self) }
}

/// A type of rigid expenditure as the registry records it.
///
/// The registry's own list, not the calculator's `ExpenditureType`: which spending counts as
/// rigid is the policy's line, and the calculator may redraw it (split medical spending, add a
/// kind) without the codes in stored declarations changing. Today the codes are the
/// calculator's, one for one (`ExpenditureType.init(_:)` maps them).
public enum StoredExpenditureType: String, CaseIterable, Sendable, Codable, Hashable {
    /// 医疗自付费用.
    case medical
    /// 教育支出.
    case education
    /// 残疾康复支出.
    case rehabilitation

    /// The type's name as users read it.
    public var chineseName: String {
        switch self {
        case .medical: "医疗自付费用"
        case .education: "教育支出"
        case .rehabilitation: "残疾康复支出"
        }
    }

    /// Decodes the code, refusing an unknown one with the list of codes.
    public init(from decoder: any Decoder) throws { self = try decoder.decodeCode(Self.self) }
}

/// A child's guardianship status as the civil affairs office has recognised it (认定).
///
/// The registry's own list, not the calculator's `ChildStatus`: the statuses are defined by
/// the children's allowance policy, which the calculator follows and may refine, while a
/// recognition already stored stays as it was recorded.
public enum StoredChildStatus: String, CaseIterable, Sendable, Codable, Hashable {
    /// Neither.
    case none
    /// 孤儿: both parents dead or declared missing.
    case orphan
    /// 事实无人抚养儿童: parents alive but unable to raise the child.
    case unsupported

    /// Decodes the code, refusing an unknown one with the list of codes.
    public init(from decoder: any Decoder) throws { self = try decoder.decodeCode(Self.self) }
}
