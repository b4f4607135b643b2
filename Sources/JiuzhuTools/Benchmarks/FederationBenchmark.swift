import AsyncHTTPClient
import Foundation
import JiuzhuDomain
import JiuzhuFederation
import JiuzhuPolicy
import JiuzhuRegistry
import JiuzhuServices
import JiuzhuStorage

/// `jiuzhu bench federation`: a 13-node cluster of real processes on loopback (a city, three
/// counties, a township under each, two villages under each township), measured end to end.
///
/// The lag households are registered through a village's operator API. The ingest and backlog
/// changes are committed by the benchmark process into the nodes' own databases, the path a
/// command-line import takes; the nodes notice such commits when their write-ahead log is written.
public struct FederationBenchmark: Sendable {
    /// Changes each county commits for the ingest figure; the backlog figure uses three times as many.
    public let changesPerCounty: Int
    /// Households registered at one village, one after another with 10 ms between them, for the
    /// lag figure.
    public let lagChanges: Int
    /// The policy file the city publishes for the reach figure.
    public let policyText: String
    public let executable: URL
    let say: @Sendable (String) -> Void

    public init(
        changesPerCounty: Int, lagChanges: Int, policyText: String, executable: URL,
        say: @escaping @Sendable (String) -> Void
    ) {
        self.changesPerCounty = changesPerCounty
        self.lagChanges = lagChanges
        self.policyText = policyText
        self.executable = executable
        self.say = say
    }

    /// The figures of one run.
    public struct Figures: Sendable {
        public var policyReach: Duration = .zero
        public var lagP50: Double = 0
        public var lagP99: Double = 0
        /// The median of the rounds' ingests (``rounds``).
        public var ingestPerSecond: Double = 0
        /// The median of the rounds' ceilings.
        public var ceilingPerSecond: Double = 0
        /// From the township's restart until the city holds the whole backlog (three hops).
        public var drain: Duration = .zero
        /// From the same moment until the township holds it (the first hop).
        public var drainFirstHop: Duration = .zero
        public var residentMegabytes: [NodeRole: Double] = [:]
        /// The same, after the nodes rested for ``restSeconds`` (their caches released and the
        /// heap trimmed, as every node does every 10 s).
        public var restingMegabytes: [NodeRole: Double] = [:]
    }

    /// How long the nodes rest before the second memory reading: one release cycle and its trim.
    static let restSeconds = 12

    public func run() async throws -> Figures {
        let folder = FileManager.default.temporaryDirectory.appending(path: "jiuzhu-bench-\(getpid())")
        try? FileManager.default.removeItem(at: folder)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let cluster = try BenchCluster(folder: folder, executable: executable)
        defer { cluster.stop() }
        try await cluster.start()
        say("集群已就绪：\(cluster.topology.nodes.count) 个节点进程。")
        var figures = try await measure(on: cluster)
        figures.residentMegabytes = cluster.residentMegabytesByRole()
        try await Task.sleep(for: .seconds(Self.restSeconds))
        figures.restingMegabytes = cluster.residentMegabytesByRole()
        for role in NodeRole.allCases {
            if let megabytes = figures.residentMegabytes[role], let resting = figures.restingMegabytes[role] {
                say(
                    "常驻内存（\(role.shortName)级节点，最大）：结束时 \(BenchMeasure.format(megabytes, digits: 0)) MiB，"
                        + "静置 \(Self.restSeconds) 秒后 \(BenchMeasure.format(resting, digits: 0)) MiB")
            }
        }
        return figures
    }

    /// Every figure but memory, on a running cluster with no policy published yet.
    func measure(on cluster: BenchCluster) async throws -> Figures {
        var figures = Figures()
        figures.policyReach = try await measurePolicyReach(cluster)
        say("政策下达到全部村：\(Int(BenchMeasure.milliseconds(figures.policyReach).rounded())) ms")
        (figures.lagP50, figures.lagP99) = try await measureLag(cluster)
        say("村→市延迟（三跳）：p50 \(BenchMeasure.format(figures.lagP50)) ms，p99 \(BenchMeasure.format(figures.lagP99)) ms")
        var ingests: [Double] = []
        var ceilings: [Double] = []
        // Every ceiling applies the first round's changes to a fresh database: the later rounds'
        // sequences go on from where the first left off, which a fresh database would refuse.
        var first: [Change] = []
        for round in 1...Self.rounds {
            let (ingest, ingested) = try await measureIngest(cluster, round: round)
            ingests.append(ingest)
            if round == 1 { first = ingested }
            ceilings.append(try await measureCeiling(first, folder: cluster.folder, round: round))
        }
        (figures.ingestPerSecond, figures.ceilingPerSecond) = (Self.median(ingests), Self.median(ceilings))
        func rounds(_ figures: [Double]) -> String {
            "\(figures.count) 轮的中位数；各轮 " + figures.map { BenchMeasure.format($0, digits: 0) }.joined(separator: "、")
        }
        say(
            "市级汇入（\(rounds(ingests))）：\(BenchMeasure.format(figures.ingestPerSecond, digits: 0)) 条/秒"
                + "（每轮 \(3 * changesPerCounty) 条，3 个县同时）")
        say(
            "进程内上限（\(rounds(ceilings))）：\(BenchMeasure.format(figures.ceilingPerSecond, digits: 0)) 条/秒；"
                + "端到端为其 \(BenchMeasure.format(100 * figures.ingestPerSecond / figures.ceilingPerSecond, digits: 0)) %"
        )
        let drain = try await measureDrain(cluster)
        (figures.drainFirstHop, figures.drain) = (drain.firstHop, drain.city)
        func seconds(_ duration: Duration) -> String { BenchMeasure.format(BenchMeasure.seconds(duration), digits: 2) }
        say(
            "积压 \(3 * changesPerCounty) 条在恢复连接后排空：\(seconds(drain.city)) 秒"
                + "，经乡镇、县到市三跳（其中到乡镇一跳 \(seconds(drain.firstHop)) 秒）；"
                + "乡镇重启后 \(seconds(drain.answered)) 秒应答，\(seconds(drain.firstArrival)) 秒收到第一条；"
                + "每条变更用处理器 "
                + drain.processorMicroseconds.map { "\($0.role.shortName) \(BenchMeasure.format($0.micros)) 微秒" }
                .joined(separator: "、"))
        return figures
    }

    /// From the city's publication of a policy version until every village holds it.
    private func measurePolicyReach(_ cluster: BenchCluster) async throws -> Duration {
        let city = try cluster.database(cluster.topology.root)
        let started = ContinuousClock.now
        let (version, _) = try await PolicyService.publish(
            text: policyText, file: "policy.yaml", database: city, by: .commandLine)
        for village in cluster.villages {
            let database = try cluster.database(village)
            while try await database.policy.latestPolicy()?.contentHash != version.contentHash {
                try await Task.sleep(for: .milliseconds(2))
            }
        }
        return ContinuousClock.now - started
    }

    /// Lag from a registration at a village to the city's commit of it: a village specialist
    /// registers households through the village's operator API, each after the answer to the
    /// last and 10 ms more (the path an operator's work takes; 45-65 a second on the 2-core
    /// machine, printed with the figure); each lag is the city's commit time of the change minus
    /// the village's, from the two nodes' logs (their clocks are this machine's). Each hop's lag
    /// and the processor each node on the way used per household are printed beside it.
    private func measureLag(_ cluster: BenchCluster) async throws -> (Double, Double) {
        let village = cluster.villages[0]
        let database = try cluster.database(village)
        let before = try await database.changeLog.lastSequence(origin: village.code, channel: .registry)
        let today = NodeClock.system.today()
        var population = SyntheticPopulation(
            seed: 7,
            snapshot: try PolicyCalculator(document: PolicyDocument.load(yaml: policyText, file: "policy"))
                .snapshot(on: today), today: today)
        let households = population.households(for: village.code, count: lagChanges)
        let password = try await cluster.benchAccount(at: village)
        let path = [village] + cluster.topology.ancestors(of: village.code)
        let processorBefore = path.map { cluster.processorSeconds($0) }
        let client = try cluster.operatorClient()
        do {
            let session = try await BenchOperator.signIn(
                client, at: village.operator, username: BenchCluster.accountName, password: password)
            for household in households {
                _ = try await session.timed(session.post("/api/v1/households", json: Data(household.json().utf8)))
                try await Task.sleep(for: .milliseconds(10))
            }
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
        let city = try cluster.database(cluster.topology.root)
        try await cluster.waitFor(
            city, origin: village.code, channel: .registry, count: before + Int64(lagChanges))
        let processor = zip(path, processorBefore).map { node, before in
            "\(node.role.shortName) "
                + BenchMeasure.format((cluster.processorSeconds(node) - before) * 1e3 / Double(lagChanges), digits: 2)
        }
        say("逐户登记时每户用处理器（毫秒）：" + processor.joined(separator: "、"))
        func committed(_ database: NodeDatabase) async throws -> [Int64: Int64] {
            Dictionary(
                uniqueKeysWithValues: try await database.changeLog.logEntries(origin: village.code, channel: .registry)
                    .filter { $0.change.originSequence > before }.map { ($0.change.originSequence, $0.committedAt) })
        }
        // Each node on the way: its commit times, and each hop's lag from the node below.
        var commits: [(node: TopologyNode, committed: [Int64: Int64])] = []
        for node in path { commits.append((node, try await committed(cluster.database(node)))) }
        func lags(from below: [Int64: Int64], to above: [Int64: Int64]) -> [Double] {
            above.compactMap { sequence, at in below[sequence].map { Double(at - $0) } }.sorted()
        }
        let hops = zip(commits, commits.dropFirst()).map { below, above in
            "\(above.node.role.shortName) " + BenchMeasure.percentiles(lags(from: below.committed, to: above.committed))
        }
        let times = commits[0].committed.values
        if let first = times.min(), let last = times.max(), last > first {
            say("登记速率：每秒 \(BenchMeasure.format(Double(times.count - 1) * 1000 / Double(last - first), digits: 0)) 户")
        }
        say("各跳延迟：" + hops.joined(separator: "；"))
        let total = lags(from: commits[0].committed, to: commits[commits.count - 1].committed)
        return (BenchMeasure.percentile(total, 0.5), BenchMeasure.percentile(total, 0.99))
    }

    /// Three counties commit `changesPerCounty` changes each at once; the city's rate of taking
    /// them in, from the first commit until it holds the last. Round `round` adds its own
    /// changes, after the rounds before it.
    private func measureIngest(_ cluster: BenchCluster, round: Int) async throws -> (Double, [Change]) {
        let counties = cluster.topology.children(of: cluster.topology.root.code)
        let transactions = counties.map {
            Self.registryChanges(count: changesPerCounty, at: $0, prefix: "ingest-\(round)")
        }
        let started = ContinuousClock.now
        let written = try await withThrowingTaskGroup(of: [Change].self) { group in
            for (county, transactions) in zip(counties, transactions) {
                let database = try cluster.database(county)
                group.addTask { try await Self.commit(transactions, into: database) }
            }
            return try await group.reduce(into: [Change]()) { $0 += $1 }
        }
        let city = try cluster.database(cluster.topology.root)
        for county in counties {
            try await cluster.waitFor(
                city, origin: county.code, channel: .registry, count: Int64(round * changesPerCounty))
        }
        return (Double(written.count) / BenchMeasure.seconds(ContinuousClock.now - started), written)
    }

    /// How many rounds of ingest, each followed by its ceiling, a run measures; each figure is
    /// the median of its rounds. One round lasts a few seconds, and on a shared machine the
    /// speed swung by a third from one second to the next (the ceiling from 122,000 to
    /// 222,000/s on one build): a single ingest against a single ceiling judged the machine's
    /// phases as much as the federation. A ceiling right after its ingest meets the same phase.
    /// The first ceiling is usually the slowest, as the nodes still checkpoint and index after
    /// the ingest. Later rounds ingest into a city that holds the earlier rounds' changes.
    static let rounds = 3

    static func median(_ figures: [Double]) -> Double { figures.sorted()[figures.count / 2] }

    /// The same changes applied by a fresh city database in this process: no network, no TLS, no JSON.
    private func measureCeiling(_ changes: [Change], folder: URL, round: Int) async throws -> Double {
        let city = try NodeDatabase.open(
            in: folder.appending(path: "ceiling-\(round)"),
            for: .init(code: try DivisionCode("321200"), name: "泰州市", role: .city))
        let started = ContinuousClock.now
        for batch in stride(from: 0, to: changes.count, by: FederationProtocol.pushBatchSize) {
            let slice = Array(changes[batch..<min(batch + FederationProtocol.pushBatchSize, changes.count)])
            _ = try await city.changeLog.applyFromChild(slice, channel: .registry)
        }
        return Double(changes.count) / BenchMeasure.seconds(ContinuousClock.now - started)
    }

    /// How a backlog's drain went, from the township's restart.
    public struct Drain: Sendable {
        /// Until the township holds the whole backlog (the first hop).
        public var firstHop: Duration = .zero
        /// Until the city holds it (three hops).
        public var city: Duration = .zero
        /// Until the restarted township answered `/healthz`.
        public var answered: Duration = .zero
        /// Until the township held the first change of the backlog.
        public var firstArrival: Duration = .zero
        /// The processor time each node on the way used during the drain, per change of the
        /// backlog, in microseconds: village, township, county, city.
        public var processorMicroseconds: [(role: NodeRole, micros: Double)] = []
    }

    /// A township is cut off while its village commits a backlog; then it comes back.
    private func measureDrain(_ cluster: BenchCluster) async throws -> Drain {
        let village = cluster.villages[0]
        let township = try cluster.topology.requireNode(village.parent ?? village.code)
        let database = try cluster.database(village)
        let city = try cluster.database(cluster.topology.root)
        let before = try await city.changeLog.lastSequence(origin: village.code, channel: .registry)
        cluster.kill(township)
        let backlog = 3 * changesPerCounty
        _ = try await Self.commit(
            Self.registryChanges(count: backlog, at: village, prefix: "backlog"), into: database)
        let path = [village] + cluster.topology.ancestors(of: village.code)

        let started = ContinuousClock.now
        try cluster.restart(township)
        let processorBefore = path.map { cluster.processorSeconds($0) }
        let answered = Task {
            let client = try cluster.operatorClient()
            defer { _ = client.shutdown() }
            while !(await ClusterSupervisor.isHealthy(township, client: client)) {
                try await Task.sleep(for: .milliseconds(5))
            }
            return ContinuousClock.now - started
        }
        var drain = Drain()
        let atTownship = try cluster.database(township)
        let target = before + Int64(backlog)
        while case let held = try await atTownship.changeLog.lastSequence(origin: village.code, channel: .registry),
            held < target
        {
            if held > before, drain.firstArrival == .zero { drain.firstArrival = ContinuousClock.now - started }
            try await Task.sleep(for: .milliseconds(5))
        }
        drain.firstHop = ContinuousClock.now - started
        // A backlog that arrived between two looks arrived, at the latest, when it was seen whole.
        if drain.firstArrival == .zero { drain.firstArrival = drain.firstHop }
        try await cluster.waitFor(city, origin: village.code, channel: .registry, count: target)
        drain.city = ContinuousClock.now - started
        drain.answered = try await answered.value
        drain.processorMicroseconds = zip(path, processorBefore).map { node, before in
            (node.role, (cluster.processorSeconds(node) - before) * 1e6 / Double(backlog))
        }
        return drain
    }

    /// The entity of the benchmark's registry changes: not households, so the nodes' registry
    /// indexers pass over them as they would over any other registry entity.
    static let benchmarkEntity = "benchmark-change"

    /// The registry changes a benchmark commits at `node`, in transactions of 1,000: made before
    /// the clock starts, so that a figure times the commits and their replication, not the
    /// benchmark writing keys and payloads (a seventh of its process's time during the ingest,
    /// taken from the nodes it measures).
    static func registryChanges(count: Int, at node: TopologyNode, prefix: String) -> [[LocalChange]] {
        stride(from: 0, to: count, by: 1000).map { start in
            (start..<min(start + 1000, count)).map { index in
                LocalChange(
                    channel: .registry, entity: Self.benchmarkEntity, key: "\(node.code)-\(prefix)-\(index)",
                    jurisdiction: node.code, payload: #"{"members":3,"incomeFen":\#(index * 100)}"#)
            }
        }
    }

    /// Commits `transactions` into `database`, one transaction each; returns the changes as logged.
    static func commit(_ transactions: [[LocalChange]], into database: NodeDatabase) async throws -> [Change] {
        var written: [Change] = []
        for changes in transactions { written += try await database.changeLog.commit(changes) }
        return written
    }
}
