import Foundation
import JiuzhuDomain
import JiuzhuPolicy
import JiuzhuRegistry
import JiuzhuServices
import JiuzhuStorage
import Logging

/// Search at the city over a registry of the given size: households of the synthetic
/// population for 24 villages (its planted duplicates included), applied at a city database as replication would apply
/// them, indexed and profiled, then searched with the filters operators use; then the dashboard
/// at the city and at a county over the same register, with casework decisions on a tenth of it.
public struct RegistryBenchmark: Sendable {
    public let households: Int
    public let policyFile: URL
    public let say: @Sendable (String) -> Void

    public init(households: Int, policyFile: URL, say: @escaping @Sendable (String) -> Void) {
        self.households = households
        self.policyFile = policyFile
        self.say = say
    }

    public func run() async throws {
        let folder = FileManager.default.temporaryDirectory.appending(
            path: "jiuzhu-registry-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let cityCode = try DivisionCode("321200")
        let database = try NodeDatabase.open(in: folder, for: .init(code: cityCode, name: "泰州市", role: .city))
        defer { try? database.close() }
        _ = try await PolicyService.publish(
            text: try String(contentsOf: policyFile, encoding: .utf8), file: policyFile.lastPathComponent,
            database: database, by: .commandLine)

        let clock = ContinuousClock()
        let today = NodeClock.system.today()
        let snapshot = try PolicyCalculator(
            document: try PolicyDocument.load(contentsOf: policyFile)
        ).snapshot(on: today)
        var population = SyntheticPopulation(seed: 2026, snapshot: snapshot, today: today)
        let villages = try Self.villages()
        var pending: [Change] = []
        var decided: [String] = []
        var applyTime = Duration.zero
        for (number, village) in villages.enumerated() {
            let share = households / villages.count + (number < households % villages.count ? 1 : 0)
            for (sequence, record) in population.households(for: village, count: share).enumerated() {
                if sequence % 10 == 0 { decided.append(record.id) }
                pending.append(
                    Change(
                        origin: village, originSequence: Int64(sequence + 1),
                        clock: HybridLogicalClock(milliseconds: 1_700_000_000_000 + Int64(sequence), counter: 0),
                        channel: .registry,
                        entity: "household", key: record.id, jurisdiction: village, payload: record.json()))
                if pending.count == 5000 {
                    let start = clock.now
                    _ = try await database.changeLog.applyFromChild(pending, channel: .registry)
                    applyTime += clock.now - start
                    pending.removeAll(keepingCapacity: true)
                }
            }
        }
        let lastStart = clock.now
        if !pending.isEmpty { _ = try await database.changeLog.applyFromChild(pending, channel: .registry) }
        applyTime += clock.now - lastStart
        say("合成数据：\(population.summary)")
        say(
            "写入 \(households) 户（\(villages.count) 个村，按复制方式应用）：\(BenchMeasure.format(BenchMeasure.seconds(applyTime))) 秒"
        )

        let policy = PolicyService(database: database)
        let indexer = RegistryIndexer(store: database.registry, policy: policy, logger: Logger(label: "bench"))
        let indexStart = clock.now
        while try await indexer.catchUp(batch: 5000) > 0 {}
        let indexed = clock.now - indexStart
        say(
            "建立索引与画像：\(BenchMeasure.format(BenchMeasure.seconds(indexed))) 秒（\(Int(Double(households) / max(0.001, BenchMeasure.seconds(indexed)))) 户/秒）"
        )

        var queries: [(String, RegistryQuery)] = []
        func query(_ name: String, _ change: (inout RegistryQuery) -> Void) {
            var query = RegistryQuery()
            change(&query)
            queries.append((name, query))
        }
        query("全部（第一页）") { _ in }
        query("某县") { $0.division = "321281" }
        query("某村") { $0.division = "321281100201" }
        query("人均收入 300–700 元") {
            $0.minPerCapitaIncome = 30000
            $0.maxPerCapitaIncome = 70000
        }
        query("重病成员") { $0.seriousIllness = true }
        query("一二级残疾") { $0.maxDisabilityGrade = 2 }
        query("60 岁以上") { $0.bornOnOrBefore = (today.year - 60) * 10000 + today.month * 100 + today.day }
        query("30–40 岁成员") {
            // As the search form turns minAge=30&maxAge=40 into birth dates.
            $0.bornOnOrBefore = (today.year - 30) * 10000 + today.month * 100 + today.day
            $0.bornOnOrAfter = (today.year - 40 - 1) * 10000 + today.month * 100 + today.day + 1
        }
        query("在保低保") { $0.programme = "dibao" }
        query("画像：低于监测线") { $0.tag = "belowMonitoringLine" }
        query("某县在保低保") {
            $0.division = "321281"
            $0.programme = "dibao"
        }
        query("某县、画像低于监测线") {
            $0.division = "321281"
            $0.tag = "belowMonitoringLine"
        }
        query("组合：某县、重病、低保、第 3 页") {
            $0.division = "321283"
            $0.seriousIllness = true
            $0.programme = "dibao"
            $0.offset = 100
        }
        var all: [Double] = []
        for (name, query) in queries {
            var times: [Double] = []
            var total = 0
            for _ in 0..<20 {
                let start = clock.now
                total = try await database.registry.searchHouseholds(query).total
                times.append(BenchMeasure.seconds(clock.now - start) * 1000)
            }
            all += times
            times.sort()
            say(
                "  检索 \(name)：命中 \(total) 户，p50 \(BenchMeasure.format(times[10])) 毫秒，最慢 \(BenchMeasure.format(times[19])) 毫秒"
            )
        }
        all.sort()
        say(
            "检索（\(all.count) 次）：p50 \(BenchMeasure.format(all[all.count / 2])) 毫秒，p99 \(BenchMeasure.format(all[all.count * 99 / 100])) 毫秒"
        )
        let start = clock.now
        let duplicates = try await database.registry.duplicateRegistrations()
        say("重复登记检查：\(duplicates.count) 人，\(BenchMeasure.format(BenchMeasure.seconds(clock.now - start) * 1000)) 毫秒")
        let size =
            (try? FileManager.default.attributesOfItem(atPath: folder.appending(path: NodeDatabase.fileName).path)[
                .size] as? Int) ?? 0
        say("数据库文件：\(size / 1_048_576) MiB")
        try await dashboard(database, policy: policy, decided: decided, villages: villages, today: today)
    }

    /// The dashboard at the city and at a county, 20 times each, after decisions on `decided`
    /// (enrolled over the last 12 months, every third terminated since), as the case indexer
    /// writes their summaries.
    func dashboard(
        _ database: NodeDatabase, policy: PolicyService, decided: [String], villages: [DivisionCode], today: CivilDate
    ) async throws {
        var summaries: [CaseSummaryRow] = []
        for (number, household) in decided.enumerated() {
            let village = try DivisionCode(String(household.prefix(12)))
            let monthsAgo = number % 12
            let month = (today.year * 12 + today.month - 1) - monthsAgo
            // No day after today: this month's decisions on its first.
            let enrolled = try CivilDate(
                year: month / 12, month: month % 12 + 1, day: monthsAgo == 0 ? 1 : 1 + number % 28)
            func decision(_ suffix: String, _ outcome: String, on day: CivilDate) -> CaseSummaryRow {
                CaseSummaryRow(
                    caseID: "\(household)-\(suffix)", village: village, kind: "application", programme: "dibao",
                    stage: "closed", holderLevel: nil, closed: true, dueOn: nil, overdueFrom: nil, provisional: false,
                    escalated: false, lastStep: 12, openedOn: day, applicant: "基准", household: household,
                    takenAt: village, updatedAt: 0, outcome: outcome, decidedOn: day)
            }
            summaries.append(decision("E", "enrol", on: enrolled))
            if number % 3 == 0, monthsAgo > 1 {
                let ended = try CivilDate(year: (month + 1) / 12, month: (month + 1) % 12 + 1, day: 1 + number % 28)
                summaries.append(decision("T", "terminate", on: ended))
            }
        }
        for part in stride(from: 0, to: summaries.count, by: 5000) {
            try await database.casework.saveSummaries(
                Array(summaries[part..<min(part + 5000, summaries.count)]), through: nil, rules: nil)
        }
        var names: [DivisionCode: String] = [:]
        for village in villages {
            names[village] = "村\(village.digits.suffix(3))"
            names[try DivisionCode(String(village.digits.prefix(9)))] = "镇\(village.digits.dropFirst(6).prefix(3))"
            names[try DivisionCode(String(village.digits.prefix(6)))] = "县\(village.digits.dropFirst(4).prefix(2))"
        }
        let service = DashboardService(store: DashboardStore(database: database), policy: policy)
        let clock = ContinuousClock()
        for (name, scope) in [("市级", try DivisionCode("321200")), ("某县", try DivisionCode("321281"))] {
            var times: [Double] = []
            var households = 0
            for _ in 0..<20 {
                let start = clock.now
                let dashboard = try await service.dashboard(of: scope, names: names)
                times.append(BenchMeasure.seconds(clock.now - start) * 1000)
                let tiers = dashboard.figure("households")
                households =
                    tiers.flatMap { figure in figure.total.map { figure.value("total.households", in: $0) } } ?? 0
            }
            times.sort()
            say(
                "救助概况 \(name)（在保 \(households) 户，\(summaries.count) 件认定决定）：p50 \(BenchMeasure.format(times[10])) 毫秒，最慢 \(BenchMeasure.format(times[19])) 毫秒"
            )
        }
    }
}

extension RegistryBenchmark {
    /// 24 villages: four in each of two townships of each of three counties.
    static func villages() throws -> [DivisionCode] {
        var villages: [DivisionCode] = []
        for county in ["321281", "321282", "321283"] {
            for township in ["100", "101"] {
                for village in ["201", "202", "203", "204"] {
                    villages.append(try DivisionCode(county + township + village))
                }
            }
        }
        return villages
    }
}
