import AsyncHTTPClient
import Foundation
import JiuzhuDomain
import JiuzhuFederation
import JiuzhuServices
import JiuzhuStorage

/// A year's applications through every step on the 13-node benchmark cluster, through the
/// operator API of the node that holds each step, as operators would take them: applied for
/// and accepted at the village, investigated with a photo, appraised, checked by the county,
/// reviewed by the township, noticed at the village, and — with every node's clock moved on
/// past the notice period — decided by the township where 兴化市 delegates dibao and by the
/// county elsewhere.
///
/// Each step is taken for every case at once (a wave), once the node that holds it sees the
/// cases at that stage; a wave's time includes the replication that brought the cases there.
/// A sample of county decisions is then taken one at a time, each timed until the village
/// shows the case decided.
public struct CaseworkBenchmark: Sendable {
    public let applications: Int
    /// Concurrent clients at each node.
    public let concurrency: Int
    /// County decisions taken one at a time and timed to the village.
    public let sample: Int
    public let policyText: String
    public let calendarFolder: URL
    public let executable: URL
    let say: @Sendable (String) -> Void

    public init(
        applications: Int, concurrency: Int, sample: Int, policyText: String, calendarFolder: URL, executable: URL,
        say: @escaping @Sendable (String) -> Void
    ) {
        self.applications = applications
        self.concurrency = concurrency
        self.sample = sample
        self.policyText = policyText
        self.calendarFolder = calendarFolder
        self.executable = executable
        self.say = say
    }

    /// The operators of every node, signed in.
    struct Desks {
        let client: HTTPClient
        var sessions: [DivisionCode: [OperatorRole: BenchOperator]] = [:]

        /// Sends a request built by one of the sessions; the answer's body.
        func send(_ request: HTTPClientRequest) async throws -> Data {
            try await BenchOperator.send(request, on: client)
        }

        func session(_ node: TopologyNode, _ role: OperatorRole) throws -> BenchOperator {
            guard let session = sessions[node.code]?[role] else {
                throw BenchError.signInFailed("\(node.code) 没有\(role.chineseName)账号")
            }
            return session
        }
    }

    /// The roles that take steps at each level.
    static func roles(_ level: DivisionLevel) -> [OperatorRole] {
        switch level {
        case .village: [.villageSpecialist]
        case .township: [.townshipClerk, .townshipApprover]
        case .county: [.countyOfficer]
        case .city: [.cityAnalyst]
        }
    }

    public func run() async throws {
        let folder = FileManager.default.temporaryDirectory.appending(path: "jiuzhu-casework-bench-\(getpid())")
        try? FileManager.default.removeItem(at: folder)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let cluster = try BenchCluster(folder: folder, executable: executable, delegating: ["dibao"])
        defer { cluster.stop() }
        var passwords: [DivisionCode: [OperatorRole: (username: String, password: String)]] = [:]
        for node in cluster.topology.nodes {
            for role in Self.roles(node.code.level) {
                passwords[node.code, default: [:]][role] = try await cluster.account(at: node, role: role)
            }
        }
        try await cluster.start()
        say("集群已就绪：\(cluster.topology.nodes.count) 个节点进程（市 1、县 3、乡镇 3、村 6），双向 TLS；兴化市委托乡镇审批低保，其余两县由县级审批。")
        try await cluster.publishRules(policyText: policyText, calendarFolder: calendarFolder, say: say)

        let client = try cluster.operatorClient()
        do {
            try await measure(cluster, client: client, passwords: passwords)
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }

    private func measure(
        _ cluster: BenchCluster, client: HTTPClient,
        passwords: [DivisionCode: [OperatorRole: (username: String, password: String)]]
    ) async throws {
        func signIn() async throws -> Desks {
            var desks = Desks(client: client)
            for node in cluster.topology.nodes {
                for (role, account) in passwords[node.code] ?? [:] {
                    desks.sessions[node.code, default: [:]][role] = try await BenchOperator.signIn(
                        client, at: node.operator, username: account.username, password: account.password)
                }
            }
            return desks
        }
        var desks = try await signIn()
        let clock = ContinuousClock()
        let started = clock.now

        // Applications at the villages, spread evenly.
        let villages = cluster.villages
        var opening: [(TopologyNode, HTTPClientRequest)] = []
        for number in 0..<applications {
            let village = villages[number % villages.count]
            opening.append(
                (
                    village,
                    try desks.session(village, .villageSpecialist).post(
                        "/api/v1/cases", json: Self.application(number, village: village.code))
                ))
        }
        let opened = try await wave("登记申请（村）", opening, desks)
        let caseIDs = try opened.map { body in
            guard let object = try JSONSerialization.jsonObject(with: body) as? [String: Any],
                let caseID = object["caseID"] as? String
            else { throw BenchError.requestFailed("登记申请的回答没有案件编号：\(String(decoding: body, as: UTF8.self))") }
            return caseID
        }
        let county = { (caseID: String) in String(caseID.prefix(6)) }
        // The sample: cases of the counties that decide themselves, held back from the bulk decision.
        let sampled = Set(caseIDs.filter { county($0) != "321281" }.suffix(sample))

        let photo = Data([0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 0x00, 0xFF, 0xD9])
            .base64EncodedString()
        let investigation =
            #""kind":"recordInvestigation","investigation":{"investigators":["李四","张三"],"commitmentSigned":true,"authorisationSigned":true,"findings":"与申报一致"}"#
        try await step(
            cluster, desks, caseIDs, "受理（村）", stage: "awaitingAcceptance", .villageSpecialist,
            #""kind":"accept","programme":"dibao""#)
        _ = try await wave(
            "上传签字材料照片（村）",
            try cluster.villages.flatMap { village in
                try caseIDs.filter { $0.hasPrefix(village.code.digits) }.map { caseID in
                    (
                        village,
                        try desks.session(village, .villageSpecialist).post(
                            "/api/v1/cases/\(caseID)/photos", json: Data(#"{"photos":["\#(photo)"]}"#.utf8))
                    )
                }
            }, desks)
        try await step(cluster, desks, caseIDs, "入户调查（村）", stage: "investigating", .villageSpecialist, investigation)
        try await step(
            cluster, desks, caseIDs, "民主评议（村）", stage: "awaitingAppraisal", .villageSpecialist,
            #""kind":"recordAppraisal""#)
        try await step(
            cluster, desks, caseIDs, "启动核对（县）", stage: "awaitingCheck", .countyOfficer, #""kind":"startCheck""#)
        try await step(
            cluster, desks, caseIDs, "核对结果（县）", stage: "checking", .countyOfficer, #""kind":"recordCheck","note":"无异常""#
        )
        try await step(
            cluster, desks, caseIDs, "初审（乡镇）", stage: "awaitingReview", .townshipApprover, #""kind":"recordReview""#)
        try await step(
            cluster, desks, caseIDs, "张贴公示（村）", stage: "awaitingNotice", .villageSpecialist, #""kind":"postNotice""#)
        let beforeNotice = clock.now - started

        // The notice period passes: every node's clock is moved on ten days alike.
        let restart = clock.now
        try await cluster.restartAll(environment: ["JIUZHU_CLOCK_OFFSET_MS": String(10 * 86_400_000)])
        desks = try await signIn()
        let restarted = clock.now - restart
        say("公示期：全部节点时钟前移 10 天并重启（\(BenchMeasure.format(BenchMeasure.seconds(restarted), digits: 1)) 秒，不计入办理时间）")
        let afterNotice = clock.now
        try await step(
            cluster, desks, caseIDs, "公示结束（村）", stage: "inNotice", .villageSpecialist, #""kind":"closeNotice""#)
        try await step(
            cluster, desks, caseIDs, "审批决定（兴化市乡镇、其余两县县级）", stage: "awaitingDecision", nil,
            #""kind":"decide","outcome":"enrol""#, skipping: sampled)

        // County decisions one at a time, each until the village shows it decided.
        var lags: [Double] = []
        for caseID in sampled.sorted() {
            guard let countyNode = cluster.topology.node(try DivisionCode(county(caseID))),
                let village = villages.first(where: { caseID.hasPrefix($0.code.digits) })
            else { continue }
            let summary = try await cluster.database(countyNode).casework.summary(ofCase: caseID)
            let request = try desks.session(countyNode, .countyOfficer).post(
                "/api/v1/cases/\(caseID)/steps",
                json: Data(#"{"after":\#(summary?.lastStep ?? 0),"kind":"decide","outcome":"enrol"}"#.utf8))
            let sent = clock.now
            _ = try await desks.session(countyNode, .countyOfficer).send(request)
            try Task.checkCancellation()
            let atVillage = try cluster.database(village).casework
            while try await atVillage.summary(ofCase: caseID)?.stage != "decided" {
                guard clock.now - sent < .seconds(60) else { throw BenchError.timedOut("\(caseID) 的决定到达村") }
                try await Task.sleep(for: .milliseconds(1))
            }
            lags.append(BenchMeasure.milliseconds(clock.now - sent))
        }
        let working = beforeNotice + (clock.now - afterNotice)
        try await waitUntilDecided(cluster, count: caseIDs.count)
        let atCity = clock.now - afterNotice + beforeNotice

        say("\n汇总")
        say(
            "  \(applications) 件申请走完全部环节（12 次操作/件）：\(BenchMeasure.format(BenchMeasure.seconds(working), digits: 1)) 秒（不含公示期重启），"
                + "\(BenchMeasure.format(Double(applications) / BenchMeasure.seconds(working), digits: 1)) 件/秒")
        say("  全部决定汇总到市级：\(BenchMeasure.format(BenchMeasure.seconds(atCity), digits: 1)) 秒")
        say(
            "  县级决定到达村（逐件，\(lags.count) 件）：\(BenchMeasure.percentiles(lags))（目标 p99 < 1000 毫秒\(BenchMeasure.percentile(lags.sorted(), 0.99) < 1000 ? " ✔" : " ✘")）"
        )
    }

    /// Takes the step `body` on every case at `stage` (except `skipping`) at the nodes that
    /// hold it, once each such node sees all of them there. `role` nil: the decider of each
    /// case's county (the township approver where delegated, else the county officer).
    private func step(
        _ cluster: BenchCluster, _ desks: Desks, _ caseIDs: [String], _ name: String, stage: String,
        _ role: OperatorRole?, _ body: String, skipping: Set<String> = []
    ) async throws {
        var requests: [(TopologyNode, HTTPClientRequest)] = []
        var seen = 0
        let started = ContinuousClock.now
        for node in try holders(cluster, role) {
            let role = role ?? (node.code.level == .county ? .countyOfficer : .townshipApprover)
            // A case is numbered at the village that took it, under the node's code.
            let mine = caseIDs.count { $0.hasPrefix(node.code.digits) }
            let share = try await waitForStage(cluster, node, stage, count: mine)
            seen += share.count
            for summary in share where !skipping.contains(summary.caseID) {
                requests.append(
                    (
                        node,
                        try desks.session(node, role).post(
                            "/api/v1/cases/\(summary.caseID)/steps",
                            json: Data(#"{"after":\#(summary.lastStep),\#(body)}"#.utf8))
                    ))
            }
        }
        guard seen == caseIDs.count else {
            throw BenchError.requestFailed("\(name)：应有 \(caseIDs.count) 件处于 \(stage)，实际 \(seen) 件")
        }
        _ = try await wave(name, requests, desks, since: started)
    }

    /// The nodes whose operators of `role` act; nil: the deciders (兴化市's township, the other counties).
    private func holders(_ cluster: BenchCluster, _ role: OperatorRole?) throws -> [TopologyNode] {
        let nodes = cluster.topology.nodes
        switch role {
        case .villageSpecialist: return nodes.filter { $0.code.level == .village }
        case .townshipClerk, .townshipApprover: return nodes.filter { $0.code.level == .township }
        case .countyOfficer: return nodes.filter { $0.code.level == .county }
        case nil:
            return nodes.filter {
                ($0.code.level == .township && $0.code.digits.hasPrefix("321281"))
                    || ($0.code.level == .county && $0.code.digits != "321281")
            }
        default: return []
        }
    }

    /// Waits until `node` shows `mine` cases of its jurisdiction at `stage`, and returns them.
    private func waitForStage(_ cluster: BenchCluster, _ node: TopologyNode, _ stage: String, count mine: Int)
        async throws -> [CaseSummaryRow]
    {
        let database = try cluster.database(node)
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(600)
        while true {
            let all = try await database.casework.summaries(
                CaseQuery(within: node.code, openOnly: false, limit: 1_000_000))
            let there = all.filter { $0.stage == stage }
            if there.count >= mine { return there }
            guard clock.now < deadline else {
                throw BenchError.timedOut("\(node.code) 的案件到达“\(stage)”（\(there.count)/\(mine)）")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// Sends `requests` with `concurrency` clients per node; prints the wave's figures and
    /// returns the answers' bodies in order.
    @discardableResult
    private func wave(
        _ name: String, _ requests: [(TopologyNode, HTTPClientRequest)], _ desks: Desks,
        since: ContinuousClock.Instant? = nil
    ) async throws -> [Data] {
        let clock = ContinuousClock()
        let started = since ?? clock.now
        let byNode = Dictionary(grouping: requests.indices, by: { requests[$0].0.code })
        let answers = try await withThrowingTaskGroup(of: [(Int, Data, Double)].self) { group in
            for indices in byNode.values {
                for client in 0..<concurrency {
                    group.addTask {
                        var mine: [(Int, Data, Double)] = []
                        for position in stride(from: client, to: indices.count, by: concurrency) {
                            let index = indices[position]
                            let sent = clock.now
                            let body = try await desks.send(requests[index].1)
                            mine.append((index, body, BenchMeasure.milliseconds(clock.now - sent)))
                        }
                        return mine
                    }
                }
            }
            return try await group.reduce(into: [(Int, Data, Double)]()) { $0 += $1 }
        }
        let elapsed = BenchMeasure.seconds(clock.now - started)
        say(
            "  \(name)：\(requests.count) 次，\(BenchMeasure.format(elapsed, digits: 1)) 秒（含等待上一环节到达），"
                + "\(Int(Double(requests.count) / elapsed)) 次/秒；单次 \(BenchMeasure.percentiles(answers.map(\.2)))")
        return answers.sorted { $0.0 < $1.0 }.map(\.1)
    }

    /// Waits until the city shows all `count` cases decided.
    private func waitUntilDecided(_ cluster: BenchCluster, count: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(600)
        let city = cluster.topology.root
        let database = try cluster.database(city)
        while try await database.casework.summaries(
            CaseQuery(within: city.code, openOnly: false, limit: 1_000_000)
        ).count(where: { $0.stage == "decided" }) < count {
            guard ContinuousClock.now < deadline else { throw BenchError.timedOut("全部决定到达市级") }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Application `number`: one person of working age earning 300 yuan a month, under the
    /// dibao line, with a citizen ID of its own.
    static func application(_ number: Int, village: DivisionCode) -> Data {
        let birth = "\(1970 + number / 1000 % 30)0301"
        let body = "321281" + birth + String(format: "%03d", number % 1000)
        let id = body + String(CitizenID.checkCharacter(for: body.compactMap(\.wholeNumberValue)))
        let declared =
            #"{"registration":"rural","members":[{"birthDate":"\#(birth.prefix(4))-03-01","sex":"\#(number % 2 == 1 ? "male" : "female")","relation":"applicant","ableToWork":true}],"incomes":[{"type":"wages","monthly":30000}]}"#
        return Data(
            #"{"applicant":{"name":"申请人\#(number)","citizenID":"\#(id)"},"situation":"收入很少","village":"\#(village.digits)","declared":\#(declared)}"#
                .utf8)
    }
}
