import ArgumentParser
import Foundation
import JiuzhuDomain
import JiuzhuPolicy
import JiuzhuServices
import JiuzhuStorage

/// `jiuzhu policy`: checking policy files, computing a household, publishing a version.
struct Policy: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "救助政策：校验政策文件、计算一户、发布政策版本。",
        subcommands: [Check.self, Eval.self, Publish.self]
    )

    /// `jiuzhu policy check FILE`
    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "校验政策文件；有错时指出行号并以 1 退出。")

        @Argument(help: "政策文件（YAML）。")
        var file: String

        func run() async throws {
            let document = try PolicyDocument.load(contentsOf: URL(filePath: file))
            print("\(file)：校验通过，版本 \(document.version)，\(document.title)")
        }
    }

    /// `jiuzhu policy eval --household FILE.json [--date D] [--policy FILE] [--json]`
    struct Eval: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "按政策文件计算一户（JSON）在某日的各救助项目资格、月金额与分层，并说明依据。")

        @Option(help: "家庭情况（JSON 文件）。")
        var household: String

        @Option(help: "计算日期 YYYY-MM-DD（默认今天，北京时间）。")
        var date: String?

        @Option(help: "政策文件。")
        var policy = "policy/taizhou.yaml"

        @Flag(help: "以 JSON 输出。")
        var json = false

        func run() async throws {
            let calculator = PolicyCalculator(document: try PolicyDocument.load(contentsOf: URL(filePath: policy)))
            let data: Data
            do { data = try Data(contentsOf: URL(filePath: household)) } catch {
                throw ValidationError("读不到家庭情况文件 \(household)")
            }
            let situation = try HouseholdSituation(json: data)
            let day = try date.map { try CivilDate($0) } ?? NodeClock.system.today()
            let explanation = try calculator.explain(situation, on: day)
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                print(String(decoding: try encoder.encode(explanation), as: UTF8.self))
            } else {
                print(explanation.text)
            }
        }
    }

    /// `jiuzhu policy publish --topology T --node 321200 --file policy/taizhou.yaml`
    struct Publish: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "在市级节点发布政策版本，随后下发到各级节点（节点可在运行中）。")

        @OptionGroup var options: NodeOptions

        @Option(help: "政策文件。")
        var file = "policy/taizhou.yaml"

        func run() async throws {
            let (configuration, database) = try options.openDatabase()
            let text: String
            do { text = try String(contentsOf: URL(filePath: file), encoding: .utf8) } catch {
                throw ValidationError("读不到政策文件 \(file)")
            }
            let (version, isNew) = try await PolicyService.publish(
                text: text, file: URL(filePath: file).lastPathComponent, database: database, by: .commandLine)
            print(
                isNew
                    ? "已在 \(configuration.node.label) 发布政策版本 \(version)，将下发到各级节点。"
                    : "政策版本 \(version) 已经发布过，内容相同，未重复发布。")
        }
    }
}
