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

    public init(server: TopologyNode, peer: DivisionCode, relation: Relation) {
        self.server = server.code.digits
        self.serverName = server.name
        self.serverRole = server.role
        self.peer = peer.digits
        self.relation = relation
    }
}
