import AsyncHTTPClient
import Foundation
import JiuzhuDomain
import JiuzhuPolicy
import JiuzhuServices
import JiuzhuStorage

/// The calculator's figures: the batch over synthetic households in memory (one thread),
/// one household in-process, and one household through `POST /api/v1/calculator` on a
/// real city node process, alone and with concurrent clients.
public struct CalculatorBenchmark: Sendable {
    public let policyFile: URL
    public let households: Int
    public let requests: Int
    public let concurrency: Int
    public let executable: URL
    public let say: @Sendable (String) -> Void

    public init(
        policyFile: URL, households: Int, requests: Int, concurrency: Int, executable: URL,
        say: @escaping @Sendable (String) -> Void
    ) {
        self.policyFile = policyFile
        self.households = households
        self.requests = requests
        self.concurrency = concurrency
        self.executable = executable
        self.say = say
    }

    /// The date every figure is computed for: after the illustrative mid-year raise.
    static let date = "2026-07-01"

    /// Every figure, with a city node of its own.
    public func run() async throws {
        let text = try String(contentsOf: policyFile, encoding: .utf8)
        _ = try measureInProcess(policyText: text)
        let folder = FileManager.default.temporaryDirectory.appending(path: "jiuzhu-calc-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let cluster = try BenchCluster(folder: folder, executable: executable, cityOnly: true)
        let city = cluster.topology.root
        let database = try cluster.database(city)
        _ = try await PolicyService.publish(text: text, file: "policy.yaml", database: database, by: .commandLine)
        let password = try await cluster.benchAccount(at: city)
        try await cluster.start()
        defer { cluster.stop() }
        let client = try cluster.operatorClient()
        do {
            let session = try await BenchOperator.signIn(
                client, at: city.operator, username: BenchCluster.accountName, password: password)
            let health = HTTPClientRequest(url: "\(session.base)/healthz")
            var baseline: [Double] = []
            for _ in 0..<requests { baseline.append(try await session.timed(health)) }
            say("对照：GET /healthz（同一连接、不登录）顺序 \(requests) 次：\(BenchMeasure.percentiles(baseline))")
            _ = try await measureAPI(as: session)
            let memory = cluster.residentMegabytesByRole()[.city].map { BenchMeasure.format($0) } ?? "?"
            say("市级节点常驻内存：\(memory) MiB")
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }

    /// The batch and one household, in this process.
    func measureInProcess(policyText text: String) throws -> PolicyBenchmark.Figures {
        let document = try PolicyDocument.load(yaml: text, file: policyFile.lastPathComponent)
        let calculator = PolicyCalculator(document: document)
        let date = try CivilDate(Self.date)
        say("政策 \(document.version)，计算日期 \(date)")
        let figures = try PolicyBenchmark.run(
            calculator: calculator, date: date, households: households, rounds: 5,
            singleIterations: max(1000, min(20_000, households)))
        say(
            "批量（单线程，内存中 \(households) 户，每户全部项目）：\(Int(figures.householdsPerSecond)) 户/秒"
                + "（最好一轮 \(BenchMeasure.format(figures.bestBatchSeconds * 1000)) 毫秒；应助未助 \(figures.eligibleNotEnrolled) 户，不再符合 \(figures.enrolledNoLongerEligible) 户）"
        )
        say(
            "单户（进程内）：计算 \(BenchMeasure.format(figures.evaluateMedianMicroseconds)) 微秒，计算并说明 \(BenchMeasure.format(figures.explainMedianMicroseconds)) 微秒（中位数）"
        )
        measureEncoding(calculator, date: date)
        return figures
    }

    /// What the API adds to the calculator in-process: decoding the request and writing the answer.
    private func measureEncoding(_ calculator: PolicyCalculator, date: CivilDate) {
        guard let request = try? WhatIfRequest(json: Self.sampleHousehold),
            let explanation = try? calculator.explain(request.household, on: date)
        else { return }
        let clock = ContinuousClock()
        let rounds = 2000
        let decode =
            clock.measure { for _ in 0..<rounds { _ = try? WhatIfRequest(json: Self.sampleHousehold) } } / rounds
        var size = 0
        let encode = clock.measure { for _ in 0..<rounds { size = explanation.json().count } } / rounds
        say(
            "接口的编解码（进程内）：解码请求 \(BenchMeasure.format(BenchMeasure.seconds(decode) * 1e6)) 微秒，"
                + "写出答复 JSON（\(size) 字节）\(BenchMeasure.format(BenchMeasure.seconds(encode) * 1e6)) 微秒")
    }

    /// One household through the API of `session`'s node: a warm-up, one client in a row, then
    /// `concurrency` clients.
    func measureAPI(as session: BenchOperator) async throws -> APIFigures {
        let request = session.post("/api/v1/calculator", json: Self.sampleHousehold)
        for _ in 0..<min(200, requests) { _ = try await session.timed(request) }
        var sequential: [Double] = []
        for _ in 0..<requests { sequential.append(try await session.timed(request)) }
        say("单户（经接口，单个客户端顺序 \(requests) 次）：\(BenchMeasure.percentiles(sequential))")
        let (concurrent, perSecond) = try await session.concurrently(
            Array(repeating: request, count: requests), clients: concurrency)
        say(
            "单户（经接口，\(concurrency) 个并发客户端共 \(concurrent.count) 次）：\(BenchMeasure.percentiles(concurrent))，"
                + "\(Int(perSecond)) 次/秒")
        return APIFigures(sequential: sequential, concurrent: concurrent, perSecond: perSecond)
    }

    /// A two-person household with wages, as a window clerk would enter it.
    static let sampleHousehold = Data(
        #"""
        {"household":{"registration":"urban","members":[
          {"birthDate":"1958-01-01","sex":"male","relation":"applicant","disability":{"category":"physical","grade":2}},
          {"birthDate":"2012-03-01","sex":"female","relation":"grandchild"}],
         "incomes":[{"type":"wages","monthly":80000},{"type":"assistance","monthly":20000}],
         "expenditures":[{"type":"medical","last12Months":2400000}]},"date":"2026-07-01"}
        """#.utf8)
}
