/// A step an operator takes on a case.
public enum CaseActionKind: String, CaseIterable, Codable, Sendable {
    case accept
    case refuseAcceptance
    case recordInvestigation
    case recordAppraisal
    case startCheck
    case recordCheck
    case recordReview
    case returnForInvestigation
    case postNotice
    case lodgeObjection
    case closeNotice
    case decide
    case extendDecision
    case serveRefusal
    case requestDocuments
    case receiveDocuments
    case payFirst

    public var chineseName: String {
        switch self {
        case .accept: "受理"
        case .refuseAcceptance: "不予受理"
        case .recordInvestigation: "入户调查"
        case .recordAppraisal: "民主评议"
        case .startCheck: "启动经济状况核对"
        case .recordCheck: "核对结果"
        case .recordReview: "乡镇初审"
        case .returnForInvestigation: "退回补充调查"
        case .postNotice: "张贴公示"
        case .lodgeObjection: "公示异议"
        case .closeNotice: "公示期满"
        case .decide: "审批确认"
        case .extendDecision: "延长审批期限"
        case .serveRefusal: "送达书面理由"
        case .requestDocuments: "要求补正材料"
        case .receiveDocuments: "补正材料已收到"
        case .payFirst: "先行救助"
        }
    }

    /// Whether the step must say why, in words the applicant will read.
    public var needsReason: Bool {
        switch self {
        case .refuseAcceptance, .returnForInvestigation, .lodgeObjection, .extendDecision, .requestDocuments:
            true
        default:
            false
        }
    }
}

/// One step as the state machine sees it: what is done, and why where a reason is needed.
public struct CaseAction: Sendable, Hashable, Codable {
    public var kind: CaseActionKind
    /// The reason given; required where ``CaseActionKind/needsReason`` or the outcome needs one.
    public var reason: String?
    /// For ``CaseActionKind/decide`` only: what is decided.
    public var outcome: DecisionOutcome?
    /// For ``CaseActionKind/accept`` only: the steps and decider of the programme accepted,
    /// which a fuzzy application does not have before.
    public var requirements: CaseRequirements?

    public init(
        _ kind: CaseActionKind, reason: String? = nil, outcome: DecisionOutcome? = nil,
        requirements: CaseRequirements? = nil
    ) {
        self.kind = kind
        self.reason = reason
        self.outcome = outcome
        self.requirements = requirements
    }

    /// Whether a reason must be given.
    public var needsReason: Bool { kind.needsReason || (outcome?.needsWrittenReasons ?? false) }
}

/// Who takes a step: an operator's role and the node whose account it is.
public struct CaseActor: Sendable, Hashable, Codable {
    public var role: OperatorRole
    public var node: DivisionCode

    public init(role: OperatorRole, node: DivisionCode) {
        self.role = role
        self.node = node
    }
}

/// A role at a level: who holds a step.
public struct CaseHolder: Sendable, Hashable, CustomStringConvertible {
    public var role: OperatorRole
    public var level: DivisionLevel

    public init(_ role: OperatorRole, at level: DivisionLevel) {
        self.role = role
        self.level = level
    }

    /// "乡镇（街道）窗口的乡镇审批人".
    public var description: String { "\(level.shortName)级\(role.chineseName)" }

    static let villageSpecialist = CaseHolder(.villageSpecialist, at: .village)
    static let townshipClerk = CaseHolder(.townshipClerk, at: .township)
    static let townshipApprover = CaseHolder(.townshipApprover, at: .township)
    static let countyOfficer = CaseHolder(.countyOfficer, at: .county)

    /// Whoever holds the power to decide at `level`.
    static func decider(at level: DivisionLevel) -> CaseHolder {
        level == .township ? townshipApprover : countyOfficer
    }
}
