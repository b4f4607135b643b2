import AsyncHTTPClient
import Foundation
import JiuzhuFederation
import NIOCore

/// An operator signed in at a benchmark node through the operator API, sending timed
/// requests. Anything but a success (2xx) stops the benchmark: a figure over failed requests means nothing.
struct BenchOperator: Sendable {
    let client: HTTPClient
    let base: String
    private let cookie: String
    private let csrf: String

    /// Signs in with `POST /api/v1/session` at `https://<address>`.
    static func signIn(_ client: HTTPClient, at address: ListenAddress, username: String, password: String) async throws
        -> BenchOperator
    {
        let base = "https://\(address)"
        var request = HTTPClientRequest(url: "\(base)/api/v1/session")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        let credentials = try JSONSerialization.data(withJSONObject: ["username": username, "password": password])
        request.body = .bytes(ByteBuffer(data: credentials))
        let response = try await client.execute(request, timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 1 << 16)
        guard response.status == .ok, let cookie = response.headers.first(name: "Set-Cookie"),
            let info = try JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any],
            let csrf = info["csrfToken"] as? String
        else { throw BenchError.signInFailed(String(buffer: body)) }
        return BenchOperator(client: client, base: base, cookie: String(cookie.prefix { $0 != ";" }), csrf: csrf)
    }

    /// A signed-in `GET` of `path` (with its query).
    func get(_ path: String) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: base + path)
        request.headers.add(name: "Cookie", value: cookie)
        return request
    }

    /// A signed-in `POST` of a JSON body, with the CSRF token every change needs.
    func post(_ path: String, json: Data) -> HTTPClientRequest {
        var request = get(path)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "X-CSRF-Token", value: csrf)
        request.body = .bytes(ByteBuffer(data: json))
        return request
    }

    /// Sends `request` and returns the answer's body; anything but a success throws.
    func send(_ request: HTTPClientRequest) async throws -> Data {
        try await Self.send(request, on: client)
    }

    /// Sends `request`, built by any session of `client`, and returns the answer's body.
    static func send(_ request: HTTPClientRequest, on client: HTTPClient) async throws -> Data {
        let response = try await client.execute(request, timeout: .seconds(60))
        let body = try await response.body.collect(upTo: 1 << 24)
        guard response.status.code / 100 == 2 else {
            throw BenchError.requestFailed("\(request.url)：\(response.status.code) \(String(buffer: body).prefix(300))")
        }
        return Data(buffer: body)
    }

    /// Sends `request` and reads the whole answer; the round trip in milliseconds.
    func timed(_ request: HTTPClientRequest) async throws -> Double {
        let clock = ContinuousClock()
        let started = clock.now
        _ = try await send(request)
        return BenchMeasure.milliseconds(clock.now - started)
    }

    /// `requests` sent by `clients` concurrent clients, each taking the next one in turn;
    /// every latency in milliseconds and the requests per second over the whole run.
    func concurrently(_ requests: [HTTPClientRequest], clients: Int) async throws -> (
        latencies: [Double], perSecond: Double
    ) {
        let clock = ContinuousClock()
        let started = clock.now
        let latencies = try await withThrowingTaskGroup(of: [Double].self) { group in
            for client in 0..<clients {
                group.addTask {
                    var mine: [Double] = []
                    for index in stride(from: client, to: requests.count, by: clients) {
                        mine.append(try await timed(requests[index]))
                    }
                    return mine
                }
            }
            return try await group.reduce(into: [Double]()) { $0 += $1 }
        }
        return (latencies, Double(latencies.count) / BenchMeasure.seconds(clock.now - started))
    }
}

/// Latencies of one kind of API request in milliseconds: one client in a row, then
/// concurrent clients, with the requests per second those achieved.
struct APIFigures {
    var sequential: [Double]
    var concurrent: [Double]
    var perSecond: Double
}

/// Why a benchmark stopped.
enum BenchError: Error, CustomStringConvertible {
    case signInFailed(String)
    case requestFailed(String)
    case timedOut(String)

    var description: String {
        switch self {
        case .signInFailed(let body): "基准测试账号登录失败：\(body)"
        case .requestFailed(let what): "接口出错：\(what)"
        case .timedOut(let what): "等待超时：\(what)"
        }
    }
}
