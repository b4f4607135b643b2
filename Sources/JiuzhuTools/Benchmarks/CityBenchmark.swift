import AsyncHTTPClient
import Foundation
import JiuzhuDomain
import JiuzhuFederation
import JiuzhuPolicy
import JiuzhuRegistry
import JiuzhuStorage

/// `jiuzhu bench`: the whole system on one real cluster on loopback (13 node processes with
/// mutual TLS), measured in the order a city would live it — federation on the empty cluster,
/// then a synthetic city written at the villages through the normal write path, replicated up
/// and indexed at the city, then searched and computed through the operator API — with a
/// table of every figure against its target at the end.
public struct CityBenchmark: Sendable {
    public let scale: Synthesizer.Scale
    public let federation: FederationBenchmark
    public let calculator: CalculatorBenchmark
    let say: @Sendable (String) -> Void

    public init(
        scale: Synthesizer.Scale, federation: FederationBenchmark, calculator: CalculatorBenchmark,
        say: @escaping @Sendable (String) -> Void
    ) {
        self.scale = scale
        self.federation = federation
        self.calculator = calculator
        self.say = say
    }

    /// One row of the closing table.
    struct Verdict {
        let figure: String
        let result: String
        let target: String
        /// Nil when the figure has no target.
        let met: Bool?
    }

    /// The search kinds an operator at the city uses, as API query strings.
    static let searchKinds: [(name: String, query: String)] = [
        ("全部（第一页）", ""), ("某县", "division=321281"), ("某村", "division=321281100201"),
        ("人均收入 300–700 元", "minIncome=300&maxIncome=700"), ("重病成员", "illness=true"),
        ("一二级残疾", "maxGrade=2"), ("60 岁以上", "minAge=60"), ("30–40 岁成员", "minAge=30&maxAge=40"),
        ("在保低保", "programme=dibao"), ("某县在保低保", "division=321281&programme=dibao"),
        ("画像：低于监测线", "tag=belowMonitoringLine"),
        ("组合：某县、重病、低保、第 3 页", "division=321283&illness=true&programme=dibao&page=3"),
    ]

    public func run() async throws {
        let folder = FileManager.default.temporaryDirectory.appending(path: "jiuzhu-city-bench-\(getpid())")
        try? FileManager.default.removeItem(at: folder)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let cluster = try BenchCluster(folder: folder, executable: federation.executable)
        defer { cluster.stop() }
        let city = cluster.topology.root
        let password = try await cluster.benchAccount(at: city)
        try await cluster.start()
        say("集群已就绪：\(cluster.topology.nodes.count) 个节点进程（市 1、县 3、乡镇 3、村 6），双向 TLS。")

        say("\n一、联邦（空库）")
        let links = try await federation.measure(on: cluster)
        say("\n二、合成城市（\(scale.rawValue) 规模）")
        let load = try await cluster.loadSyntheticCity(policyText: federation.policyText, scale: scale, say: say)
        say("\n三、市级检索与操作接口")
        let client = try cluster.operatorClient()
        let search: APIFigures
        let calculatorAPI: APIFigures
        do {
            let session = try await BenchOperator.signIn(
                client, at: city.operator, username: BenchCluster.accountName, password: password)
            search = try await measureSearch(as: session)
            calculatorAPI = try await calculator.measureAPI(as: session)
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
        say("\n四、政策计算器（进程内）")
        let batch = try calculator.measureInProcess(policyText: federation.policyText)
        let atRest = try await readMemoryAtRest(cluster, peaks: load.peakMegabytes)
        say("\n汇总")
        for verdict in verdicts(links, load, search, calculatorAPI, batch, atRest) {
            let mark = verdict.met.map { $0 ? "✔" : "✘" } ?? " "
            say("  \(mark) \(verdict.figure)：\(verdict.result)（目标 \(verdict.target)）")
        }
    }

    /// Reads each role's memory after 15 and after 30 idle seconds (a node gives memory back
    /// every 10 s once a burst is over: MemoryRelief); returns the second reading.
    private func readMemoryAtRest(_ cluster: BenchCluster, peaks: [NodeRole: Double]) async throws -> [NodeRole: Double]
    {
        say("\n五、常驻内存（各级最大者；匿名部分为堆与 SQLite 缓存，其余是各进程共享的程序与库文件页）")
        var atRest: [NodeRole: Double] = [:]
        for seconds in [15, 30] {
            try await Task.sleep(for: .seconds(15))
            atRest = cluster.residentMegabytesByRole()
            let anonymous = cluster.anonymousMegabytesByRole()
            let roles = NodeRole.allCases.compactMap { role in
                atRest[role].map {
                    "\(role.shortName)级 \(BenchMeasure.format($0, digits: 0)) MiB（匿名 \(BenchMeasure.format(anonymous[role] ?? .nan, digits: 0))）"
                }
            }
            say("  静置 \(seconds) 秒：\(roles.joined(separator: "，"))")
        }
        let largest = NodeRole.allCases.compactMap { role in
            peaks[role].map { "\(role.shortName)级 \(BenchMeasure.format($0, digits: 0)) MiB" }
        }
        say("  载入城市数据期间最大：\(largest.joined(separator: "，"))")
        return atRest
    }

    /// Every figure of the run against its target (issue 7), in the order they were taken.
    private func verdicts(
        _ links: FederationBenchmark.Figures, _ load: BenchCluster.CityLoad, _ search: APIFigures,
        _ calculatorAPI: APIFigures,
        _ batch: PolicyBenchmark.Figures, _ atRest: [NodeRole: Double]
    ) -> [Verdict] {
        let searchSorted = search.sequential.sorted()
        let backlog = 3 * federation.changesPerCounty
        return [
            Verdict(
                figure: "市级汇入（条/秒）", result: BenchMeasure.format(links.ingestPerSecond, digits: 0), target: "≥ 50,000",
                met: links.ingestPerSecond >= 50_000),
            Verdict(
                figure: "汇入 / 进程内上限",
                result: "\(BenchMeasure.format(100 * links.ingestPerSecond / links.ceilingPerSecond, digits: 0)) %",
                target: "≥ 50 %", met: links.ingestPerSecond >= links.ceilingPerSecond / 2),
            Verdict(
                figure: "村→市延迟 p50", result: "\(BenchMeasure.format(links.lagP50)) ms", target: "< 20 ms",
                met: links.lagP50 < 20),
            Verdict(
                figure: "村→市延迟 p99", result: "\(BenchMeasure.format(links.lagP99)) ms", target: "< 100 ms",
                met: links.lagP99 < 100),
            // The drain target is for a backlog of 150,000 changes; a smaller run has none.
            Verdict(
                figure: "积压 \(backlog) 条排空（三跳到市）",
                result:
                    "\(BenchMeasure.format(BenchMeasure.seconds(links.drain), digits: 2)) s（一跳到乡镇 \(BenchMeasure.format(BenchMeasure.seconds(links.drainFirstHop), digits: 2)) s）",
                target: backlog == 150_000 ? "< 3 s" : "—（目标按 15 万条）",
                met: backlog == 150_000 ? BenchMeasure.seconds(links.drain) < 3 : nil),
            Verdict(
                figure: "政策下达到全部村", result: "\(Int(BenchMeasure.milliseconds(links.policyReach))) ms",
                target: "< 1 s", met: links.policyReach < .seconds(1)),
            Verdict(
                figure: "\(load.households) 户到达市级 / 建好索引",
                result:
                    "\(BenchMeasure.format(BenchMeasure.seconds(load.reached), digits: 0)) s / \(BenchMeasure.format(BenchMeasure.seconds(load.indexed), digits: 0)) s",
                target: "—", met: nil),
            Verdict(
                figure: "计算器批量（户/秒）", result: "\(Int(batch.householdsPerSecond))", target: "≥ 2,000,000",
                met: batch.householdsPerSecond >= 2_000_000),
            Verdict(
                figure: "市级检索 p99（经接口）",
                result: "\(BenchMeasure.format(BenchMeasure.percentile(searchSorted, 0.99))) ms",
                target: "< 200 ms", met: BenchMeasure.percentile(searchSorted, 0.99) < 200),
            Verdict(
                figure: "检索，\(calculator.concurrency) 并发",
                result:
                    "\(BenchMeasure.percentiles(search.concurrent))，\(Int(search.perSecond)) 次/秒",
                target: "—", met: nil),
            Verdict(
                figure: "计算器接口，\(calculator.concurrency) 并发",
                result:
                    "\(BenchMeasure.percentiles(calculatorAPI.concurrent))，\(Int(calculatorAPI.perSecond)) 次/秒",
                target: "—", met: nil),
            Verdict(
                figure: "市级节点常驻内存（静置 30 秒）", result: "\(BenchMeasure.format(atRest[.city] ?? .nan, digits: 0)) MiB",
                target: "< 512 MiB", met: (atRest[.city] ?? .infinity) < 512),
            Verdict(
                figure: "村级节点常驻内存（静置 30 秒，最大）",
                result: "\(BenchMeasure.format(atRest[.village] ?? .nan, digits: 0)) MiB",
                target: "< 64 MiB", met: (atRest[.village] ?? .infinity) < 64),
        ]
    }

    /// Every search kind 20 times in a row, then all of them by concurrent clients.
    private func measureSearch(as session: BenchOperator) async throws -> APIFigures {
        var all: [Double] = []
        for (name, query) in Self.searchKinds {
            let request = session.get("/api/v1/search?\(query)")
            var times: [Double] = []
            for _ in 0..<20 { times.append(try await session.timed(request)) }
            all += times
            say("  检索 \(name)：\(BenchMeasure.percentiles(times))")
        }
        say("市级检索（经接口、已登录、留痕，\(all.count) 次）：\(BenchMeasure.percentiles(all))")
        let duplicates = try await session.timed(session.get("/api/v1/duplicates"))
        say("重复登记检查（经接口）：\(BenchMeasure.format(duplicates)) 毫秒")
        let mixed = (0..<10).flatMap { _ in Self.searchKinds.map { session.get("/api/v1/search?\($0.query)") } }
        let (concurrent, perSecond) = try await session.concurrently(mixed, clients: calculator.concurrency)
        say(
            "市级检索（\(calculator.concurrency) 个并发客户端，各类混合共 \(concurrent.count) 次）：\(BenchMeasure.percentiles(concurrent))，\(Int(perSecond)) 次/秒"
        )
        return APIFigures(sequential: all, concurrent: concurrent, perSecond: perSecond)
    }
}
