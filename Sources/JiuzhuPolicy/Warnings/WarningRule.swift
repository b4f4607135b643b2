import JiuzhuDomain

/// A rule of the warning platform (一个平台预警): what fact it watches, and what the locality
/// does when it confirms the fact.
public enum WarningRule: String, CaseIterable, Codable, Sendable, Hashable, Comparable {
    /// A member of a recipient household died.
    case death
    /// Wages a department reports lift a recipient household over its programme's line.
    case employmentIncome
    /// Medical out-of-pocket over the warning line within 12 months, for a household not in
    /// assistance: possible expenditure-type hardship (active discovery).
    case medicalExpense
    /// A new severe disability, or a serious illness, of a member of a registered household.
    case severeDisabilityOrIllness
    /// A member of a recipient household reaches an age that changes eligibility.
    case ageCrossing
    /// One person assisted twice: in mutually exclusive programmes, in two jurisdictions, or
    /// granted temporary assistance twice for one event.
    case duplicateAssistance
    /// A vehicle, a dwelling or a business registered to a recipient household.
    case assetRegistration
    /// A recipient household's periodic re-verification is overdue.
    case reverificationOverdue
    /// A registered household not in assistance whose income is under the monitoring line.
    case monitoringIncome
    /// A disaster struck a registered household: temporary assistance may be due.
    case disaster
    /// A member supported as a child or as 特困 past the minor age left school.
    case schooling

    /// The rule's name as operators read it.
    public var chineseName: String {
        switch self {
        case .death: "保障对象死亡"
        case .employmentIncome: "就业收入超过保障标准"
        case .medicalExpense: "医疗自付超过预警线"
        case .severeDisabilityOrIllness: "新增重度残疾或重病"
        case .ageCrossing: "年龄变化影响救助资格"
        case .duplicateAssistance: "重复救助"
        case .assetRegistration: "新增车辆、房产或经营主体"
        case .reverificationOverdue: "定期复核逾期"
        case .monitoringIncome: "监测对象收入低于监测线"
        case .disaster: "遭受灾害"
        case .schooling: "离校影响救助资格"
        }
    }

    /// Where its facts come from, in words.
    public var source: String {
        switch self {
        case .death: "公安、卫健死亡信息"
        case .employmentIncome: "人社就业和社保缴费"
        case .medicalExpense: "医保结算"
        case .severeDisabilityOrIllness: "残联残疾人证、医保大病结算"
        case .ageCrossing, .monitoringIncome: "家庭登记（定期扫描）"
        case .duplicateAssistance: "家庭登记和救助决定（定期扫描）"
        case .assetRegistration: "住建、公安、市场监管登记"
        case .reverificationOverdue: "定期复核案件（定期扫描）"
        case .disaster: "应急灾情报告"
        case .schooling: "教育学籍变动"
        }
    }

    public static func < (lhs: WarningRule, rhs: WarningRule) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
