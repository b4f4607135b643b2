/// Something an operator may do. Every route declares the one permission it needs, and
/// `AccessPolicy` is the only place that says which role holds which.
public enum Permission: String, CaseIterable, Codable, Sendable {
    /// See the node's own page: parent, children, federation state.
    case viewNode
    /// See a division's summary inside the jurisdiction.
    case viewDivision
    /// Read households and people (names, circumstances), always audited.
    case viewPersonalData
    /// See citizen ID numbers in full rather than masked.
    case viewFullCitizenID
    /// Create and change households and people at the owning village.
    case editRegistry
    /// Accept applications at the township window.
    case acceptApplications
    /// Approve where the county delegated approval to the township.
    case approveDelegated
    /// Check and decide at the county centre.
    case decideCases
    /// Take applications and act on cases: the step itself is allowed or refused by the
    /// case workflow, by role and level.
    case handleCases
    /// Publish policy versions for the whole city.
    case publishPolicy
    /// See aggregate figures and warnings for the jurisdiction (the dashboard): held where
    /// a jurisdiction is overseen, at the township, the county and the city.
    case analyse
    /// Run the policy calculator on a situation (a what-if; nothing is stored).
    case useCalculator
    /// Create, disable and reset the node's operator accounts.
    case manageAccounts
    /// Read and verify the audit log.
    case readAudit
    /// Read the security events: refused federation requests, from every node below.
    case readSecurityEvents

    /// The Chinese description used in refusals and on the administration page.
    public var chineseName: String {
        switch self {
        case .viewNode: "查看节点状态"
        case .viewDivision: "查看辖区概况"
        case .viewPersonalData: "查阅个人信息"
        case .viewFullCitizenID: "查看完整身份证号"
        case .editRegistry: "登记和修改家庭、人员信息"
        case .acceptApplications: "受理申请"
        case .approveDelegated: "受委托审批"
        case .decideCases: "核对和认定"
        case .handleCases: "受理申请和办理案件"
        case .publishPolicy: "发布政策版本"
        case .analyse: "查看统计分析和预警"
        case .useCalculator: "使用政策计算器"
        case .manageAccounts: "管理操作员账号"
        case .readAudit: "查阅审计日志"
        case .readSecurityEvents: "查阅安全事件"
        }
    }
}

/// Which role holds which permission: the single table every route's check goes through.
///
/// Jurisdiction is the other half of every check: an operator acts only inside the
/// division of the node that holds the account (`AccessPolicy.decide`).
public enum AccessPolicy {
    /// The permissions of `role`.
    public static func permissions(of role: OperatorRole) -> Set<Permission> {
        switch role {
        case .villageSpecialist:
            [
                .viewNode, .viewDivision, .viewPersonalData, .viewFullCitizenID, .editRegistry, .useCalculator,
                .handleCases,
            ]
        case .townshipClerk:
            [
                .viewNode, .viewDivision, .viewPersonalData, .viewFullCitizenID, .editRegistry, .acceptApplications,
                .useCalculator, .handleCases, .analyse,
            ]
        case .townshipApprover:
            [
                .viewNode, .viewDivision, .viewPersonalData, .viewFullCitizenID, .approveDelegated, .useCalculator,
                .handleCases, .analyse,
            ]
        case .countyOfficer:
            [
                .viewNode, .viewDivision, .viewPersonalData, .viewFullCitizenID, .decideCases, .analyse, .useCalculator,
                .handleCases,
            ]
        case .cityAdministrator:
            [.viewNode, .viewDivision, .manageAccounts, .publishPolicy, .useCalculator, .readSecurityEvents]
        case .cityAnalyst:
            [.viewNode, .viewDivision, .viewPersonalData, .analyse, .useCalculator]
        case .auditor:
            [.viewNode, .viewDivision, .readAudit, .readSecurityEvents]
        }
    }

    /// Whether `role` holds `permission`.
    public static func allows(_ role: OperatorRole, _ permission: Permission) -> Bool {
        permissions(of: role).contains(permission)
    }

    /// The decision for an operator of `role`, whose account lives at `node`, doing
    /// `permission` on data of `target` (or on the node itself when `target` is nil).
    public static func decide(
        role: OperatorRole, node: DivisionCode, permission: Permission, target: DivisionCode? = nil
    ) -> AccessDecision {
        guard allows(role, permission) else {
            return .refused("\(role.chineseName)没有“\(permission.chineseName)”的权限")
        }
        if let target, !target.isWithin(node) {
            return .refused("\(target.digits) 不在本节点辖区 \(node.digits) 之内")
        }
        return .allowed
    }
}

/// The outcome of an access check; a refusal says why, in Chinese.
public enum AccessDecision: Equatable, Sendable {
    case allowed
    case refused(String)
}
