import ArgumentParser
import Foundation
import JiuzhuDomain
import JiuzhuFederation
import JiuzhuNode
import Logging
import Metrics
import Prometheus

/// `jiuzhu serve`: runs one node in the role the topology gives its code.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "运行一个节点（角色由拓扑文件中该代码的节点决定）。",
        discussion:
            "环境变量 JIUZHU_DATA、JIUZHU_CERTS、JIUZHU_FEDERATION_BIND、JIUZHU_OPERATOR_BIND、JIUZHU_HELLO_INTERVAL、JIUZHU_LOG_LEVEL 可覆盖默认配置。"
    )

    @Option(help: "拓扑文件（YAML）。")
    var topology: String

    @Option(help: "本节点的行政区划代码。")
    var node: String

    @Option(help: "数据目录（默认 data/<代码>）。")
    var data: String?

    @Option(help: "证书目录（默认 certs）。")
    var certs: String?

    func run() async throws {
        let topology = try Topology.load(from: URL(filePath: self.topology))
        let code = try DivisionCode(node)
        let configuration = try NodeConfiguration(
            topology: topology, code: code, dataDirectory: data, certificatesDirectory: certs)
        if configuration.supervisorPID != nil {
            // Under `jiuzhu demo`, Ctrl-C reaches the supervisor only; it stops the nodes in order.
            setpgid(0, 0)
        }
        let level = configuration.logLevel
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            handler.metadata = ["node": "\(code)"]
            return handler
        }
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        let logger = Logger(label: "jiuzhu.\(configuration.node.role.rawValue)")
        try await NodeRuntime(configuration: configuration, metrics: registry, logger: logger).run()
    }
}
