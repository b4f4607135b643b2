import ArgumentParser
import Foundation
import JiuzhuStorage

/// `jiuzhu audit`: the append-only, hash-chained audit log.
struct Audit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "审计日志。",
        subcommands: [Verify.self]
    )

    /// `jiuzhu audit verify`: checks the node's own chain and the copies it holds of its
    /// subtree's; names every entry edited, moved or deleted, and exits 1 if there is one.
    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "校验本节点及其下级各节点的审计哈希链；发现被修改、调换顺序或删除的记录时逐条指出并以 1 退出。")

        @OptionGroup var options: NodeOptions

        func run() async throws {
            let (configuration, database) = try options.openDatabase()
            let verification = try await database.operators.verifyAudit()
            for (node, count) in verification.chains.sorted(by: { $0.key < $1.key }) {
                print("节点 \(node)：\(count) 条")
            }
            guard verification.isIntact else {
                for problem in verification.problems { print(problem) }
                throw AuditBroken(node: configuration.node.label, count: verification.problems.count)
            }
            print("审计链完整（节点 \(configuration.node.label)）。")
        }
    }

    struct AuditBroken: Error, CustomStringConvertible {
        let node: String
        let count: Int
        var description: String { "节点 \(node) 的审计日志发现 \(count) 处问题，见上" }
    }
}
