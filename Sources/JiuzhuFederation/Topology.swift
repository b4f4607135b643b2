import Foundation
import JiuzhuDomain
import JiuzhuPolicy
import Yams

/// One node of the cluster as the topology file describes it.
public struct TopologyNode: Hashable, Sendable {
    /// The division the node serves; also its identity in certificates.
    public let code: DivisionCode
    /// The division's Chinese name (泰州市, 兴化市 …).
    public let name: String
    public let role: NodeRole
    /// The node directly above, absent only for the city.
    public let parent: DivisionCode?
    /// Where other nodes reach this node's mutual-TLS federation listener.
    public let federation: ListenAddress
    /// Where operators' browsers reach this node.
    public let `operator`: ListenAddress
    /// For a county: the programmes whose approval it delegates to its townships.
    public let delegates: Set<Programme>

    public init(
        code: DivisionCode, name: String, role: NodeRole, parent: DivisionCode?,
        federation: ListenAddress, operator: ListenAddress, delegates: Set<Programme> = []
    ) {
        self.code = code
        self.name = name
        self.role = role
        self.parent = parent
        self.federation = federation
        self.operator = `operator`
        self.delegates = delegates
    }

    /// `321281 兴化市`: how messages and tables name a node.
    public var label: String { "\(code) \(name)" }
}

/// The tree of nodes that make up one cluster, validated.
///
/// ```swift
/// let topology = try Topology.load(from: URL(filePath: "topology/taizhou-demo.yaml"))
/// let city = topology.root
/// let counties = topology.children(of: city.code)
/// ```
public struct Topology: Sendable {
    /// A human name for the cluster.
    public let name: String
    /// Every node, parents before their children, siblings by code.
    public let nodes: [TopologyNode]
    private let byCode: [DivisionCode: TopologyNode]

    /// Validates `nodes` as one tree; see ``TopologyError`` for every refusal.
    public init(name: String, nodes: [TopologyNode]) throws(TopologyError) {
        try Self.validate(nodes)
        self.name = name
        self.byCode = Dictionary(uniqueKeysWithValues: nodes.map { ($0.code, $0) })
        self.nodes = nodes.sorted { ($0.role, $0.code) < ($1.role, $1.code) }
    }

    /// The city node at the top of the tree.
    public var root: TopologyNode {
        // Validation guarantees exactly one node without a parent.
        nodes[0]
    }

    /// The node with `code`, if the cluster has one.
    public func node(_ code: DivisionCode) -> TopologyNode? { byCode[code] }

    /// The node with `code`, or an error naming the code.
    public func requireNode(_ code: DivisionCode) throws(TopologyError) -> TopologyNode {
        guard let node = byCode[code] else { throw .noSuchNode(code.digits) }
        return node
    }

    /// The node's direct children, by code.
    public func children(of code: DivisionCode) -> [TopologyNode] {
        nodes.filter { $0.parent == code }
    }

    /// Who decides which programme: the counties' delegations to their townships.
    public var delegation: ApprovalDelegation {
        ApprovalDelegation(
            byCounty: Dictionary(
                uniqueKeysWithValues: nodes.filter { !$0.delegates.isEmpty }.map { ($0.code, $0.delegates) }))
    }

    /// The node's parent, if it has one.
    public func parent(of code: DivisionCode) -> TopologyNode? {
        byCode[code]?.parent.flatMap { byCode[$0] }
    }

    /// The node's parent, its parent's parent and so on up to the city, nearest first.
    public func ancestors(of code: DivisionCode) -> [TopologyNode] {
        Array(sequence(first: code) { parent(of: $0)?.code }.dropFirst().compactMap { byCode[$0] })
    }
}

extension Topology {
    /// Reads and validates a topology file (YAML).
    public static func load(from url: URL) throws(TopologyError) -> Topology {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw .unreadable(path: url.path, reason: (error as NSError).localizedDescription)
        }
        return try parse(yaml: text, source: url.path)
    }

    /// Parses and validates topology YAML; `source` names it in error messages.
    public static func parse(yaml: String, source: String = "拓扑文件") throws(TopologyError) -> Topology {
        let file: TopologyFile
        do {
            file = try YAMLDecoder().decode(TopologyFile.self, from: yaml)
        } catch {
            throw .malformed(source: source, reason: describe(error))
        }
        var nodes: [TopologyNode] = []
        for (index, entry) in file.nodes.enumerated() {
            nodes.append(try entry.node(position: index + 1))
        }
        return try Topology(name: file.cluster ?? "jiuzhu", nodes: nodes)
    }

    private static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, let context):
            "\(path(context.codingPath))缺少字段 \(key.stringValue)"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context),
            DecodingError.dataCorrupted(let context):
            "\(path(context.codingPath))\(context.debugDescription)"
        case let error as YamlError:
            "YAML 语法错误：\(error)"
        default:
            "\(error)"
        }
    }

    private static func path(_ codingPath: [any CodingKey]) -> String {
        let parts = codingPath.map { $0.intValue.map { "第 \($0 + 1) 项" } ?? $0.stringValue }
        return parts.isEmpty ? "" : parts.joined(separator: " / ") + "："
    }
}

/// The file's shape, before validation.
private struct TopologyFile: Decodable {
    struct Entry: Decodable {
        var code: String
        var name: String
        var role: String
        var parent: String?
        var federation: String
        var `operator`: String
        var delegates: [String]?

        func node(position: Int) throws(TopologyError) -> TopologyNode {
            let code: DivisionCode
            do { code = try DivisionCode(self.code) } catch { throw .invalidCode(node: self.code, reason: error) }
            guard let role = NodeRole(rawValue: role) else { throw .unknownRole(node: code, role: role) }
            var parentCode: DivisionCode?
            if let parent {
                do { parentCode = try DivisionCode(parent) } catch {
                    throw .invalidParentCode(node: code, reason: error)
                }
            }
            guard let federation = ListenAddress(federation) else {
                throw .invalidAddress(node: code, listener: .federation, text: federation)
            }
            guard let operatorAddress = ListenAddress(`operator`) else {
                throw .invalidAddress(node: code, listener: .operator, text: `operator`)
            }
            let trimmed = name.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { throw .missingName(node: code) }
            var delegated: Set<Programme> = []
            if let delegates {
                guard role == .county else { throw .delegationOutsideCounty(node: code) }
                for name in delegates {
                    guard let programme = Programme(rawValue: name) else {
                        throw .unknownProgramme(node: code, name: name)
                    }
                    delegated.insert(programme)
                }
            }
            return TopologyNode(
                code: code, name: trimmed, role: role, parent: parentCode,
                federation: federation, operator: operatorAddress, delegates: delegated
            )
        }
    }

    var cluster: String?
    var nodes: [Entry]
}
