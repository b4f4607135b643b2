import ArgumentParser
import Foundation
import JiuzhuFederation
import JiuzhuNode
import JiuzhuPolicy
import JiuzhuRegistry
import JiuzhuServices
import JiuzhuStorage
import JiuzhuTools
import Logging
import ServiceLifecycle

/// `jiuzhu demo`: the whole cluster of a topology on this machine, one process per node.
struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "在本机启动拓扑中的全部节点（每个节点一个进程），Ctrl-C 全部停止。"
    )

    @Option(help: "拓扑文件（YAML）。")
    var topology: String = "topology/taizhou-demo.yaml"

    @Option(help: "数据根目录；每个节点使用其下的 <代码> 子目录。")
    var data: String = "data"

    @Option(help: "证书目录。")
    var certs: String = "certs"

    @Option(help: "市级节点发布的政策文件（内容变了的，作为新版本发布）。")
    var policy: String = "policy/taizhou.yaml"

    @Option(help: "工作日历目录：其中每个 YAML 文件是一年的日历，市级节点发布尚未发布的版本。")
    var calendars: String = "calendar"

    func run() async throws {
        let topology = try Topology.load(from: URL(filePath: self.topology))
        let certificates = CertificateDirectory(URL(filePath: certs))
        let report = try certificates.issue(for: topology)
        let kept = report.filter { $0.outcome == .kept }.count
        Self.say("证书：新签 \(report.count - kept) 份，沿用 \(kept) 份（\(certificates.url.path)）。")
        for line in report where line.outcome != .kept {
            Self.say("  \(Certs.Issue.describe(line))")
        }
        // Every department's client certificate, so that the city's feed endpoint can be tried.
        let issued = try certificates.issue(departments: Department.allCases)
        Self.say(
            "部门证书：新签 \(issued.filter { $0.outcome != .kept }.count) 份，沿用 \(issued.filter { $0.outcome == .kept }.count) 份（\(certificates.departmentsURL.path)，用于向市级节点 POST /feeds/<数据> 报送部门数据）。"
        )
        let departments = certificates.departmentsURL.path
        Self.say(
            "  例：curl --cert \(departments)/health.crt --key \(departments)/health.key --cacert \(certificates.authorityCertificateURL.path) -H 'Content-Type: text/csv' --data-binary @feeds/examples/deaths.csv https://\(topology.root.federation)/feeds/deaths"
        )
        let accounts = DemoAccounts(topology: topology, dataRoot: URL(filePath: data))
        let credentials = try await accounts.ensure()
        Self.say("操作员账号（每个节点每个角色一个；凭据保存在 \(accounts.file.path)，仅本人可读）：")
        for credential in credentials {
            let node = topology.node(credential.node)
            let url = node.map { "https://\($0.operator)/" } ?? ""
            Self.say("  \(credential.username)  密码 \(credential.password)  \(credential.role.chineseName)  \(url)")
        }
        try await publishRules(topology)
        try await seedRegistryOnFirstStart(topology)
        let supervisor = ClusterSupervisor(
            topology: topology, topologyPath: self.topology, dataRoot: URL(filePath: data),
            certificates: certificates, executable: Self.ownExecutable(),
            environment: ProcessInfo.processInfo.environment,
            print: Self.say)
        var logger = Logger(label: "jiuzhu.demo")
        logger.logLevel = .warning
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: supervisor)]
        // A test that starts the demo names itself, so the demo ends if the test dies.
        if let pid = ProcessInfo.processInfo.environment["JIUZHU_SUPERVISOR_PID"].flatMap(Int32.init) {
            services.append(
                .init(service: SupervisorWatch(pid: pid), successTerminationBehavior: .gracefullyShutdownGroup))
        }
        let group = ServiceGroup(
            configuration: .init(services: services, gracefulShutdownSignals: [.sigint, .sigterm], logger: logger))
        try await group.run()
    }

    /// The city publishes the policy file (when its content is not the newest version already)
    /// and each calendar year not yet published, so that every node has the rules casework needs.
    private func publishRules(_ topology: Topology) async throws {
        let city = topology.root
        let database = try NodeDatabase.open(
            in: URL(filePath: data).appending(path: city.code.digits),
            for: .init(code: city.code, name: city.name, role: city.role))
        defer { try? database.close() }
        let text: String
        do { text = try String(contentsOf: URL(filePath: policy), encoding: .utf8) } catch {
            throw ValidationError("读不到政策文件 \(policy)")
        }
        let current = try await database.policy.latestPolicy()
        if let current, current.contentHash == PolicyDocument.contentHash(Array(text.utf8)) {
            Self.say("政策版本：\(current.label)（已发布）。")
        } else {
            let (version, _) = try await PolicyService.publish(
                text: text, file: URL(filePath: policy).lastPathComponent, database: database, by: .demo)
            Self.say("政策版本：\(version)（由 \(policy) 发布，随联邦下发到各节点）。")
        }
        let rules = CaseworkRulesService(policy: PolicyService(database: database), store: database.policy)
        let folder = URL(filePath: calendars)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        for name in names.filter({ $0.hasSuffix(".yaml") }).sorted() {
            let text = try String(contentsOf: folder.appending(path: name), encoding: .utf8)
            let (year, isNew) = try await rules.publishCalendar(text: text, file: name, by: .demo)
            Self.say("工作日历：\(year.year) 年 \(year.version)\(year.provisional ? "（暂定）" : "")\(isNew ? "，已发布" : "（已发布）")。")
        }
    }

    /// Every village gets a few synthetic households on the first start, so every page has
    /// something to show; they travel up once the nodes run.
    private func seedRegistryOnFirstStart(_ topology: Topology) async throws {
        guard let first = topology.nodes.first(where: { $0.role == .village }) else { return }
        let database = try NodeDatabase.open(
            in: URL(filePath: data).appending(path: first.code.digits),
            for: .init(code: first.code, name: first.name, role: first.role))
        let seeded = try await database.registry.household(first.code.digits + "-S000001") != nil
        try database.close()
        guard !seeded else { return }
        let summary = try await Synthesizer(
            topology: topology, dataRoot: URL(filePath: data),
            policyText: try String(contentsOf: URL(filePath: policy), encoding: .utf8), seed: 2026, scale: .demo
        ).run()
        Self.say("合成演示数据：\(summary)。")
        try await importDemoFeeds(topology, from: first)
    }

    /// On the first start, the city receives department records about the demo's households
    /// (a death, wages, a car, medical spending); its sweep raises the warnings as the
    /// households arrive, and the village verifies them on /warnings.
    private func importDemoFeeds(_ topology: Topology, from village: TopologyNode) async throws {
        let villageDatabase = try NodeDatabase.open(
            in: URL(filePath: data).appending(path: village.code.digits),
            for: .init(code: village.code, name: village.name, role: village.role))
        let feeds = try await DemoFeeds.records(from: villageDatabase, today: villageDatabase.wallClock.today())
        try villageDatabase.close()
        let city = topology.root
        let database = try NodeDatabase.open(
            in: URL(filePath: data).appending(path: city.code.digits),
            for: .init(code: city.code, name: city.name, role: city.role))
        defer { try? database.close() }
        let services = NodeServices(database: database, logger: Logger(label: "jiuzhu.demo"))
        for (feed, records) in feeds.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            let imported = try await services.warnings.importFeed(records, feed: feed, source: "演示数据", by: .demo)
            Self.say("部门数据（演示）：\(feed.chineseName) \(imported.records) 条，待家庭数据汇总到市级后由预警规则核查。")
        }
    }

    /// This very binary, to start as each node.
    static func ownExecutable() -> URL {
        let link = URL(filePath: "/proc/self/exe")
        if let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: link.path) {
            return URL(filePath: resolved)
        }
        return URL(filePath: CommandLine.arguments[0]).absoluteURL
    }

    /// Writes a line at once, unbuffered, so a terminal or a pipe sees it as it happens.
    @Sendable static func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}
