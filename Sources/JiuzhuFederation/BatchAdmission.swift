import JiuzhuDomain

/// Decides whether a node may accept a federation request from a peer: only its direct
/// children may push, pull or repair, and only inside their own subtree.
public enum BatchAdmission {
    /// Why a request was refused; each refusal is also recorded as a security event.
    public enum Refusal: Error, Equatable, Sendable, CustomStringConvertible {
        case notAChild(peer: DivisionCode, node: DivisionCode)
        case outsideSubtree(peer: DivisionCode, origin: DivisionCode, jurisdiction: DivisionCode)
        case wrongDirection(channel: ReplicationChannel)

        public var description: String {
            switch self {
            case .notAChild(let peer, let node):
                "节点 \(peer) 不是节点 \(node) 的直接下级，拒绝其联邦请求"
            case .outsideSubtree(let peer, let origin, let jurisdiction):
                "节点 \(peer) 提交的变更来自 \(origin)、属于辖区 \(jurisdiction)，超出其管辖范围，整批拒绝"
            case .wrongDirection(let channel):
                "\(channel.chineseName)通道不向上级传送"
            }
        }

        /// A short machine name for the security event.
        public var kind: String {
            switch self {
            case .notAChild: "not-a-child"
            case .outsideSubtree: "outside-subtree"
            case .wrongDirection: "wrong-direction"
            }
        }
    }

    /// Checks that `peer` is a direct child of `node`.
    public static func checkChild(_ peer: DivisionCode, of node: TopologyNode, in topology: Topology) throws(Refusal) {
        guard topology.node(peer)?.parent == node.code else { throw .notAChild(peer: peer, node: node.code) }
    }

    /// Checks a pushed batch: from a direct child, on an upward channel, every change made
    /// inside the child's subtree and about it.
    public static func checkPush(
        _ batch: PushRequest, from peer: DivisionCode, to node: TopologyNode, in topology: Topology
    ) throws(Refusal) {
        try checkChild(peer, of: node, in: topology)
        guard batch.channel.flowsUp else { throw .wrongDirection(channel: batch.channel) }
        try checkRows(batch.changes, from: peer)
    }

    /// Checks that every change was made inside `peer`'s subtree and about it.
    public static func checkRows(_ changes: [Change], from peer: DivisionCode) throws(Refusal) {
        for change in changes where !change.origin.isWithin(peer) || !change.jurisdiction.isWithin(peer) {
            throw .outsideSubtree(peer: peer, origin: change.origin, jurisdiction: change.jurisdiction)
        }
    }
}
