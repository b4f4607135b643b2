/// What a case is for.
public enum CaseKind: String, CaseIterable, Codable, Sendable {
    /// An application for assistance (申请), fuzzy or for a named programme.
    case application
    /// The periodic re-verification of a recipient household (定期复核).
    case reverification
    /// The re-check after a death in a recipient household (死亡复查), due within months.
    case deathRecheck
    /// A change reported in a recipient household, or its exit (变更、退出).
    case change

    public var chineseName: String {
        switch self {
        case .application: "救助申请"
        case .reverification: "定期复核"
        case .deathRecheck: "家庭成员死亡复查"
        case .change: "变更或退出"
        }
    }

    /// The outcomes a decision on a case of this kind may have.
    public var outcomes: [DecisionOutcome] {
        switch self {
        case .application: [.enrol, .refuse]
        case .reverification, .deathRecheck, .change: [.continueAssistance, .gradualExit, .terminate]
        }
    }
}

/// Where a case stands: the step it waits for, or how it ended.
public enum CaseStage: String, CaseIterable, Codable, Sendable {
    case awaitingAcceptance
    case investigating
    case awaitingAppraisal
    case awaitingCheck
    case checking
    case awaitingReview
    case awaitingNotice
    case inNotice
    case awaitingDecision
    /// Documents were asked for (补正); the case's clocks stand still until they arrive.
    case awaitingDocuments
    /// Refused or terminated; the written reasons are still to be served.
    case refusalDue
    case notAccepted
    /// Decided: enrolled, continued or in gradual exit.
    case decided
    /// Refused or terminated, the written reasons served.
    case refused

    /// Whether nothing more happens on the case.
    public var isClosed: Bool { self == .notAccepted || self == .decided || self == .refused }

    public var chineseName: String {
        switch self {
        case .awaitingAcceptance: "待受理"
        case .investigating: "待入户调查"
        case .awaitingAppraisal: "待民主评议"
        case .awaitingCheck: "待启动经济状况核对"
        case .checking: "经济状况核对中"
        case .awaitingReview: "待乡镇初审"
        case .awaitingNotice: "待张贴公示"
        case .inNotice: "公示中"
        case .awaitingDecision: "待审批确认"
        case .awaitingDocuments: "待补正材料（计时暂停）"
        case .refusalDue: "待送达书面理由"
        case .notAccepted: "不予受理（办结）"
        case .decided: "已决定（办结）"
        case .refused: "不予批准或停止，已送达理由（办结）"
        }
    }
}

/// What a decision on a case decides.
public enum DecisionOutcome: String, CaseIterable, Codable, Sendable {
    /// 批准纳入: enrolment in the programme, paid from the month after the decision.
    case enrol
    /// 不予批准, with written reasons.
    case refuse
    /// 继续享受 (possibly at a new amount).
    case continueAssistance
    /// 渐退: benefit continues for a number of months after work lifted income over the line.
    case gradualExit
    /// 停止救助, with written reasons.
    case terminate

    public var chineseName: String {
        switch self {
        case .enrol: "批准纳入"
        case .refuse: "不予批准"
        case .continueAssistance: "继续享受"
        case .gradualExit: "渐退"
        case .terminate: "停止救助"
        }
    }

    /// Whether the applicant must be served written reasons.
    public var needsWrittenReasons: Bool { self == .refuse || self == .terminate }
}

/// What a case needs, from its programme and the topology: the state machine is the same
/// for every programme, and these say which steps apply and who decides.
public struct CaseRequirements: Sendable, Hashable, Codable {
    /// Democratic appraisal (民主评议) at the village.
    public var appraisal: Bool
    /// Cross-agency economic check (核对) by the county.
    public var economicCheck: Bool
    /// Public notice (公示) at the village.
    public var publicNotice: Bool
    /// The level that decides: the township where the county delegated the programme's
    /// approval, else the county.
    public var decisionLevel: DivisionLevel
    /// Emergency assistance: payment first (先行救助), papers after.
    public var emergency: Bool

    public init(
        appraisal: Bool, economicCheck: Bool, publicNotice: Bool, decisionLevel: DivisionLevel, emergency: Bool
    ) {
        self.appraisal = appraisal
        self.economicCheck = economicCheck
        self.publicNotice = publicNotice
        self.decisionLevel = decisionLevel
        self.emergency = emergency
    }
}
