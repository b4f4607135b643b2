import Foundation
import JiuzhuDomain
import JiuzhuStorage

/// What a node knows of itself and its neighbours: the content of its first page and `/api/v1/node`.
public struct NodeStatus: Codable, Sendable {
    /// One node as shown to operators.
    public struct Summary: Codable, Sendable {
        public let code: String
        public let name: String
        public let role: NodeRole
        public let roleName: String
        public let operatorURL: String

        public init(_ node: TopologyNode) {
            code = node.code.digits
            name = node.name
            role = node.role
            roleName = node.role.chineseName
            operatorURL = "https://\(node.operator)/"
        }
    }

    /// Whether a neighbour has been heard from recently.
    public enum Reachability: String, Codable, Sendable {
        case reachable, unreachable, unknown

        public var chineseName: String {
            switch self {
            case .reachable: "可达"
            case .unreachable: "不可达"
            case .unknown: "尚未联系"
            }
        }
    }

    /// A parent or child with the state of the link to it.
    public struct Neighbour: Codable, Sendable {
        public let node: Summary
        public let reachability: Reachability
        public let lastContact: Date?
        public let lastError: String?
        /// For a child: the changes it still had to push up when it last said hello.
        public let reportedBacklog: Int?
        /// For the parent: the newest policy version it held at the last hello, `id@hash`.
        public let policyVersion: String?
        /// For a child: its latest push committed here and its latest pull, on any channel.
        public var lastPush: Date? = nil
        public var lastPull: Date? = nil
    }

    public let node: Summary
    public let startedAt: Date
    public let parent: Neighbour?
    public let children: [Neighbour]

    /// Builds the status from the topology, the contacts the database recorded and the
    /// children's pushes and pulls (``ChildLink``).
    ///
    /// A neighbour is reachable when the last exchange succeeded within `freshness`
    /// and no failure came after it.
    public init(
        node: TopologyNode, topology: Topology, contacts: [PeerContact], childLinks: [ChildLink] = [],
        startedAt: Date, now: Date, freshness: TimeInterval
    ) {
        let byPeer = Dictionary(contacts.map { ($0.peer, $0) }, uniquingKeysWith: { first, _ in first })
        func neighbour(_ other: TopologyNode) -> Neighbour {
            let contact = byPeer[other.code]
            let reachability: Reachability
            if let last = contact?.lastContact {
                let failedSince = contact?.lastErrorAt.map { $0 > last } ?? false
                reachability = !failedSince && now.timeIntervalSince(last) <= freshness ? .reachable : .unreachable
            } else {
                reachability = contact?.lastErrorAt == nil ? .unknown : .unreachable
            }
            let links = childLinks.filter { $0.child == other.code }
            return Neighbour(
                node: Summary(other), reachability: reachability,
                lastContact: contact?.lastContact, lastError: contact?.lastError,
                reportedBacklog: other.parent == node.code ? contact?.reportedBacklog : nil,
                policyVersion: other.parent == node.code ? nil : contact?.policyVersion,
                lastPush: links.compactMap(\.lastPush).max(), lastPull: links.compactMap(\.lastPull).max())
        }
        self.node = Summary(node)
        self.startedAt = startedAt
        self.parent = topology.parent(of: node.code).map(neighbour)
        self.children = topology.children(of: node.code).map(neighbour)
    }
}
