import Foundation
import JiuzhuDomain
import JiuzhuPolicy
import JiuzhuRegistry
import JiuzhuServices
import JiuzhuStorage
import Logging

/// The warning platform on the 13-node benchmark cluster holding the synthetic city: the city's
/// first sweep over the whole aggregate (and later passes), a department record to an open
/// warning at the city and at the household's village, and the import of a large file.
///
/// Department records are imported by the benchmark into the city's database, as `jiuzhu
/// feeds import` does while the node runs; the node sees the commit when its log is written and sends
/// the warning down at once.
public struct WarningBenchmark: Sendable {
    public let scale: Synthesizer.Scale
    /// Records timed one at a time from import to the village.
    public let samples: Int
    /// Rows of the file whose import is timed.
    public let importRows: Int
    public let policyText: String
    public let calendarFolder: URL
    public let executable: URL
    let say: @Sendable (String) -> Void

    public init(
        scale: Synthesizer.Scale, samples: Int, importRows: Int, policyText: String, calendarFolder: URL,
        executable: URL, say: @escaping @Sendable (String) -> Void
    ) {
        self.scale = scale
        self.samples = samples
        self.importRows = importRows
        self.policyText = policyText
        self.calendarFolder = calendarFolder
        self.executable = executable
        self.say = say
    }

    public func run() async throws {
        let folder = FileManager.default.temporaryDirectory.appending(path: "jiuzhu-warning-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let cluster = try BenchCluster(folder: folder, executable: executable)
        defer { cluster.stop() }
        try await cluster.start()
        try await cluster.publishRules(policyText: policyText, calendarFolder: calendarFolder, say: say)
        let load = try await cluster.loadSyntheticCity(policyText: policyText, scale: scale, say: say)
        let city = try cluster.database(cluster.topology.root)
        let services = NodeServices(database: city, logger: Logger(label: "bench"))

        try await firstSweep(city)
        var passes: [Double] = []
        for _ in 0..<3 {
            let started = ContinuousClock.now
            _ = try await services.warnings.sweep()
            passes.append(BenchMeasure.seconds(ContinuousClock.now - started) * 1000)
        }
        say("再扫描全市汇总数据 3 次（\(load.households) 户，无新情况）：\(BenchMeasure.percentiles(passes))")

        try await latency(cluster, services: services)
        try await importRate(services, city: city, cluster: cluster)
    }

    /// Waits until the city node's own sweep has gone over the freshly loaded city (no new
    /// warning for 5 s) and reports what it raised, by rule.
    private func firstSweep(_ city: NodeDatabase) async throws {
        let started = ContinuousClock.now
        var last = -1
        var stableSince = ContinuousClock.now
        while true {
            let count = try await city.warnings.list(WarningQuery(within: city.owner.code, limit: 1_000_000)).count
            if count != last {
                last = count
                stableSince = ContinuousClock.now
            } else if ContinuousClock.now - stableSince > .seconds(5) {
                break
            }
            try await Task.sleep(for: .milliseconds(250))
        }
        let byRule = Dictionary(
            grouping: try await city.warnings.list(WarningQuery(within: city.owner.code, limit: 1_000_000)), by: \.rule
        ).mapValues(\.count)
        say(
            "市级节点首次扫描后的预警（装载后约 \(BenchMeasure.format(BenchMeasure.seconds(ContinuousClock.now - started) - 5, digits: 0)) 秒内）：\(last) 条；"
                + byRule.sorted { $0.key < $1.key }.map {
                    "\(WarningRule(rawValue: $0.key)?.chineseName ?? $0.key) \($0.value)"
                }.joined(separator: "，"))
    }

    /// Deaths in recipient households spread over the villages, one at a time: import at the
    /// city until the warning is written there, and on until the village holds it.
    private func latency(_ cluster: BenchCluster, services: NodeServices) async throws {
        let city = services.database
        let recipients = try await city.warnings.enrolments(within: city.owner.code)
        let households = Array(Set(recipients.map(\.household))).sorted()
        guard !households.isEmpty else { throw BenchError.timedOut("没有享受救助的家庭") }
        let step = max(1, households.count / samples)
        var atCity: [Double] = []
        var atVillage: [Double] = []
        let today = city.wallClock.today()
        for (index, key) in stride(from: 0, to: households.count, by: step).prefix(samples).map({ households[$0] })
            .enumerated()
        {
            guard let stored = try await city.registry.household(key),
                let record = try? HouseholdRecord(json: Data(stored.payload.utf8)),
                let member = record.members.last,
                let village = cluster.topology.node(record.village)
            else { continue }
            let death = FeedRecord(
                feed: .deaths, recordID: "BENCH-\(index)", citizenID: member.citizenID, name: member.name,
                date: today.adding(days: -1), facts: .death(certificate: nil))
            let started = ContinuousClock.now
            let imported = try await services.warnings.importFeed(
                [death], feed: .deaths, source: "基准", by: .commandLine)
            atCity.append(BenchMeasure.seconds(ContinuousClock.now - started) * 1000)
            guard let warning = imported.raised.keys.first else { continue }
            let villageDatabase = try cluster.database(village)
            while try await villageDatabase.warnings.warning(warning) == nil {
                guard ContinuousClock.now - started < .seconds(60) else { throw BenchError.timedOut("预警到达村") }
                try await Task.sleep(for: .milliseconds(2))
            }
            atVillage.append(BenchMeasure.seconds(ContinuousClock.now - started) * 1000)
        }
        say("部门记录到市级待核实预警（\(atCity.count) 条，逐条导入）：\(BenchMeasure.percentiles(atCity))")
        say("部门记录到村级收到预警（经县、乡镇两级下发）：\(BenchMeasure.percentiles(atVillage))")
    }

    /// A file of wages, a tenth of them about registered people, decoded and imported; then
    /// the same file again.
    private func importRate(_ services: NodeServices, city: NodeDatabase, cluster: BenchCluster) async throws {
        let members = try await city.warnings.members(within: city.owner.code, bornFrom: 19_500_101, to: 20_001_231)
        let month = city.wallClock.today().adding(months: -1).firstOfMonth
        var lines = ["记录编号,公民身份号码,姓名,所属月份,单位名称,月工资,缴费基数"]
        for row in 0..<importRows {
            let citizenID: String
            if row % 10 == 0, !members.isEmpty {
                citizenID = members[(row / 10) % members.count].citizenID
            } else {
                let body =
                    "321282" + String(format: "19%02d%02d%02d", 50 + row % 45, 1 + row % 12, 1 + row % 28)
                    + String(format: "%03d", row % 1000)
                citizenID = body + String(CitizenID.checkCharacter(for: body.compactMap(\.wholeNumberValue)))
            }
            lines.append(
                "RS-\(row),\(citizenID),职工\(row % 100),\(String(month.description.prefix(7))),泰州市某公司,\(2_000 + row % 5_000).00,"
            )
        }
        let data = Data((lines.joined(separator: "\n") + "\n").utf8)
        for attempt in ["首次", "再次（同一文件）"] {
            let logBefore = cluster.logPages(cluster.topology.root)
            let started = ContinuousClock.now
            let records = try FeedFile.decode(data, feed: .employment, today: city.wallClock.today())
            let decoded = ContinuousClock.now
            let imported = try await services.warnings.importFeed(
                records, feed: .employment, source: "基准", by: .commandLine)
            let seconds = BenchMeasure.seconds(ContinuousClock.now - started)
            say(
                "导入就业数据\(attempt)：\(importRows) 行（\(data.count / 1024) KiB，一成为登记人员），校验 \(BenchMeasure.format(BenchMeasure.seconds(decoded - started), digits: 2)) 秒，共 \(BenchMeasure.format(seconds, digits: 2)) 秒，\(Int(Double(importRows) / max(seconds, 0.001))) 行/秒（市级预写日志文件导入前 \(logBefore) 页，导入后 \(cluster.logPages(cluster.topology.root)) 页）；\(imported.message)"
            )
        }
    }
}
