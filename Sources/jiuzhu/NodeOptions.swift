import ArgumentParser
import Foundation
import JiuzhuDomain
import JiuzhuFederation
import JiuzhuNode
import JiuzhuStorage

/// The options that pick one node of a topology and its folders.
struct NodeOptions: ParsableArguments {
    @Option(help: "拓扑文件（YAML）。")
    var topology: String

    @Option(help: "本节点的行政区划代码。")
    var node: String

    @Option(help: "数据目录（默认 data/<代码>）。")
    var data: String?

    @Option(help: "证书目录（默认 certs）。")
    var certs: String?

    /// Loads the topology and resolves the node's configuration (environment included).
    func configuration() throws -> NodeConfiguration {
        let topology = try Topology.load(from: URL(filePath: self.topology))
        return try NodeConfiguration(
            topology: topology, code: try DivisionCode(node), dataDirectory: data, certificatesDirectory: certs)
    }

    /// Opens the node's database (the node may be running: SQLite's WAL allows it).
    func openDatabase() throws -> (NodeConfiguration, NodeDatabase) {
        let configuration = try configuration()
        let node = configuration.node
        let database = try NodeDatabase.open(
            in: configuration.dataDirectory, for: .init(code: node.code, name: node.name, role: node.role),
            clock: configuration.clock, maximumPeerLead: configuration.federation.maximumPeerLead)
        return (configuration, database)
    }
}
