import JiuzhuDomain

/// The answer to `GET /federation/v1/hello`: who answered, and who the answer was for.
///
/// The caller's code is the one its verified certificate names, so a node learns from
/// the answer both that the link works and how the other side identified it.
public struct FederationHello: Codable, Equatable, Sendable {
    /// How the answering node sees the caller.
    public enum Relation: String, Codable, Sendable {
        case parent, child, other
    }

    public let server: String
    public let serverName: String
    public let serverRole: NodeRole
    public let peer: String
    public let relation: Relation
    /// The newest policy version the answering node holds (`id` and content hash), so a
    /// child can show whether it runs the newest its parent has.
    public let policyVersion: PolicyVersionTag?
    /// The forms of change batches the answering node reads besides JSON
    /// (``BinaryBatches/mediaType``); a node of the release before lists none.
    public let changeFormats: [String]?

    public init(
        server: TopologyNode, peer: DivisionCode, relation: Relation, policyVersion: PolicyVersionTag? = nil,
        changeFormats: [String]? = [BinaryBatches.mediaType]
    ) {
        self.server = server.code.digits
        self.serverName = server.name
        self.serverRole = server.role
        self.peer = peer.digits
        self.relation = relation
        self.policyVersion = policyVersion
        self.changeFormats = changeFormats
    }
}

/// A policy version as nodes compare them: its identifier and content hash.
public struct PolicyVersionTag: Codable, Equatable, Sendable {
    public let id: String
    public let contentHash: String

    public init(id: String, contentHash: String) {
        self.id = id
        self.contentHash = contentHash
    }
}
