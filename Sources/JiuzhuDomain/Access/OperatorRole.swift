/// What an operator does in the system. Each role works at one level (the auditor at any).
///
/// Roles are fixed by the national workflow: the village livelihood specialist discovers and
/// visits, the township window accepts and (where delegated) approves, the county centre
/// checks and decides, the city bureau administers and analyses, and auditors watch them all.
public enum OperatorRole: String, CaseIterable, Codable, Sendable {
    case villageSpecialist
    case townshipClerk
    case townshipApprover
    case countyOfficer
    case cityAdministrator
    case cityAnalyst
    case auditor

    /// The Chinese title shown to operators.
    public var chineseName: String {
        switch self {
        case .villageSpecialist: "村（居）民生专员"
        case .townshipClerk: "乡镇窗口经办人"
        case .townshipApprover: "乡镇审批人"
        case .countyOfficer: "县级救助中心工作人员"
        case .cityAdministrator: "市级系统管理员"
        case .cityAnalyst: "市级数据分析员"
        case .auditor: "审计员"
        }
    }

    /// The node levels at which an account may hold this role.
    public var levels: Set<DivisionLevel> {
        switch self {
        case .villageSpecialist: [.village]
        case .townshipClerk, .townshipApprover: [.township]
        case .countyOfficer: [.county]
        case .cityAdministrator, .cityAnalyst: [.city]
        case .auditor: Set(DivisionLevel.allCases)
        }
    }

    /// The roles an account at a node of `level` may hold, in display order.
    public static func roles(at level: DivisionLevel) -> [OperatorRole] {
        allCases.filter { $0.levels.contains(level) }
    }

    /// Reads a role from its code name or its Chinese title.
    public init?(named name: String) {
        guard let role = Self(rawValue: name) ?? Self.allCases.first(where: { $0.chineseName == name }) else {
            return nil
        }
        self = role
    }
}
