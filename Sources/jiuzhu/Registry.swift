import ArgumentParser
import Foundation
import JiuzhuDomain
import JiuzhuRegistry
import JiuzhuServices
import JiuzhuStorage

/// `jiuzhu registry import`: a village's existing register (花名册) from CSV.
struct Registry: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "家庭登记：从 CSV 导入现有花名册。",
        subcommands: [Import.self]
    )

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "导入 CSV（UTF-8，带或不带 BOM，或 Excel 中文版保存的 GB18030）。每行逐一校验；有任何错误则逐条列出（行号、列、原因），一户也不导入；同一文件再次导入不产生任何变更。",
            discussion: "必需的列：" + RegistryCSV.requiredColumns.joined(separator: "、")
                + "。可选列：残疾等级、重病、有劳动能力、电话、月工资性收入、月经营净收入、月财产净收入、月转移性收入、月基础养老金、月政府救助金、存款、近12个月医疗自付、近12个月教育支出、近12个月康复支出、在保项目。"
        )

        @OptionGroup var options: NodeOptions

        @Option(help: "CSV 文件。")
        var file: String

        @Flag(help: "只校验，不导入。")
        var dryRun = false

        func run() async throws {
            let (configuration, database) = try options.openDatabase()
            let node = configuration.node
            guard node.role == .village else {
                throw ValidationError("只能导入到村（居）节点：家庭由户籍所在的村（居）登记")
            }
            let bytes: Data
            do { bytes = try Data(contentsOf: URL(filePath: file)) } catch { throw ValidationError("读不到文件 \(file)") }
            let decoded = try RegistryFileDecoder.decode(bytes)
            let table = try CSVTable(text: decoded.text, headerNaming: RegistryCSV.requiredColumns)
            let today = database.wallClock.today()
            let plan = RegistryImport(table, village: node.code, today: today)
            print("文件 \(file)：\(decoded.encoding)，\(table.records.count) 行，\(plan.households.count) 户")
            guard plan.problems.isEmpty else {
                for problem in plan.problems { print(problem) }
                throw ImportRefused(count: plan.problems.count)
            }
            if dryRun {
                print("校验通过（未导入）。")
                return
            }
            let progress = ProgressBar(total: plan.households.count)
            let summary = try await HouseholdRegistration(database: database).importRegister(
                plan.households, file: URL(filePath: file).lastPathComponent, by: .commandLine,
                progress: progress.advance)
            progress.finish()
            print(summary)
        }
    }

    struct ImportRefused: Error, CustomStringConvertible {
        let count: Int
        var description: String { "文件有 \(count) 处错误，见上；未导入任何家庭" }
    }
}

/// A progress bar on standard error, redrawn in place: `[########------------] 40% 400/1000 户`.
final class ProgressBar: @unchecked Sendable {
    let total: Int
    let unit: String
    private var done = 0
    private var drawn = -1

    init(total: Int, unit: String = "户") {
        self.total = total
        self.unit = unit
    }

    func advance() { set(done + 1) }

    /// Draws the bar for `count` done; called from one task at a time.
    func set(_ count: Int) {
        done = count
        let percent = total == 0 ? 100 : done * 100 / total
        guard percent != drawn else { return }
        drawn = percent
        let filled = percent / 5
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: 20 - filled)
        FileHandle.standardError.write(Data("\r[\(bar)] \(percent)% \(done)/\(total) \(unit)".utf8))
    }

    func finish() {
        if drawn >= 0 { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
