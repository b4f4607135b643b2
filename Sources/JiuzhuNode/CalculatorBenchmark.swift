import AsyncHTTPClient
import Foundation
import JiuzhuDomain
import JiuzhuPolicy
import JiuzhuStorage
import JiuzhuWeb
import NIOCore
import NIOHTTP1
import Synchronization

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

    public func run() async throws {
        let text = try String(contentsOf: policyFile, encoding: .utf8)
        let document = try PolicyDocument.load(yaml: text, file: policyFile.lastPathComponent)
        let calculator = PolicyCalculator(document: document)
        let date = try CivilDate(Self.date)
        say("政策 \(document.version)，计算日期 \(date)")
        let figures = try PolicyBenchmark.run(
            calculator: calculator, date: date, households: households, rounds: 5,
            singleIterations: max(1000, min(20_000, households)))
        say(
            "批量（单线程，内存中 \(households) 户，每户全部项目）：\(Int(figures.householdsPerSecond)) 户/秒"
                + "（最好一轮 \(Self.format(figures.bestBatchSeconds * 1000)) 毫秒；应助未助 \(figures.eligibleNotEnrolled) 户，不再符合 \(figures.enrolledNoLongerEligible) 户）"
        )
        say(
            "单户（进程内）：计算 \(Self.format(figures.evaluateMedianMicroseconds)) 微秒，计算并说明 \(Self.format(figures.explainMedianMicroseconds)) 微秒（中位数）"
        )
        measureEncoding(calculator, date: date)
        try await measureAPI(text: text)
    }

    /// What the API adds to the calculator in-process: decoding the request and writing the answer.
    private func measureEncoding(_ calculator: PolicyCalculator, date: CivilDate) {
        guard let body = try? Data(contentsOf: Self.sampleHousehold),
            let request = try? WhatIfRequest(json: body),
            let explanation = try? calculator.explain(request.household, on: date)
        else { return }
        let clock = ContinuousClock()
        let rounds = 2000
        let decode = clock.measure { for _ in 0..<rounds { _ = try? WhatIfRequest(json: body) } } / rounds
        var size = 0
        let encode = clock.measure { for _ in 0..<rounds { size = explanation.json().count } } / rounds
        say(
            "接口的编解码（进程内）：解码请求 \(Self.format(Self.seconds(decode) * 1e6)) 微秒，"
                + "写出答复 JSON（\(size) 字节）\(Self.format(Self.seconds(encode) * 1e6)) 微秒")
    }

    private func measureAPI(text: String) async throws {
        let folder = FileManager.default.temporaryDirectory.appending(path: "jiuzhu-calc-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let cluster = try BenchCluster(folder: folder, executable: executable, cityOnly: true)
        let city = cluster.topology.root
        let database = try cluster.database(city)
        _ = try await PolicyService.publish(text: text, file: "policy.yaml", database: database, by: .commandLine)
        let (_, password) = try await AccountAdministration(node: city, database: database)
            .create(username: "bench", displayName: "基准测试", role: .cityAnalyst, by: .commandLine)
        try database.close()
        try await cluster.start()
        defer { cluster.stop() }
        let client = try cluster.operatorClient()
        do {
            let base = "https://\(city.operator)"
            let session = try await signIn(client, base: base, password: password)
            let body = try Data(contentsOf: Self.sampleHousehold)
            var request = HTTPClientRequest(url: "\(base)/api/v1/calculator")
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.headers.add(name: "Cookie", value: session.cookie)
            request.headers.add(name: "X-CSRF-Token", value: session.csrf)
            request.body = .bytes(ByteBuffer(data: body))

            for _ in 0..<min(200, requests) { _ = try await call(client, request) }
            let health = HTTPClientRequest(url: "\(base)/healthz")
            var baseline: [Double] = []
            for _ in 0..<requests { baseline.append(try await call(client, health)) }
            say("对照：GET /healthz（同一连接、不登录）顺序 \(requests) 次：\(Self.percentiles(baseline))")
            var sequential: [Double] = []
            for _ in 0..<requests { sequential.append(try await call(client, request)) }
            say("单户（经接口，单个客户端顺序 \(requests) 次）：\(Self.percentiles(sequential))")

            let clock = ContinuousClock()
            let started = clock.now
            let prepared = request
            let latencies = try await withThrowingTaskGroup(of: [Double].self) { group in
                for _ in 0..<concurrency {
                    group.addTask {
                        var mine: [Double] = []
                        for _ in 0..<requests / concurrency { mine.append(try await call(client, prepared)) }
                        return mine
                    }
                }
                return try await group.reduce(into: [Double]()) { $0 += $1 }
            }
            let seconds = Self.seconds(clock.now - started)
            say(
                "单户（经接口，\(concurrency) 个并发客户端共 \(latencies.count) 次）：\(Self.percentiles(latencies))，"
                    + "\(Int(Double(latencies.count) / seconds)) 次/秒")
            let memory = cluster.residentMegabytesByRole()[.city].map { Self.format($0) } ?? "?"
            say("市级节点常驻内存：\(memory) MiB")
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }

    /// A two-person household with wages, as a window clerk would enter it.
    static var sampleHousehold: URL {
        let file = FileManager.default.temporaryDirectory.appending(path: "jiuzhu-bench-household.json")
        let json = #"""
            {"household":{"registration":"urban","members":[
              {"birthDate":"1958-01-01","sex":"male","relation":"applicant","disability":{"category":"physical","grade":2}},
              {"birthDate":"2012-03-01","sex":"female","relation":"grandchild"}],
             "incomes":[{"type":"wages","monthly":80000},{"type":"assistance","monthly":20000}],
             "expenditures":[{"type":"medical","last12Months":2400000}]},"date":"2026-07-01"}
            """#
        FileManager.default.createFile(atPath: file.path, contents: Data(json.utf8))
        return file
    }

    private func signIn(_ client: HTTPClient, base: String, password: String) async throws -> (
        cookie: String, csrf: String
    ) {
        var request = HTTPClientRequest(url: "\(base)/api/v1/session")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: #"{"username":"bench","password":"\#(password)"}"#))
        let response = try await client.execute(request, timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 1 << 16)
        guard response.status == .ok, let cookie = response.headers.first(name: "Set-Cookie"),
            let info = try JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any],
            let csrf = info["csrfToken"] as? String
        else { throw BenchmarkError.signInFailed(String(buffer: body)) }
        return (String(cookie.prefix { $0 != ";" }), csrf)
    }

    /// One request; its latency in milliseconds. Anything but 200 stops the benchmark.
    private func call(_ client: HTTPClient, _ request: HTTPClientRequest) async throws -> Double {
        let clock = ContinuousClock()
        let started = clock.now
        let response = try await client.execute(request, timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 1 << 20)
        let elapsed = Self.seconds(clock.now - started) * 1000
        guard response.status == .ok else { throw BenchmarkError.requestFailed(String(buffer: body)) }
        return elapsed
    }

    enum BenchmarkError: Error, CustomStringConvertible {
        case signInFailed(String)
        case requestFailed(String)

        var description: String {
            switch self {
            case .signInFailed(let body): "基准测试账号登录失败：\(body)"
            case .requestFailed(let body): "计算器接口出错：\(body)"
            }
        }
    }

    static func percentiles(_ milliseconds: [Double]) -> String {
        let sorted = milliseconds.sorted()
        func at(_ fraction: Double) -> String {
            format(sorted[min(sorted.count - 1, Int(Double(sorted.count) * fraction))])
        }
        return "p50 \(at(0.5)) 毫秒，p99 \(at(0.99)) 毫秒"
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }

    static func format(_ value: Double) -> String { String(format: value < 10 ? "%.2f" : "%.1f", value) }
}
