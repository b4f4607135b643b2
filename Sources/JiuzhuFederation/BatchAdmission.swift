import JiuzhuDomain

/// Decides whether a node may accept a federation request from a peer: only its direct
/// children may push, pull or repair, only inside their own subtree, and only changes their
/// rows' owners made (``RowOwnership``).
public enum BatchAdmission {
    /// Why a request was refused; each refusal is also recorded as a security event.
    public enum Refusal: Error, Equatable, Sendable, CustomStringConvertible {
        case notAChild(peer: DivisionCode, node: DivisionCode)
        case outsideSubtree(peer: DivisionCode, origin: DivisionCode, jurisdiction: DivisionCode)
        case wrongDirection(channel: ReplicationChannel)
        case wrongChannel(expected: ReplicationChannel, found: ReplicationChannel)
        case notOwned(peer: DivisionCode, OwnershipViolation)
        case clockAhead(peer: DivisionCode, origin: DivisionCode, ClockLeadError)

        public var description: String {
            switch self {
            case .notAChild(let peer, let node):
                "节点 \(peer) 不是节点 \(node) 的直接下级，拒绝其联邦请求"
            case .outsideSubtree(let peer, let origin, let jurisdiction):
                "节点 \(peer) 提交的变更来自 \(origin)、属于辖区 \(jurisdiction)，超出其管辖范围，整批拒绝"
            case .wrongDirection(let channel):
                "\(channel.chineseName)通道不向上级传送"
            case .wrongChannel(let expected, let found):
                "批次属于\(expected.chineseName)通道，却含有\(found.chineseName)通道的变更，整批拒绝"
            case .notOwned(let peer, let violation):
                "节点 \(peer) 提交的变更违反数据归属：\(violation)，整批拒绝"
            case .clockAhead(let peer, let origin, let lead):
                "节点 \(peer) 提交的变更（来源 \(origin)）时间戳异常：\(lead)，整批拒绝"
            }
        }

        /// Every kind of refusal, by its machine name, with its Chinese name for operators.
        public static let kinds: [(kind: String, chineseName: String)] = [
            ("not-a-child", "非直接下级的请求"), ("outside-subtree", "超出辖区的变更"), ("wrong-direction", "通道方向不符"),
            ("wrong-channel", "批次通道不符"), ("not-owner", "违反数据归属"), ("clock-ahead", "时钟超前"),
        ]

        /// The code the refused peer is answered with.
        public var code: FederationRefusal.Code {
            switch self {
            case .notAChild: .notAChild
            case .outsideSubtree: .outsideSubtree
            case .wrongDirection: .wrongDirection
            case .wrongChannel: .wrongChannel
            case .notOwned: .notOwner
            case .clockAhead: .clockAhead
            }
        }

        /// A short machine name for the security event: the refusal's code.
        public var kind: String { code.rawValue }
    }

    /// Checks that `peer` is a direct child of `node`.
    public static func checkChild(_ peer: DivisionCode, of node: TopologyNode, in topology: Topology) throws(Refusal) {
        guard topology.node(peer)?.parent == node.code else { throw .notAChild(peer: peer, node: node.code) }
    }

    /// Checks a pushed batch: from a direct child, on an upward channel, every change on the
    /// batch's channel, made inside the child's subtree by its row's owner. (Applying it
    /// refuses a timestamp too far ahead, as it takes each one into the node's clock.)
    public static func checkPush(
        _ batch: PushRequest, from peer: DivisionCode, to node: TopologyNode, in topology: Topology
    ) throws(Refusal) {
        try checkChild(peer, of: node, in: topology)
        try checkRows(batch.changes, channel: batch.channel, from: peer)
    }

    /// Checks rows a child sends up (pushed changes or a repair's rows): an upward channel,
    /// every row on it, made inside `peer`'s subtree, by the row's owner, about the owner's
    /// jurisdiction (or, for an application routed to another village, about a village).
    public static func checkRows(_ changes: [Change], channel: ReplicationChannel, from peer: DivisionCode)
        throws(Refusal)
    {
        guard channel.flowsUp else { throw .wrongDirection(channel: channel) }
        // Each change passed where it lies: a copy of it (`for change in changes`) would
        // retain and release its strings, for thousands of changes per batch.
        for index in changes.indices { try checkRow(changes[index], channel: channel, from: peer) }
    }

    private static func checkRow(_ change: Change, channel: ReplicationChannel, from peer: DivisionCode)
        throws(Refusal)
    {
        guard change.channel == channel else { throw .wrongChannel(expected: channel, found: change.channel) }
        guard change.origin.isWithin(peer),
            change.jurisdiction.isWithin(peer) || RowOwnership.isAddressedToAnyVillage(change)
        else {
            throw .outsideSubtree(peer: peer, origin: change.origin, jurisdiction: change.jurisdiction)
        }
        do { try RowOwnership.check(change) } catch { throw .notOwned(peer: peer, error) }
    }
}
