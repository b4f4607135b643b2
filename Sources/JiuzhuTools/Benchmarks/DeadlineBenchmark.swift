import Foundation
import JiuzhuDomain
import JiuzhuPolicy
import JiuzhuServices
import JiuzhuStorage
import Logging

/// The deadline machinery of one county node holding many open cases: summarising them (each
/// case replayed, its deadline counted on the working-day calendar), the sweep that finds the
/// overdue steps, recomputing every open deadline after a new calendar, and escalating.
///
/// The cases are written as the casework service writes them (a `caseOpened` row each, here in
/// batches of a thousand), at villages of the county, on the node's real SQLite file.
public struct DeadlineBenchmark: Sendable {
    public let cases: Int
    public let policyFile: URL
    public let calendarFolder: URL
    public let say: @Sendable (String) -> Void

    public init(cases: Int, policyFile: URL, calendarFolder: URL, say: @escaping @Sendable (String) -> Void) {
        self.cases = cases
        self.policyFile = policyFile
        self.calendarFolder = calendarFolder
        self.say = say
    }

    public func run() async throws {
        let folder = FileManager.default.temporaryDirectory.appending(
            path: "jiuzhu-deadline-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let time = SettableClock(at: try CivilDate("2026-03-02"))
        let city = try NodeDatabase.open(
            in: folder.appending(path: "city"), for: .init(code: try DivisionCode("321200"), name: "泰州市", role: .city),
            clock: time.clock)
        defer { try? city.close() }
        let countyCode = try DivisionCode("321281")
        let county = try NodeDatabase.open(
            in: folder.appending(path: "county"), for: .init(code: countyCode, name: "兴化市", role: .county),
            clock: time.clock)
        defer { try? county.close() }
        let services = NodeServices(database: county, logger: Logger(label: "bench"))

        // The rules, published at the city and received as the county would receive them.
        _ = try await PolicyService.publish(
            text: try String(contentsOf: policyFile, encoding: .utf8), file: policyFile.lastPathComponent,
            database: city, by: .commandLine)
        let rules = CaseworkRulesService(policy: PolicyService(database: city), store: city.policy)
        for year in ["2025", "2026", "2027"] {
            let text = try String(contentsOf: calendarFolder.appending(path: "\(year).yaml"), encoding: .utf8)
            _ = try await rules.publishCalendar(text: text, file: "\(year).yaml", by: .commandLine)
        }
        try await passDown(from: city, to: county)

        // Open applications at 20 townships × 10 villages of the county, written in batches.
        let clock = ContinuousClock()
        var batch: [LocalChange] = []
        let writeStart = clock.now
        for number in 0..<cases {
            let village = try DivisionCode(
                "321281" + String(format: "%03d", 1 + number % 20) + String(format: "%03d", 1 + (number / 20) % 10))
            let caseID = "321281-" + String(format: "%07d", number + 1)
            let record = CaseOpenedRecord(
                caseID: caseID, kind: .application, programme: nil, village: village.digits, household: nil,
                applicant: CaseApplicant(name: "申请人\(number)", citizenID: "110105194912310021"),
                situation: "生活困难", declared: nil, emergency: false, channel: .otherOffice, takenAt: "321281",
                takenBy: "bench", openedOn: time.clock.today(), openedAt: time.clock.now(), requirements: nil,
                candidates: [], policyVersion: "bench")
            batch.append(
                LocalChange(
                    channel: .casework, entity: RowOwnership.CaseworkEntity.caseOpened.rawValue, key: caseID,
                    jurisdiction: village, payload: String(decoding: try JSONEncoder().encode(record), as: UTF8.self)))
            if batch.count == 1000 || number == cases - 1 {
                try await county.changeLog.commit(batch)
                batch.removeAll(keepingCapacity: true)
            }
        }
        let written = clock.now - writeStart
        say("写入 \(cases) 个未办结案件：\(BenchMeasure.format(BenchMeasure.seconds(written))) 秒")

        let indexStart = clock.now
        while try await services.caseIndexer.catchUp(batch: 2000) > 0 {}
        let indexed = clock.now - indexStart
        say(
            "汇总（逐案重放、按工作日历计算期限）：\(BenchMeasure.format(BenchMeasure.seconds(indexed))) 秒，"
                + "\(Int(Double(cases) / BenchMeasure.seconds(indexed))) 件/秒")

        // The sweep's query over every open step, before any is overdue and once all are.
        var sweeps: [Double] = []
        for _ in 0..<5 {
            let start = clock.now
            _ = try await county.casework.overdueUnescalated(
                within: countyCode, holderLevel: .township, at: time.clock.now())
            _ = try await county.casework.overdueUnescalated(
                within: countyCode, holderLevel: .village, at: time.clock.now())
            sweeps.append(BenchMeasure.milliseconds(clock.now - start))
        }
        say("期限巡检（\(cases) 个未办结环节，无逾期）：\(BenchMeasure.percentiles(sweeps))")
        time.advance(seconds: 10 * 86_400)
        sweeps = []
        var found = 0
        for _ in 0..<5 {
            let start = clock.now
            found = try await county.casework.overdueUnescalated(
                within: countyCode, holderLevel: .village, at: time.clock.now()
            ).count
            sweeps.append(BenchMeasure.milliseconds(clock.now - start))
        }
        say(
            "期限巡检（\(found) 个逾期环节待上报；每次巡检至多取 10000 个，余下的下一次）：\(BenchMeasure.percentiles(sweeps))")

        // A corrected calendar: every open deadline recomputed, each that moved audited.
        let original = try String(contentsOf: calendarFolder.appending(path: "2026.yaml"), encoding: .utf8)
        let corrected =
            original.replacingOccurrences(of: "version: \"2026.1\"", with: "version: \"2026.9\"")
            + "  - name: 基准测试调整\n    off: [2026-03-04, 2026-03-04]\n"
        _ = try await rules.publishCalendar(text: corrected, file: "2026.yaml", by: .commandLine)
        try await passDown(from: city, to: county)
        let recomputeStart = clock.now
        _ = try await services.caseIndexer.catchUp()
        let recomputed = clock.now - recomputeStart
        let moved = try await county.operators.auditCount(action: "casework.deadlineMoved")
        say(
            "发布新日历后重算全部期限：\(BenchMeasure.format(BenchMeasure.seconds(recomputed))) 秒（\(moved) 件期限变动，逐件留痕）")

        let worst = sweeps.max() ?? 0
        say(
            "上报时限：巡检每 10 秒一次，逾期环节最迟在期限后 10 秒 + 一次巡检（最慢 \(BenchMeasure.format(worst)) 毫秒）内上报")
    }

    /// Applies what `city` logged on the policy channel at `county`, as the link would.
    private func passDown(from city: NodeDatabase, to county: NodeDatabase) async throws {
        let logged = try await city.changeLog.logEntries(origin: city.owner.code, channel: .policy)
        _ = try await county.changeLog.applyFromParent(
            logged.map(\.change), parent: city.owner.code, channel: .policy, scannedThrough: logged.last?.position ?? 0)
    }
}
