import ArgumentParser
import Foundation
import JiuzhuDomain
import JiuzhuNode
import JiuzhuRegistry
import JiuzhuServices
import JiuzhuStorage
import Logging

/// `jiuzhu feeds import`: a department's file at the city, as its office saved it.
struct Feeds: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "部门数据：在市级节点导入部门报送的文件，触发预警。",
        subcommands: [Import.self]
    )

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "导入一个部门数据文件（CSV：UTF-8 或 Excel 中文版保存的 GB18030；或 JSON）。逐行校验；有任何错误则逐条列出（行号、列、原因），一条也不导入；同一文件再次导入不产生任何变更。",
            discussion: "数据格式见 feeds/README.md，各部门的示例文件在 feeds/examples/。"
                + "部门：" + DepartmentFeed.allCases.map { "\($0.rawValue)（\($0.chineseName)）" }.joined(separator: "、")
        )

        @OptionGroup var options: NodeOptions

        @Option(help: ArgumentHelp("数据种类：" + DepartmentFeed.allCases.map(\.rawValue).joined(separator: "、")))
        var feed: String

        @Option(help: "文件。")
        var file: String

        @Flag(help: "只校验，不导入。")
        var dryRun = false

        func run() async throws {
            guard let feed = DepartmentFeed(rawValue: feed) else {
                throw ValidationError(
                    "没有名为“\(self.feed)”的部门数据；应为 " + DepartmentFeed.allCases.map(\.rawValue).joined(separator: "、"))
            }
            let (configuration, database) = try options.openDatabase()
            guard configuration.node.role == .city else {
                throw ValidationError("部门数据由市级节点接收：\(configuration.node.label) 不是市级节点")
            }
            let bytes: Data
            do { bytes = try Data(contentsOf: URL(filePath: file)) } catch { throw ValidationError("读不到文件 \(file)") }
            let records: [FeedRecord]
            do {
                records = try FeedFile.decode(bytes, feed: feed, today: database.wallClock.today())
            } catch {
                print(error.description)
                throw ImportRefused()
            }
            print("文件 \(file)：\(feed.chineseName) \(records.count) 条")
            if dryRun {
                print("校验通过（未导入）。")
                return
            }
            let services = NodeServices(database: database, logger: Logger(label: "jiuzhu.feeds"))
            let progress = ProgressBar(total: records.count, unit: "条")
            let imported = try await services.warnings.importFeed(
                records, feed: feed, source: URL(filePath: file).lastPathComponent, by: .commandLine,
                progress: { done in progress.set(done) })
            progress.finish()
            print(imported.message)
        }
    }

    struct ImportRefused: Error, CustomStringConvertible {
        var description: String { "文件有错误，见上；未导入任何记录" }
    }
}
