import AsyncHTTPClient
import Foundation
import JiuzhuDomain
import JiuzhuStorage
import NIOCore
import NIOHTTP1
import NIOSSL

/// Calls other nodes' federation listeners over mutual TLS, presenting this node's certificate.
///
/// ```swift
/// let client = FederationClient(credentials: credentials)
/// let hello = try await client.hello(parent)
/// let outcome = try await client.push(PushRequest(channel: .registry, changes: batch), to: parent)
/// try await client.shutdown()
/// ```
public final class FederationClient: Sendable {
    private let http: HTTPClient
    private let timeout: TimeAmount

    public init(credentials: NodeCredentials, timeout: TimeAmount = .seconds(10)) {
        var configuration = HTTPClient.Configuration(tlsConfiguration: credentials.federationClientTLS())
        // Long polls hold a connection per downward channel; pushes use their own.
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 16
        // The replication loops retry with their own short pauses; the client's own retries
        // would keep a request waiting for its whole deadline while the parent is down, and
        // their growing backoff would delay reconnecting once it is back.
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout = .init(connect: timeout, read: .seconds(Int64(FederationProtocol.longPollSeconds) + 30))
        self.http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        self.timeout = timeout
    }

    /// Says hello to `target` and checks that the node that answered is the one dialled.
    /// `backlog` is how many changes this node still has to push up; the parent shows it.
    public func hello(_ target: TopologyNode, backlog: Int? = nil) async throws(FederationError) -> FederationHello {
        let hello: FederationHello = try await exchange(target, .GET, backlog.map { "hello?backlog=\($0)" } ?? "hello")
        guard hello.server == target.code.digits else {
            throw .wrongNode(target: target.code, answeredAs: hello.server)
        }
        return hello
    }

    /// Pushes a batch to the parent; returns once the parent has committed it.
    public func push(_ batch: PushRequest, to parent: TopologyNode) async throws(FederationError) -> ApplyOutcome {
        try await exchange(parent, .POST, "push", body: batch)
    }

    /// Asks the parent for changes on `channel` addressed to this node's subtree after `position`,
    /// waiting up to `wait` seconds for some to arrive.
    public func pull(
        _ channel: ReplicationChannel, after position: Int64, wait: Int, from parent: TopologyNode
    ) async throws(FederationError) -> PullResponse {
        try await exchange(
            parent, .GET, "pull?channel=\(channel.rawValue)&after=\(position)&wait=\(wait)",
            timeout: .seconds(Int64(wait)) + timeout)
    }

    /// The parent's checksum of this node's subtree on `channel`, with each origin's progress.
    public func checksum(_ channel: ReplicationChannel, at parent: TopologyNode) async throws(FederationError)
        -> ChecksumReport
    {
        try await exchange(parent, .GET, "checksum?channel=\(channel.rawValue)")
    }

    /// Replaces the parent's copy of one key range of this node's subtree; returns the
    /// parent's checksum of the whole subtree afterwards.
    public func repair(_ page: RowPage, at parent: TopologyNode) async throws(FederationError) -> SubtreeChecksum {
        try await exchange(parent, .POST, "repair", body: page)
    }

    /// One page of this node's subtree as the parent holds it.
    public func restorePage(
        _ channel: ReplicationChannel, after cursor: ReplicaRowCursor?, from parent: TopologyNode
    ) async throws(FederationError) -> RowPage {
        var path = "restore?channel=\(channel.rawValue)"
        if let cursor {
            path += "&afterEntity=\(Self.encode(cursor.entity))&afterKey=\(Self.encode(cursor.key))"
        }
        return try await exchange(parent, .GET, path)
    }

    /// Closes every connection; call before the node stops.
    public func shutdown() async throws {
        try await http.shutdown()
    }

    private func exchange<Answer: Decodable>(
        _ target: TopologyNode, _ method: HTTPMethod, _ path: String, body: (some Encodable)? = String?.none,
        timeout: TimeAmount? = nil
    ) async throws(FederationError) -> Answer {
        var request = HTTPClientRequest(url: "https://\(target.federation)/federation/v1/\(path)")
        request.method = method
        do {
            if let body {
                request.headers.add(name: "Content-Type", value: "application/json")
                let json = try (body as? PushRequest)?.json() ?? Array(JSONEncoder().encode(body))
                request.body = .bytes(ByteBuffer(bytes: json))
            }
        } catch {
            throw .malformedAnswer(target: target.code, reason: "无法编码请求：\(error)")
        }
        let status: HTTPResponseStatus
        let data: Data
        do {
            let response = try await http.execute(request, timeout: timeout ?? self.timeout)
            status = response.status
            data = Data(try await response.body.collect(upTo: 64 << 20).readableBytesView)
        } catch {
            throw .unreachable(target: target.code, address: target.federation, reason: Self.describe(error))
        }
        guard status == .ok else {
            let refusal = try? JSONDecoder().decode(FederationRefusal.self, from: data)
            throw .refused(
                target: target.code, status: Int(status.code), code: refusal?.code, reason: refusal?.error ?? "")
        }
        do {
            return try JSONDecoder().decode(Answer.self, from: data)
        } catch {
            throw .malformedAnswer(target: target.code, reason: "\(error)")
        }
    }

    private static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
    }

    private static func describe(_ error: any Error) -> String {
        switch error {
        case let error as NIOSSLError: "TLS 错误：\(error)"
        case let error as BoringSSLError: "TLS 错误：\(error)"
        case let error as HTTPClientError where error == .connectTimeout: "连接超时"
        case let error as HTTPClientError where error == .deadlineExceeded: "应答超时"
        default: "\(error)"
        }
    }
}

/// Why a call to another node failed.
public enum FederationError: Error, Equatable, Sendable, CustomStringConvertible {
    case unreachable(target: DivisionCode, address: ListenAddress, reason: String)
    /// The peer answered with a refusal; `code` is nil from a node of the release before codes.
    case refused(target: DivisionCode, status: Int, code: FederationRefusal.Code?, reason: String)
    case malformedAnswer(target: DivisionCode, reason: String)
    case wrongNode(target: DivisionCode, answeredAs: String)

    public var description: String {
        switch self {
        case .unreachable(let target, let address, let reason):
            "无法连接节点 \(target)（\(address)）：\(reason)"
        case .refused(let target, let status, _, let reason):
            "节点 \(target) 拒绝了请求（HTTP \(status)）" + (reason.isEmpty ? "" : "：\(reason)")
        case .malformedAnswer(let target, let reason):
            "节点 \(target) 的应答无法解析：\(reason)"
        case .wrongNode(let target, let answeredAs):
            "拨打节点 \(target) 的地址，应答的却是节点 \(answeredAs)"
        }
    }
}
