/// A stream of changes that flows between nodes on its own: a batch that cannot be applied
/// blocks only its channel on that link, while the others keep flowing.
public enum ReplicationChannel: String, CaseIterable, Codable, Sendable {
    /// Households, people and their declarations: owned by villages, aggregated upward.
    case registry
    /// Applications, reviews and decisions: up from the case's locality, decisions down to it.
    case casework
    /// The operators' audit log: up only.
    case audit
    /// Policy versions published by the city: down only.
    case policy
    /// Warnings: raised anywhere, pushed up to the city and down to the locality that must act.
    case warnings
    /// Refused federation requests and other security events: up only, so the city sees them all.
    case security

    /// Whether changes on this channel travel from a node to its parent.
    public var flowsUp: Bool { self != .policy }

    /// Whether changes on this channel travel from a node to the children in their jurisdiction.
    public var flowsDown: Bool {
        switch self {
        case .casework, .policy, .warnings: true
        case .registry, .audit, .security: false
        }
    }

    /// The channels pushed to a parent.
    public static let upward = allCases.filter(\.flowsUp)
    /// The channels pulled from a parent.
    public static let downward = allCases.filter(\.flowsDown)

    /// The channel's Chinese name for operators.
    public var chineseName: String {
        switch self {
        case .registry: "登记"
        case .casework: "业务办理"
        case .audit: "审计"
        case .policy: "政策"
        case .warnings: "预警"
        case .security: "安全事件"
        }
    }
}
