import ArgumentParser
import Foundation
import JiuzhuPolicy
import JiuzhuServices
import JiuzhuStorage

/// `jiuzhu calendar`: checking and publishing working-day calendar years.
struct CalendarCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calendar",
        abstract: "工作日历：校验日历文件、发布一年的日历（各级随后重算未办结环节的期限）。",
        subcommands: [Check.self, Publish.self]
    )

    /// `jiuzhu calendar check FILE…`
    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "校验日历文件；有错时指出行号并以 1 退出。")

        @Argument(help: "日历文件（YAML），可多个。")
        var files: [String]

        func run() async throws {
            for file in files {
                let text: String
                do { text = try String(contentsOf: URL(filePath: file), encoding: .utf8) } catch {
                    throw ValidationError("读不到日历文件 \(file)")
                }
                let year = try WorkingCalendarFile.load(yaml: text, file: URL(filePath: file).lastPathComponent)
                print(
                    "\(file)：\(year.year) 年，版本 \(year.version)，放假 \(year.daysOff.count) 天，调休上班 \(year.workedWeekendDays.count) 天\(year.provisional ? "（暂定）" : "")"
                )
            }
        }
    }

    /// `jiuzhu calendar publish --topology T --node 321200 --file calendar/2026.yaml`
    struct Publish: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "在市级节点发布一年的工作日历，随后下发到各级节点（节点可在运行中）。")

        @OptionGroup var options: NodeOptions

        @Option(help: "日历文件。")
        var file: String

        func run() async throws {
            let (configuration, database) = try options.openDatabase()
            let text: String
            do { text = try String(contentsOf: URL(filePath: file), encoding: .utf8) } catch {
                throw ValidationError("读不到日历文件 \(file)")
            }
            let rules = CaseworkRulesService(policy: PolicyService(database: database), store: database.policy)
            let (year, isNew) = try await rules.publishCalendar(
                text: text, file: URL(filePath: file).lastPathComponent, by: .commandLine)
            print(
                isNew
                    ? "已在 \(configuration.node.label) 发布 \(year.year) 年工作日历 \(year.version)，将下发到各级节点。"
                    : "工作日历 \(year.version) 已经发布过，内容相同，未重复发布。")
        }
    }
}
