import Foundation
import JiuzhuDomain
import JiuzhuPolicy
import JiuzhuRegistry
import JiuzhuStorage
import JiuzhuWeb
import Logging

/// Search at the city over a registry of the given size: households generated
/// deterministically for 24 villages, applied at a city database as replication would apply
/// them, indexed and profiled, then searched with the filters operators use.
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
        var generator = SyntheticRegistry(seed: 2026)
        var sequences: [DivisionCode: Int64] = [:]
        var pending: [Change] = []
        let applyStart = clock.now
        for _ in 0..<households {
            let record = generator.next()
            let sequence = (sequences[record.village] ?? 0) + 1
            sequences[record.village] = sequence
            pending.append(
                Change(
                    origin: record.village, originSequence: sequence,
                    clock: HybridLogicalClock(milliseconds: 1_700_000_000_000 + sequence, counter: 0),
                    channel: .registry,
                    entity: "household", key: record.id, jurisdiction: record.village, payload: record.json()))
            if pending.count == 5000 {
                _ = try await database.applyFromChild(pending, channel: .registry)
                pending.removeAll(keepingCapacity: true)
            }
        }
        if !pending.isEmpty { _ = try await database.applyFromChild(pending, channel: .registry) }
        let applied = clock.now - applyStart
        say("写入 \(households) 户（\(sequences.count) 个村，按复制方式应用）：\(BenchMeasure.format(BenchMeasure.seconds(applied))) 秒")

        let policy = PolicyService(database: database)
        let indexer = RegistryIndexer(database: database, policy: policy, logger: Logger(label: "bench"))
        let indexStart = clock.now
        while try await indexer.catchUp(batch: 5000) > 0 {}
        let indexed = clock.now - indexStart
        say(
            "建立索引与画像：\(BenchMeasure.format(BenchMeasure.seconds(indexed))) 秒（\(Int(Double(households) / max(0.001, BenchMeasure.seconds(indexed)))) 户/秒）"
        )

        let today = CivilDate.today()
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
                total = try await database.searchHouseholds(query).total
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
        let duplicates = try await database.duplicateRegistrations()
        say("重复登记检查：\(duplicates.count) 人，\(BenchMeasure.format(BenchMeasure.seconds(clock.now - start) * 1000)) 毫秒")
        let size =
            (try? FileManager.default.attributesOfItem(atPath: folder.appending(path: NodeDatabase.fileName).path)[
                .size] as? Int) ?? 0
        say("数据库文件：\(size / 1_048_576) MiB")
    }
}

/// Deterministic households for 24 villages, with valid citizen IDs, plausible ages,
/// disability and illness rates, incomes and enrolments; every 500th household repeats a
/// member of the one before it (a duplicate registration to find).
struct SyntheticRegistry {
    private var state: UInt64
    private var counter = 0
    private var previousChild: PersonRecord?
    private let villages: [DivisionCode]

    init(seed: UInt64) {
        state = seed
        var villages: [DivisionCode] = []
        for county in ["321281", "321282", "321283"] {
            for township in ["100", "101"] {
                for village in ["201", "202", "203", "204"] {
                    if let code = try? DivisionCode(county + township + village) { villages.append(code) }
                }
            }
        }
        self.villages = villages
    }

    private mutating func random(_ bound: Int) -> Int {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Int((state >> 33) % UInt64(bound))
    }

    private mutating func person(region: String, relation: Relation, born year: Int) -> PersonRecord {
        let month = 1 + random(12)
        let day = 1 + random(28)
        let sequence = String(format: "%03d", random(1000))
        let body = region + String(format: "%04d%02d%02d", year, month, day) + sequence
        let id = body + String(CitizenID.checkCharacter(for: body.compactMap(\.wholeNumberValue)))
        let sex: Sex = (Int(String(sequence.last ?? "0")) ?? 0) % 2 == 1 ? .male : .female
        let grade = random(100) < 7 ? 1 + random(4) : nil
        return PersonRecord(
            citizenID: id,
            name: ["王", "李", "张", "刘", "陈", "杨", "赵", "黄"][random(8)] + ["建国", "秀英", "小丽", "强", "梅"][random(5)],
            sex: sex, birthDate: (try? CivilDate(year: year, month: month, day: day)) ?? CivilDate.earliest,
            relation: relation, disability: grade.map { .init(category: .physical, grade: $0) },
            seriousIllness: random(100) < 5, ableToWork: year > 1966 && year < 2008 && grade == nil,
            leftBehind: year >= 2010 && random(100) < 10)
    }

    mutating func next() -> HouseholdRecord {
        counter += 1
        let village = villages[random(villages.count)]
        let region = String(village.digits.prefix(6))
        var members = [person(region: region, relation: .applicant, born: 1940 + random(50))]
        for _ in 0..<random(4) {
            members.append(
                person(
                    region: region, relation: [.spouse, .child, .grandchild, .parent][random(4)],
                    born: 1945 + random(75)))
        }
        if counter % 500 == 0, let repeated = previousChild { members.append(repeated) }
        previousChild = members.last
        let wages = Int64(random(4) == 0 ? 0 : 20000 + random(200_000))
        let enrolments: [Programme] = wages < 50000 && random(3) == 0 ? [.dibao] : []
        return HouseholdRecord(
            id: "\(village.digits)-B\(String(format: "%07d", counter))", village: village, address: "第 \(counter) 号",
            registration: random(3) == 0 ? .urban : .rural, members: members,
            incomes: wages > 0
                ? [
                    IncomeDeclaration(
                        type: .wages, monthly: Fen(wages), irregular: random(5) == 0, declaredOn: CivilDate.earliest)
                ] : [],
            expenditures: random(10) == 0 ? [.init(type: .medical, last12Months: Fen(Int64(random(5_000_000))))] : [],
            enrolments: enrolments)
    }
}
