import ArgumentParser
import Foundation
import JiuzhuDomain
import JiuzhuFederation
import JiuzhuNode
import Logging

/// `jiuzhu serve`: runs one node in the role the topology gives its code.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "运行一个节点（角色由拓扑文件中该代码的节点决定）。",
        discussion: "环境变量（命令行选项优先于环境变量）：\n"
            + NodeConfiguration.environmentKeys.map { "  " + $0.helpLine }.joined(separator: "\n")
    )

    @OptionGroup var options: NodeOptions

    func run() async throws {
        let configuration = try options.configuration()
        let code = configuration.node.code
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
        let logger = Logger(label: "jiuzhu.\(configuration.node.role.rawValue)")
        try await NodeRuntime(configuration: configuration, logger: logger).run()
    }
}
