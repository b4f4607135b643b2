import AsyncHTTPClient
import Foundation
import JiuzhuDomain
import JiuzhuStorage
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization

/// Calls other nodes' federation listeners over mutual TLS, presenting this node's certificate.
///
/// ```swift
/// let client = FederationClient(credentials: credentials)
/// let hello = try await client.hello(parent)
/// let outcome = try await client.push(PushRequest(channel: .registry, changes: batch), to: parent)
/// try await client.shutdown()
/// ```
public final class FederationClient: Sendable {
    /// Hellos, pushes, checksums, repairs and restores.
    private let http: HTTPClient
    /// Pulls, which wait at the parent for changes to arrive.
    private let longPolls: HTTPClient
    private let timeout: TimeAmount
    /// Whether to offer and accept the binary form (``BinaryBatches``); off, the client speaks
    /// only JSON, as a node of the release before does.
    private let binary: Bool
    /// The nodes whose last hello listed the binary form: pushes to them use it.
    private let binaryPeers = Mutex<Set<DivisionCode>>([])

    public init(credentials: NodeCredentials, timeout: TimeAmount = .seconds(10), binary: Bool = true) {
        var configuration = HTTPClient.Configuration(tlsConfiguration: credentials.federationClientTLS())
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 16
        // The replication loops retry with their own short pauses; the client's own retries
        // would keep a request waiting for its whole deadline while the parent is down, and
        // their growing backoff would delay reconnecting once it is back.
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout = .init(connect: timeout, read: .seconds(Int64(FederationProtocol.longPollSeconds) + 30))
        // Long polls hold a connection per downward channel, so they get connections of their own.
        self.longPolls = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        // A connection that carried a backlog's batch keeps a TLS buffer that size (about 1 MiB)
        // for as long as it stays open (NIOSSL preserves its outbound buffer's capacity, and
        // AsyncHTTPClient offers no way to bound it). Long polls never close, so they do not
        // carry pushes; idle push connections close after a few seconds, not the default
        // minute, and only the one the hello every few seconds keeps open holds its buffer.
        configuration.connectionPool.idleTimeout = .seconds(6)
        self.http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        self.timeout = timeout
        self.binary = binary
    }

    /// Says hello to `target` and checks that the node that answered is the one dialled.
    /// `backlog` is how many changes this node still has to push up; the parent shows it.
    public func hello(_ target: TopologyNode, backlog: Int? = nil) async throws(FederationError) -> FederationHello {
        let hello: FederationHello = try await exchange(target, .GET, backlog.map { "hello?backlog=\($0)" } ?? "hello")
        guard hello.server == target.code.digits else {
            throw .wrongNode(target: target.code, answeredAs: hello.server)
        }
        let speaksBinary = binary && hello.changeFormats?.contains(BinaryBatches.mediaType) == true
        binaryPeers.withLock { peers in
            if speaksBinary { peers.insert(target.code) } else { peers.remove(target.code) }
        }
        return hello
    }

    /// Whether `parent`'s last hello listed the binary form, so that pushes to it may use it.
    public func speaksBinary(_ parent: TopologyNode) -> Bool {
        binaryPeers.withLock { $0.contains(parent.code) }
    }

    /// Pushes a batch to the parent as JSON; returns once the parent has committed it.
    public func push(_ batch: PushRequest, to parent: TopologyNode) async throws(FederationError) -> ApplyOutcome {
        try await exchange(parent, .POST, "push", body: .init(contentType: "application/json", bytes: batch.json()))
    }

    /// Pushes records in the binary form (to a parent that ``speaksBinary(_:)``): those of this
    /// node's log positions after `after` through `through`, which the parent applies in that
    /// order when batches overlap.
    public func push(
        _ records: ChangeRecords, channel: ReplicationChannel, after: Int64, through: Int64, to parent: TopologyNode
    ) async throws(FederationError) -> ApplyOutcome {
        // Header and records written straight into the request's buffer: one copy of a batch
        // that may be megabytes, not one into an array and another into the buffer.
        let header = BinaryBatches.pushHeader(channel: channel, count: records.count)
        var body = ByteBufferAllocator().buffer(capacity: header.count + records.bytes.count)
        body.writeBytes(header)
        body.writeBytes(records.bytes)
        return try await exchange(
            parent, .POST, "push?after=\(after)&through=\(through)",
            body: .init(contentType: BinaryBatches.mediaType, buffer: body))
    }

    /// Asks the parent for changes on `channel` addressed to this node's subtree after `position`,
    /// waiting up to `wait` seconds for some to arrive.
    public func pull(
        _ channel: ReplicationChannel, after position: Int64, wait: Int, from parent: TopologyNode
    ) async throws(FederationError) -> PullResponse {
        let (contentType, data) = try await send(
            parent, .GET, "pull?channel=\(channel.rawValue)&after=\(position)&wait=\(wait)",
            accept: binary ? BinaryBatches.mediaType : nil, timeout: .seconds(Int64(wait)) + timeout, over: longPolls)
        // A parent of the release before answers JSON whatever was asked.
        guard contentType == BinaryBatches.mediaType else { return try Self.decode(data, from: parent) }
        do {
            return try BinaryBatches.decodePull(Array(data))
        } catch {
            throw .malformedAnswer(target: parent.code, reason: error.description)
        }
    }

    /// The parent's checksum of this node's subtree on `channel`, with each origin's progress.
    public func checksum(_ channel: ReplicationChannel, at parent: TopologyNode) async throws(FederationError)
        -> ChecksumReport
    {
        try await exchange(parent, .GET, "checksum?channel=\(channel.rawValue)")
    }

    /// How far each origin of this node's subtree has come on `channel` at the parent, without
    /// the checksum: the parent then reads its small progress table instead of every row of the
    /// subtree. A parent of the release before ignores `only` and sends the whole report.
    public func progress(_ channel: ReplicationChannel, at parent: TopologyNode) async throws(FederationError)
        -> [OriginProgress]
    {
        let report: ProgressReport = try await exchange(
            parent, .GET, "checksum?channel=\(channel.rawValue)&only=progress")
        return report.progress
    }

    /// Replaces the parent's copy of one key range of this node's subtree; returns the
    /// parent's checksum of the whole subtree afterwards.
    public func repair(_ page: RowPage, at parent: TopologyNode) async throws(FederationError) -> SubtreeChecksum {
        let body: Body
        do {
            body = .init(contentType: "application/json", bytes: Array(try JSONEncoder().encode(page)))
        } catch {
            throw .malformedAnswer(target: parent.code, reason: "无法编码请求：\(error)")
        }
        return try await exchange(parent, .POST, "repair", body: body)
    }

    /// One page of this node's subtree as the parent holds it, or (`addressed`) of the rows
    /// the parent holds addressed to this node from outside it.
    public func restorePage(
        _ channel: ReplicationChannel, after cursor: ReplicaRowCursor?, addressed: Bool = false,
        from parent: TopologyNode
    ) async throws(FederationError) -> RowPage {
        var path = "restore?channel=\(channel.rawValue)" + (addressed ? "&addressed=1" : "")
        if let cursor {
            path += "&afterEntity=\(Self.encode(cursor.entity))&afterKey=\(Self.encode(cursor.key))"
        }
        return try await exchange(parent, .GET, path)
    }

    /// Closes every connection; call before the node stops.
    public func shutdown() async throws {
        var failure: (any Error)?
        do { try await http.shutdown() } catch { failure = error }
        try await longPolls.shutdown()
        if let failure { throw failure }
    }

    /// A request body and its media type.
    private struct Body {
        let contentType: String
        let bytes: ByteBuffer

        init(contentType: String, bytes: [UInt8]) {
            self.contentType = contentType
            self.bytes = ByteBuffer(bytes: bytes)
        }

        init(contentType: String, buffer: ByteBuffer) {
            self.contentType = contentType
            self.bytes = buffer
        }
    }

    private func exchange<Answer: Decodable>(
        _ target: TopologyNode, _ method: HTTPMethod, _ path: String, body: Body? = nil, timeout: TimeAmount? = nil
    ) async throws(FederationError) -> Answer {
        let (_, data) = try await send(target, method, path, body: body, timeout: timeout)
        return try Self.decode(data, from: target)
    }

    private static func decode<Answer: Decodable>(_ data: Data, from target: TopologyNode) throws(FederationError)
        -> Answer
    {
        do {
            return try JSONDecoder().decode(Answer.self, from: data)
        } catch {
            throw .malformedAnswer(target: target.code, reason: "\(error)")
        }
    }

    /// Sends one request; returns the answer's media type and body when it is 200, else throws
    /// the refusal it carries.
    private func send(
        _ target: TopologyNode, _ method: HTTPMethod, _ path: String, body: Body? = nil, accept: String? = nil,
        timeout: TimeAmount? = nil, over client: HTTPClient? = nil
    ) async throws(FederationError) -> (contentType: String?, body: Data) {
        var request = HTTPClientRequest(url: "https://\(target.federation)/federation/v1/\(path)")
        request.method = method
        if let body {
            request.headers.add(name: "Content-Type", value: body.contentType)
            request.body = .bytes(body.bytes)
        }
        if let accept { request.headers.add(name: "Accept", value: "\(accept), application/json") }
        let status: HTTPResponseStatus
        let contentType: String?
        let data: Data
        do {
            let response = try await (client ?? http).execute(request, timeout: timeout ?? self.timeout)
            status = response.status
            contentType = response.headers.first(name: "Content-Type")
            data = Data(try await response.body.collect(upTo: 64 << 20).readableBytesView)
        } catch {
            if Self.isRefusedConnection(error) { throw .notListening(target: target.code, address: target.federation) }
            throw .unreachable(target: target.code, address: target.federation, reason: Self.describe(error))
        }
        guard status == .ok else {
            let refusal = try? JSONDecoder().decode(FederationRefusal.self, from: data)
            throw .refused(
                target: target.code, status: Int(status.code), code: refusal?.code, reason: refusal?.error ?? "")
        }
        return (contentType, data)
    }

    private static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
    }

    /// Whether nothing listens at the address: the connection was refused outright.
    private static func isRefusedConnection(_ error: any Error) -> Bool {
        switch error {
        case let error as IOError: error.errnoCode == ECONNREFUSED
        case let error as NIOConnectionError: error.connectionErrors.contains { isRefusedConnection($0.error) }
        default: false
        }
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
    /// Nothing listens at the peer's address (the connection was refused): the node is not
    /// running, or is starting. Tried again sooner than other failures (``FailureStreak``).
    case notListening(target: DivisionCode, address: ListenAddress)
    /// The peer answered with a refusal; `code` is nil from a node of the release before codes.
    case refused(target: DivisionCode, status: Int, code: FederationRefusal.Code?, reason: String)
    case malformedAnswer(target: DivisionCode, reason: String)
    case wrongNode(target: DivisionCode, answeredAs: String)

    public var description: String {
        switch self {
        case .unreachable(let target, let address, let reason):
            "无法连接节点 \(target)（\(address)）：\(reason)"
        case .notListening(let target, let address):
            "无法连接节点 \(target)（\(address)）：连接被拒绝，该节点未运行或尚未开始监听"
        case .refused(let target, let status, _, let reason):
            "节点 \(target) 拒绝了请求（HTTP \(status)）" + (reason.isEmpty ? "" : "：\(reason)")
        case .malformedAnswer(let target, let reason):
            "节点 \(target) 的应答无法解析：\(reason)"
        case .wrongNode(let target, let answeredAs):
            "拨打节点 \(target) 的地址，应答的却是节点 \(answeredAs)"
        }
    }
}
