import JiuzhuDomain
import JiuzhuPolicy

/// Why a topology was refused. Every message names the offending node.
public enum TopologyError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Which of a node's two listeners an address belongs to.
    public enum Listener: Sendable, Equatable {
        case federation, `operator`

        var chineseName: String { self == .federation ? "联邦监听地址" : "运营监听地址" }
    }

    case unreadable(path: String, reason: String)
    case malformed(source: String, reason: String)
    case empty
    case invalidCode(node: String, reason: DivisionCodeError)
    case invalidParentCode(node: DivisionCode, reason: DivisionCodeError)
    case unknownRole(node: DivisionCode, role: String)
    case missingName(node: DivisionCode)
    case invalidAddress(node: DivisionCode, listener: Listener, text: String)
    case duplicateCode(node: DivisionCode)
    case unknownParent(node: DivisionCode, parent: DivisionCode)
    case cycle(node: DivisionCode, path: [DivisionCode])
    case noRoot
    case parentMissing(node: DivisionCode, role: NodeRole)
    case secondRoot(node: DivisionCode, root: DivisionCode)
    case roleDoesNotMatchCode(node: DivisionCode, role: NodeRole, level: DivisionLevel)
    case roleDoesNotMatchParent(node: DivisionCode, role: NodeRole, parent: DivisionCode, parentRole: NodeRole)
    case codeOutsideParent(node: DivisionCode, parent: DivisionCode)
    case portCollision(
        node: DivisionCode, listener: Listener, address: ListenAddress, other: DivisionCode, otherListener: Listener)
    case noSuchNode(String)
    case delegationOutsideCounty(node: DivisionCode)
    case unknownProgramme(node: DivisionCode, name: String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason):
            "无法读取拓扑文件 \(path)：\(reason)"
        case .malformed(let source, let reason):
            "拓扑文件 \(source) 格式错误：\(reason)"
        case .empty:
            "拓扑中没有任何节点"
        case .invalidCode(let node, let reason):
            "节点 \(node)：\(reason)"
        case .invalidParentCode(let node, let reason):
            "节点 \(node)：父节点\(reason)"
        case .unknownRole(let node, let role):
            "节点 \(node)：未知角色“\(role)”，应为 city、county、township 或 village"
        case .missingName(let node):
            "节点 \(node)：缺少名称"
        case .invalidAddress(let node, let listener, let text):
            "节点 \(node)：\(listener.chineseName)“\(text)”无效，应写作 主机:端口"
        case .duplicateCode(let node):
            "节点 \(node)：行政区划代码重复"
        case .unknownParent(let node, let parent):
            "节点 \(node)：父节点 \(parent) 不在拓扑中"
        case .cycle(let node, let path):
            "节点 \(node)：父子关系成环（\(path.map(\.digits).joined(separator: " → "))）"
        case .noRoot:
            "拓扑中没有市级根节点（没有父节点的 city 节点）"
        case .parentMissing(let node, let role):
            "节点 \(node)：\(role.rawValue) 节点必须有父节点，只有市级节点可以没有"
        case .secondRoot(let node, let root):
            "节点 \(node)：拓扑只能有一个市级根节点，已有 \(root)"
        case .roleDoesNotMatchCode(let node, let role, let level):
            "节点 \(node)：角色 \(role.rawValue) 与代码层级 \(level.rawValue) 不符"
        case .roleDoesNotMatchParent(let node, let role, let parent, let parentRole):
            "节点 \(node)：\(role.rawValue) 节点不能挂在 \(parentRole.rawValue) 节点 \(parent) 之下"
        case .codeOutsideParent(let node, let parent):
            "节点 \(node)：代码不在父节点 \(parent) 的辖区内"
        case .portCollision(let node, let listener, let address, let other, let otherListener):
            "节点 \(node)：\(listener.chineseName) \(address) 与节点 \(other) 的\(otherListener.chineseName)占用同一端口"
        case .noSuchNode(let code):
            "拓扑中没有节点 \(code)"
        case .delegationOutsideCounty(let node):
            "节点 \(node)：只有县级节点能委托乡镇审批（delegates）"
        case .unknownProgramme(let node, let name):
            "节点 \(node)：委托审批的救助项目“\(name)”未知（可用：\(Programme.ordered.map(\.rawValue).joined(separator: "、"))）"
        }
    }
}

extension Topology {
    /// Checks, in order: unique codes, known parents, no cycles, one city root,
    /// roles that fit codes and parents, codes inside their parent's, distinct ports.
    static func validate(_ nodes: [TopologyNode]) throws(TopologyError) {
        guard !nodes.isEmpty else { throw .empty }
        var byCode: [DivisionCode: TopologyNode] = [:]
        for node in nodes {
            guard byCode[node.code] == nil else { throw .duplicateCode(node: node.code) }
            byCode[node.code] = node
        }
        for node in nodes {
            if let parent = node.parent, byCode[parent] == nil {
                throw .unknownParent(node: node.code, parent: parent)
            }
        }
        for node in nodes {
            try checkNoCycle(from: node, in: byCode)
        }
        var root: TopologyNode?
        for node in nodes where node.parent == nil {
            guard node.role == .city else { throw .parentMissing(node: node.code, role: node.role) }
            if let root { throw .secondRoot(node: node.code, root: root.code) }
            root = node
        }
        guard root != nil else { throw .noRoot }
        for node in nodes {
            guard node.role == node.code.level else {
                throw .roleDoesNotMatchCode(node: node.code, role: node.role, level: node.code.level)
            }
            guard let parentCode = node.parent, let parent = byCode[parentCode] else { continue }
            guard parent.role.childLevel == node.role else {
                throw .roleDoesNotMatchParent(
                    node: node.code, role: node.role, parent: parent.code, parentRole: parent.role)
            }
            guard node.code.isWithin(parent.code) else {
                throw .codeOutsideParent(node: node.code, parent: parent.code)
            }
        }
        try checkDistinctPorts(nodes)
    }

    private static func checkNoCycle(
        from node: TopologyNode, in byCode: [DivisionCode: TopologyNode]
    ) throws(TopologyError) {
        var path = [node.code]
        var current = node
        while let parentCode = current.parent, let parent = byCode[parentCode] {
            if let start = path.firstIndex(of: parentCode) {
                throw .cycle(node: node.code, path: Array(path[start...]) + [parentCode])
            }
            path.append(parentCode)
            current = parent
        }
    }

    private static func checkDistinctPorts(_ nodes: [TopologyNode]) throws(TopologyError) {
        typealias Claim = (node: DivisionCode, listener: TopologyError.Listener, address: ListenAddress)
        var claims: [Claim] = []
        for node in nodes {
            for (listener, address) in [
                (TopologyError.Listener.federation, node.federation), (.operator, node.operator),
            ] {
                if let taken = claims.first(where: { $0.address.collides(with: address) }) {
                    throw .portCollision(
                        node: node.code, listener: listener, address: address,
                        other: taken.node, otherListener: taken.listener)
                }
                claims.append((node.code, listener, address))
            }
        }
    }
}
