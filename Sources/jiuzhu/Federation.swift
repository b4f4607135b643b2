import ArgumentParser
import Foundation
import JiuzhuDomain
import JiuzhuFederation
import JiuzhuNode
import JiuzhuStorage

/// `jiuzhu federation`: the state of a node's links, and restoring a node from its parent.
struct Federation: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "联邦同步：查看链路状态、从上级恢复节点。",
        subcommands: [Status.self, Restore.self]
    )

    /// `jiuzhu federation status`: reads the node's database (the node may be running).
    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "显示本节点到上级的每条通道：积压、最早未确认变更的时长、最近错误、校验和是否一致。")

        @OptionGroup var options: NodeOptions

        @Flag(help: "以 JSON 输出。")
        var json = false

        func run() async throws {
            let configuration = try options.configuration()
            let node = configuration.node
            let database = try NodeDatabase.open(
                in: configuration.dataDirectory, for: .init(code: node.code, name: node.name, role: node.role))
            let parent = configuration.topology.parent(of: node.code)
            let status = try await FederationStatus.read(node: node, parent: parent, database: database)
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                encoder.dateEncodingStrategy = .iso8601
                print(String(decoding: try encoder.encode(status), as: UTF8.self))
                return
            }
            guard let parent else {
                print("节点 \(node.label) 是根节点，没有上级链路。")
                return
            }
            print("节点 \(node.label) → 上级 \(parent.label)")
            for link in status.links {
                print("  " + link.summary)
            }
            print(status.healthy ? "全部通道正常。" : "有通道受阻或校验和不一致，见上。")
        }
    }

    /// `jiuzhu federation restore`: rebuilds a node whose data folder was lost.
    struct Restore: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "数据丢失后从上级恢复本节点辖区的全部数据；节点须已停止，数据目录须为空。")

        @OptionGroup var options: NodeOptions

        func run() async throws {
            let configuration = try options.configuration()
            let node = configuration.node
            guard let parent = configuration.topology.parent(of: node.code) else {
                throw ValidationError("节点 \(node.label) 是根节点，没有可以恢复的上级")
            }
            let target = configuration.dataDirectory
            let contents = (try? FileManager.default.contentsOfDirectory(atPath: target.path)) ?? []
            guard contents.isEmpty else {
                throw ValidationError("数据目录 \(target.path) 不是空的；恢复只用于丢失数据后的空目录")
            }
            let credentials = try NodeCredentials.load(code: node.code, from: configuration.certificates)
            // Restore beside the target and move it in at the end: a failed restore leaves nothing behind.
            let staging = target.deletingLastPathComponent().appending(path: ".\(target.lastPathComponent).restoring")
            try? FileManager.default.removeItem(at: staging)
            let database = try NodeDatabase.open(
                in: staging, for: .init(code: node.code, name: node.name, role: node.role))
            let client = FederationClient(credentials: credentials)
            let restored: [SubtreeRestore.Restored]
            do {
                print("从上级 \(parent.label) 恢复节点 \(node.label) ……")
                restored = try await SubtreeRestore(node: node, parent: parent, client: client, database: database)
                    .run()
                try await client.shutdown()
                try database.close()
            } catch {
                try? await client.shutdown()
                try? database.close()
                try? FileManager.default.removeItem(at: staging)
                throw error
            }
            try? FileManager.default.removeItem(at: target)
            try FileManager.default.moveItem(at: staging, to: target)
            for item in restored where !item.addressed {
                print("  \(item.channel.chineseName)：\(item.rows) 行，本节点序号从 \(item.ownLastSequence + 1) 继续")
            }
            for item in restored where item.addressed {
                print("  \(item.channel.chineseName)（上级发给本节点）：\(item.rows) 行")
            }
            print("恢复完成：\(target.path)。启动节点后，此后发给本节点的政策、预警和决定从上级继续拉取。")
        }
    }
}
