import ArgumentParser
import Foundation
import JiuzhuNode
import JiuzhuTools

/// `jiuzhu bench`: measurements on a real cluster on loopback. Build with `-c release`.
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "基准测试（请用 release 构建：swift run -c release jiuzhu bench）。",
        subcommands: [
            City.self, FederationBench.self, CalculatorBench.self, RegistryBench.self, DeadlineBench.self,
            CaseworkBench.self, WarningBench.self, RetentionBench.self, ApplyBench.self,
        ],
        defaultSubcommand: City.self
    )

    /// `jiuzhu bench`: the whole system on one cluster with the synthetic city, every figure
    /// against its target.
    struct City: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "city",
            abstract: "整体基准：13 个节点进程，先测联邦，再写入合成城市并在市级检索、计算，最后列出各项数字与目标。")

        @Option(help: "合成城市的规模：city（全市约 25 万户）或 demo（每村 24 户，用于试跑）。")
        var scale: Synthesizer.Scale = .city

        @OptionGroup var federation: FederationOptions
        @OptionGroup var calculator: CalculatorOptions
        @OptionGroup var policy: PolicyOption

        func run() async throws {
            Demo.say("Jiuzhu 整体基准 · \(Date().formatted(.iso8601)) · \(Bench.machine)")
            try await CityBenchmark(
                scale: scale, federation: federation.benchmark(policyText: try policy.text()),
                calculator: calculator.benchmark(policy: policy.path), say: Demo.say
            ).run()
        }
    }

    /// `jiuzhu bench federation`
    struct FederationBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "federation",
            abstract: "13 个节点进程：政策下达时间、村→市延迟、市级汇入速率与进程内上限、积压排空时间、内存。")

        @OptionGroup var federation: FederationOptions
        @OptionGroup var policy: PolicyOption

        func run() async throws {
            Demo.say("Jiuzhu 联邦基准 · \(Date().formatted(.iso8601)) · \(Bench.machine)")
            _ = try await federation.benchmark(policyText: try policy.text()).run()
        }
    }

    /// `jiuzhu bench apply`
    struct ApplyBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "apply",
            abstract: "一跳的进程内成本：三个县提交、读日志编码，市级解码准入、应用，各步每条变更的微秒数。")

        @Option(help: "每个县提交的变更条数。")
        var changes = 50_000

        func validate() throws {
            guard (100...1_000_000).contains(changes) else { throw ValidationError("--changes 100–1000000") }
        }

        func run() async throws {
            Demo.say("Jiuzhu 单跳应用基准 · \(Date().formatted(.iso8601)) · \(Bench.machine)")
            _ = try await ApplyBenchmark(changesPerCounty: changes, say: Demo.say).run()
        }
    }

    /// `jiuzhu bench retention`
    struct RetentionBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "retention",
            abstract: "变更日志保留：一周的市级登记流量分日写入两个市级库，一个每晚清理、一个不清理，比较每天的文件大小。")

        @Option(help: "每天更新的行数（三个县平分）。")
        var households = 30_000

        @Option(help: "每行每天更新的次数。")
        var updates = 2

        @Option(help: "模拟的天数。")
        var days = 7

        @Option(help: "日志保留天数（清理的库）。")
        var retentionDays = 1.0

        func validate() throws {
            guard (3...1_000_000).contains(households), (1...20).contains(updates), (1...60).contains(days),
                retentionDays >= 0, retentionDays <= 60
            else {
                throw ValidationError("--households 3–1000000，--updates 1–20，--days 1–60，--retention-days 0–60")
            }
        }

        func run() async throws {
            Demo.say("Jiuzhu 日志保留基准 · \(Date().formatted(.iso8601)) · \(Bench.machine)")
            _ = try await RetentionBenchmark(
                households: households, updatesPerDay: updates, days: days, retentionDays: retentionDays, say: Demo.say
            ).run()
        }
    }

    /// `jiuzhu bench calculator`
    struct CalculatorBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "calculator",
            abstract: "政策计算器：单线程批量户/秒、进程内单户耗时、经接口单户 p50/p99 与并发吞吐。")

        @OptionGroup var calculator: CalculatorOptions
        @OptionGroup var policy: PolicyOption

        func run() async throws {
            Demo.say("Jiuzhu 政策计算器基准 · \(Date().formatted(.iso8601)) · \(Bench.machine)")
            try await calculator.benchmark(policy: policy.path).run()
        }
    }

    /// The federation benchmark's options.
    struct FederationOptions: ParsableArguments {
        @Option(help: "联邦汇入时每个县提交的变更条数（积压测试用其 3 倍）。")
        var changes = 50_000

        @Option(help: "测延迟时在一个村经操作接口逐户登记的家庭数（每户得到应答后再隔 10 毫秒）。")
        var lagChanges = 1000

        func validate() throws {
            guard changes >= 100, lagChanges >= 10 else {
                throw ValidationError("--changes 至少 100，--lag-changes 至少 10")
            }
        }

        func benchmark(policyText: String) -> FederationBenchmark {
            FederationBenchmark(
                changesPerCounty: changes, lagChanges: lagChanges, policyText: policyText,
                executable: Demo.ownExecutable(), say: Demo.say)
        }
    }

    /// The calculator benchmark's options.
    struct CalculatorOptions: ParsableArguments {
        @Option(help: "计算器批量测试的合成家庭户数。")
        var households = 1_000_000

        @Option(help: "经接口计算的请求次数（顺序一轮，并发一轮）。")
        var requests = 2000

        @Option(help: "并发客户端数。")
        var concurrency = 16

        func validate() throws {
            guard households >= 100, requests >= 10, concurrency >= 1 else {
                throw ValidationError("--households 至少 100，--requests 至少 10，--concurrency 至少 1")
            }
        }

        func benchmark(policy: String) -> CalculatorBenchmark {
            CalculatorBenchmark(
                policyFile: URL(filePath: policy), households: households, requests: requests,
                concurrency: concurrency, executable: Demo.ownExecutable(), say: Demo.say)
        }
    }

    /// The policy file a benchmark computes with and publishes.
    struct PolicyOption: ParsableArguments {
        @Option(name: .customLong("policy"), help: "政策文件。")
        var path = "policy/taizhou.yaml"

        func text() throws -> String {
            do { return try String(contentsOf: URL(filePath: path), encoding: .utf8) } catch {
                throw ValidationError("读不到政策文件 \(path)")
            }
        }
    }

    /// `jiuzhu bench registry`
    struct RegistryBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "registry", abstract: "登记库：市级节点汇集 N 户后的索引速度、各类检索的耗时、重复登记检查。")

        @Option(help: "合成家庭户数。")
        var households = 50_000

        @OptionGroup var policy: PolicyOption

        func run() async throws {
            Demo.say("Jiuzhu 登记库基准 · \(Date().formatted(.iso8601)) · \(Bench.machine)")
            try await RegistryBenchmark(households: households, policyFile: URL(filePath: policy.path), say: Demo.say)
                .run()
        }
    }

    /// `jiuzhu bench deadlines`
    struct DeadlineBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "deadlines", abstract: "办理期限：县级节点持有 N 个未办结案件时的汇总、巡检和发布新日历后的重算。")

        @Option(help: "未办结案件数。")
        var cases = 100_000

        @Option(help: "工作日历目录。")
        var calendars = "calendar"

        @OptionGroup var policy: PolicyOption

        func run() async throws {
            Demo.say("Jiuzhu 办理期限基准 · \(Date().formatted(.iso8601)) · \(Bench.machine)")
            try await DeadlineBenchmark(
                cases: cases, policyFile: URL(filePath: policy.path), calendarFolder: URL(filePath: calendars),
                say: Demo.say
            ).run()
        }
    }

    /// `jiuzhu bench casework`
    struct CaseworkBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "casework",
            abstract: "办理全流程：13 个节点进程上，N 件申请经各级操作接口走完全部环节；办结速率、县级决定到达村的延迟。")

        @Option(help: "申请件数。")
        var applications = 10_000

        @Option(help: "每个节点的并发客户端数。")
        var concurrency = 4

        @Option(help: "逐件计时的县级决定件数。")
        var sample = 200

        @Option(help: "工作日历目录。")
        var calendars = "calendar"

        @OptionGroup var policy: PolicyOption

        func run() async throws {
            Demo.say("Jiuzhu 办理全流程基准 · \(Date().formatted(.iso8601)) · \(Bench.machine)")
            try await CaseworkBenchmark(
                applications: applications, concurrency: concurrency, sample: sample, policyText: try policy.text(),
                calendarFolder: URL(filePath: calendars), executable: Demo.ownExecutable(), say: Demo.say
            ).run()
        }
    }

    /// `jiuzhu bench warnings`
    struct WarningBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "warnings",
            abstract: "预警平台：13 个节点进程、合成全市数据上，全量扫描耗时、部门记录到市级和村级预警的延迟、部门数据导入速率。")

        @Option(help: "合成数据规模：demo（每村 24 户）或 city（全市约 25 万户）。")
        var scale: String = "city"

        @Option(help: "逐条计时的部门记录数。")
        var samples = 100

        @Option(help: "计时导入的文件行数。")
        var rows = 100_000

        @Option(help: "工作日历目录。")
        var calendars = "calendar"

        @OptionGroup var policy: PolicyOption

        func run() async throws {
            guard let scale = Synthesizer.Scale(rawValue: scale) else { throw ValidationError("规模应为 demo 或 city") }
            Demo.say("Jiuzhu 预警平台基准 · \(Date().formatted(.iso8601)) · \(Bench.machine)")
            try await WarningBenchmark(
                scale: scale, samples: samples, importRows: rows, policyText: try policy.text(),
                calendarFolder: URL(filePath: calendars), executable: Demo.ownExecutable(), say: Demo.say
            ).run()
        }
    }

    /// `Linux x86_64 · 2 核 · release 构建`
    static var machine: String {
        var info = utsname()
        uname(&info)
        let machine = withUnsafeBytes(of: &info.machine) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        #if DEBUG
            let build = "debug 构建（数字不代表性能）"
        #else
            let build = "release 构建"
        #endif
        return "Linux \(machine) · \(ProcessInfo.processInfo.activeProcessorCount) 核 · \(build)"
    }
}
