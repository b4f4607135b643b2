import Foundation
import Hummingbird
import HummingbirdTLS
import JiuzhuDomain
import JiuzhuServices
import JiuzhuStorage
import Logging
import NIOCore
import ServiceLifecycle

/// The node's federation listener: TLS 1.3, client certificates from the cluster CA required.
/// Nodes call the node-to-node routes under `/federation/v1`; at the city, departments send
/// their records to `POST /feeds/{feed}` (``FeedController``).
///
/// ```swift
/// let app = try FederationApp.build(node: city, topology: topology, credentials: credentials,
///                                   database: database, logger: logger, feeds: services.warnings)
/// try await app.runService()
/// ```
public enum FederationApp {
    /// Builds the listener; `onServerRunning` receives the bound channel (useful with port 0).
    /// `feeds` imports the departments' records at the city; without it the feed endpoint
    /// answers that the node takes none. `metrics` counts requests, applied changes and refusals.
    public static func build(
        node: TopologyNode, topology: Topology, credentials: NodeCredentials, database: NodeDatabase,
        logger: Logger, address: ListenAddress? = nil, feeds: WarningService? = nil, metrics: NodeMetrics? = nil,
        onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
    ) throws -> some ApplicationProtocol {
        let router = Router(context: FederationRequestContext.self)
        if let metrics { router.middlewares.add(RequestMetricsMiddleware(metrics: metrics, server: "federation")) }
        router.middlewares.add(PeerAuthenticator())
        let controller = FederationController(node: node, topology: topology, database: database, metrics: metrics)
        controller.addRoutes(to: router.group("federation/v1"))
        FeedController(
            node: node, database: database, warnings: feeds, security: controller.security, metrics: metrics
        )
        .addRoutes(to: router)
        let bind = address ?? node.federation
        return Application(
            router: router,
            server: try .tls(.http1(), tlsConfiguration: credentials.federationServerTLS()),
            configuration: .init(address: .hostname(bind.host, port: bind.port), serverName: "jiuzhu-federation"),
            onServerRunning: onServerRunning,
            logger: logger
        )
    }
}

/// The federation endpoints. Everything but `hello` is for direct children only, and every
/// refusal on security grounds is recorded as a security event that travels to the city.
struct FederationController {
    let node: TopologyNode
    let topology: Topology
    let database: NodeDatabase
    let security: SecurityLog
    let metrics: NodeMetrics?
    let sequencer = PushSequencer()
    let links: ChildLinkRecorder

    init(node: TopologyNode, topology: Topology, database: NodeDatabase, metrics: NodeMetrics? = nil) {
        self.node = node
        self.topology = topology
        self.database = database
        self.security = SecurityLog(node: node, database: database)
        self.metrics = metrics
        self.links = ChildLinkRecorder(database: database)
    }

    func addRoutes(to group: RouterGroup<FederationRequestContext>) {
        group.get("hello", use: hello)
        group.post("push", use: push)
        group.get("pull", use: pull)
        group.get("checksum", use: checksum)
        group.post("repair", use: repair)
        group.get("restore", use: restore)
    }

    @Sendable func hello(_ request: Request, context: FederationRequestContext) async throws -> Response {
        let peer = try await requireNode(request, context)
        let relation = relation(of: peer)
        if relation == .child {
            let backlog = request.uri.queryParameters.get("backlog", as: Int.self).map { max(0, $0) }
            try await database.changeLog.recordContact(
                with: peer, relation: .child, at: database.wallClock.date(), reportedBacklog: backlog)
        }
        let policy = try await database.policy.latestPolicy().map {
            PolicyVersionTag(id: $0.id, contentHash: $0.contentHash)
        }
        return try JSONResponse(FederationHello(server: node, peer: peer, relation: relation, policyVersion: policy))
            .response()
    }

    private func relation(of peer: DivisionCode) -> FederationHello.Relation {
        if topology.node(peer)?.parent == node.code { return .child }
        if node.parent == peer { return .parent }
        return .other
    }

    /// A child's batch, as JSON or in the binary form. A pipelining child says after which of
    /// its log positions the batch starts (`after`) and where it ends (`through`), and batches
    /// are applied in that order (``PushSequencer``). Records received in the binary form are
    /// kept for forwarding unchanged (``RelayCache``).
    @Sendable func push(_ request: Request, context: FederationRequestContext) async throws -> Response {
        let peer = try await requireChild(request, context)
        let (batch, records) = try await decodePush(request, context: context)
        try await admit(peer) { () throws(BatchAdmission.Refusal) in
            try BatchAdmission.checkPush(batch, from: peer, to: node, in: topology)
        }
        let query = request.uri.queryParameters
        let order = query.get("after", as: Int64.self).flatMap { after in
            query.get("through", as: Int64.self).map { (after: after, through: $0) }
        }
        if let order { await sequencer.turn(peer: peer, channel: batch.channel, after: order.after) }
        let outcome: AppliedBatch
        do {
            outcome = try await database.changeLog.applyFromChild(batch.changes, channel: batch.channel)
        } catch {
            if order != nil { await sequencer.finish(peer: peer, channel: batch.channel, through: nil) }
            guard let error = error as? ApplyError else { throw error }
            throw try await refusal(error, from: peer)
        }
        if let order { await sequencer.finish(peer: peer, channel: batch.channel, through: order.through) }
        metrics?.applied(batch.changes, new: outcome.applied, channel: batch.channel, from: peer)
        try await links.pushed(peer, channel: batch.channel)
        if let records, let positions = outcome.positions, outcome.skipped == 0, node.parent != nil {
            database.relay.keep(records, at: positions, channel: batch.channel)
        }
        return try JSONResponse(ApplyOutcome(outcome)).response()
    }

    /// A pushed batch, and its records as received when they came in the binary form.
    private func decodePush(_ request: Request, context: FederationRequestContext) async throws -> (
        PushRequest, ChangeRecords?
    ) {
        guard request.headers[.contentType] == BinaryBatches.mediaType else {
            return (try await decode(PushRequest.self, from: request, context: context), nil)
        }
        // Collected into one buffer of the declared size (growing one by doubling copied a
        // batch several times over) and read where it lies; only a node that forwards the
        // records copies them out.
        let declared = request.headers[.contentLength].flatMap { Int($0) } ?? 0
        var body = ByteBufferAllocator().buffer(capacity: min(max(declared, 0), context.maxUploadSize))
        try await request.body.collect(upTo: context.maxUploadSize, into: &body)
        do {
            let (channel, changes, records) = try body.withUnsafeReadableBytes { raw throws(ChangeRecordsError) in
                try BinaryBatches.decodePush(
                    raw.assumingMemoryBound(to: UInt8.self), keepingRecords: node.parent != nil)
            }
            return (PushRequest(channel: channel, changes: changes), records)
        } catch {
            throw FederationRefusalError(.malformedRequest, "请求内容无法解析：\(error)")
        }
    }

    @Sendable func pull(_ request: Request, context: FederationRequestContext) async throws -> Response {
        let peer = try await requireChild(request, context)
        let channel = try channelParameter(request)
        guard channel.flowsDown else {
            throw FederationRefusalError(.malformedRequest, "\(channel.chineseName)通道不向下级传送")
        }
        let after = try integerParameter(request, "after", range: 0...Int64.max)
        let wait = try integerParameter(request, "wait", range: 0...60, default: 0)
        let pruned = try await database.changeLog.prunedThrough(channel)
        guard after >= pruned else {
            throw FederationRefusalError(
                .logPruned,
                "本节点已清理\(channel.chineseName)通道第 \(pruned) 条及以前的变更日志，从第 \(after) 条续拉会漏收；"
                    + "请停止该节点，清空其数据目录后运行 jiuzhu federation restore")
        }
        try await links.pulled(peer, channel: channel, through: after)
        // Take the generation before reading, so that a commit in between ends the wait. The
        // wait is cut in one-second slices because commits by other processes announce
        // themselves only through the node's watcher, and shutdown must not wait for a poll.
        // Entries addressed elsewhere do not end it: the child would only write down that it
        // scanned them and ask again. Each look starts where the last one ended.
        let deadline = ContinuousClock.now + .seconds(wait)
        var seen = database.signal.generation(of: channel)
        var found = try await database.changeLog.changesForChild(
            peer, channel: channel, after: after, scanLimit: FederationProtocol.pullScanLimit)
        while found.changes.isEmpty, ContinuousClock.now < deadline, !Task.isShuttingDownGracefully {
            await database.signal.wait(for: channel, after: seen, timeout: min(.seconds(1), deadline - .now))
            seen = database.signal.generation(of: channel)
            found = try await database.changeLog.changesForChild(
                peer, channel: channel, after: found.scannedThrough, scanLimit: FederationProtocol.pullScanLimit)
        }
        let answer = PullResponse(
            changes: found.changes.map(\.change), scannedThrough: found.scannedThrough,
            clock: try await database.changeLog.currentClock())
        guard request.headers[.accept]?.contains(BinaryBatches.mediaType) == true else {
            return try JSONResponse(answer).response()
        }
        return Response(
            status: .ok, headers: [.contentType: BinaryBatches.mediaType],
            body: .init(byteBuffer: ByteBuffer(bytes: BinaryBatches.pull(answer))))
    }

    @Sendable func checksum(_ request: Request, context: FederationRequestContext) async throws -> Response {
        let peer = try await requireChild(request, context)
        let channel = try channelParameter(request)
        let only = request.uri.queryParameters.get("only")
        if let only, only != "progress" {
            throw FederationRefusalError(.malformedRequest, "参数 only 只能是 progress，收到 \(only)")
        }
        let progress = try await database.changeLog.subtreeProgress(channel: channel, subtree: peer)
        if only != nil { return try JSONResponse(ProgressReport(progress: progress)).response() }
        let checksum = try await database.changeLog.checksum(channel: channel, subtree: peer)
        return try JSONResponse(ChecksumReport(checksum: checksum, progress: progress)).response()
    }

    /// A child re-sends its subtree's rows after their checksums disagreed. The rows obey the
    /// same rules as pushed changes; the sequence numbers it reports are not taken (only pushed
    /// changes move them), and a row at a version never pushed here is left for the push.
    @Sendable func repair(_ request: Request, context: FederationRequestContext) async throws -> Response {
        let peer = try await requireChild(request, context)
        let page = try await decode(RowPage.self, from: request, context: context)
        try await admit(peer) { () throws(BatchAdmission.Refusal) in
            try BatchAdmission.checkRows(page.rows, channel: page.channel, from: peer)
        }
        do {
            try await database.changeLog.repairSubtreeRows(
                channel: page.channel, subtree: peer, after: page.after, through: page.through, rows: page.rows)
        } catch let violation as OwnershipViolation {
            throw try await refusal(.notOwned(violation), from: peer)
        }
        return try JSONResponse(try await database.changeLog.checksum(channel: page.channel, subtree: peer)).response()
    }

    @Sendable func restore(_ request: Request, context: FederationRequestContext) async throws -> Response {
        let peer = try await requireChild(request, context)
        let channel = try channelParameter(request)
        let query = request.uri.queryParameters
        let after = query["afterEntity"].flatMap { entity in
            query["afterKey"].map { ReplicaRowCursor(entity: String(entity), key: String($0)) }
        }
        if query["addressed"] == "1" {
            guard channel.flowsDown else {
                throw FederationRefusalError(.malformedRequest, "\(channel.chineseName)通道不向下级传送")
            }
            let (rows, end) = try await database.changeLog.addressedRows(
                peer, channel: channel, after: after, limit: FederationProtocol.rowPageSize)
            let through = rows.count < FederationProtocol.rowPageSize ? nil : rows.last.map(ReplicaRowCursor.init)
            return try JSONResponse(
                RowPage(channel: channel, after: after, through: through, rows: rows, progress: [], logEnd: end)
            ).response()
        }
        let rows = try await database.changeLog.subtreeRows(
            channel: channel, subtree: peer, after: after, limit: FederationProtocol.rowPageSize)
        let through = rows.count < FederationProtocol.rowPageSize ? nil : rows.last.map(ReplicaRowCursor.init)
        let page = RowPage(
            channel: channel, after: after, through: through, rows: rows,
            progress: try await database.changeLog.subtreeProgress(channel: channel, subtree: peer))
        return try JSONResponse(page).response()
    }

    /// The verified caller, which must be a node: a department's certificate opens no
    /// node-to-node route, and trying is a security event.
    private func requireNode(_ request: Request, _ context: FederationRequestContext) async throws -> DivisionCode {
        switch context.caller {
        case .node(let code)?:
            return code
        case .department(let department)?:
            let refusal = FeedAdmission.Refusal.departmentCertificate(department: department, path: request.uri.path)
            try await security.record(refusal)
            throw FederationRefusalError(refusal.code, refusal.description)
        case nil:
            throw FederationRefusalError(.noIdentity, "客户端证书未载明节点代码")
        }
    }

    /// The verified peer, which must be a direct child of this node.
    private func requireChild(_ request: Request, _ context: FederationRequestContext) async throws -> DivisionCode {
        let peer = try await requireNode(request, context)
        try await admit(peer) { () throws(BatchAdmission.Refusal) in
            try BatchAdmission.checkChild(peer, of: node, in: topology)
        }
        return peer
    }

    /// Runs a check; a refusal is recorded as a security event and answered with 403.
    private func admit(_ peer: DivisionCode, _ check: () throws(BatchAdmission.Refusal) -> Void) async throws {
        do {
            try check()
        } catch {
            throw try await refused(error, peer: peer)
        }
    }

    /// Records a refusal as a security event and beside the child's contact, so that both
    /// the city and this node's operators see it; returns the 403 to answer.
    private func refused(_ refusal: BatchAdmission.Refusal, peer: DivisionCode) async throws -> FederationRefusalError {
        try await security.record(refusal, peer: peer)
        metrics?.refused(from: peer)
        try await database.changeLog.recordFailure(
            with: peer, relation: .child, error: "拒绝了其联邦请求：\(refusal)", at: database.wallClock.date())
        return FederationRefusalError(refusal.code, refusal.description)
    }

    /// The answer to a batch the database refused whole: a gap is 409 (the child re-sends
    /// from where this node's sequence stops); a broken ownership rule or a clock far ahead
    /// is a security refusal.
    private func refusal(_ error: ApplyError, from peer: DivisionCode) async throws -> FederationRefusalError {
        switch error {
        case .gap:
            return FederationRefusalError(.sequenceGap, error.description)
        case .notOwned(let violation):
            return try await refused(.notOwned(peer: peer, violation), peer: peer)
        case .clockAhead(let origin, let lead):
            return try await refused(.clockAhead(peer: peer, origin: origin, lead), peer: peer)
        case .wrongChannel(let expected, let found):
            return try await refused(.wrongChannel(expected: expected, found: found), peer: peer)
        case .notAddressed:
            return FederationRefusalError(.notAddressed, error.description)
        }
    }

    private func decode<T: Decodable>(_ type: T.Type, from request: Request, context: FederationRequestContext)
        async throws -> T
    {
        let body = try await request.body.collect(upTo: context.maxUploadSize)
        do {
            return try JSONDecoder().decode(T.self, from: Data(body.readableBytesView))
        } catch {
            throw FederationRefusalError(.malformedRequest, "请求内容无法解析：\(error)")
        }
    }

    private func channelParameter(_ request: Request) throws -> ReplicationChannel {
        guard let text = request.uri.queryParameters["channel"],
            let channel = ReplicationChannel(rawValue: String(text))
        else {
            throw FederationRefusalError(.malformedRequest, "缺少或未知的参数 channel")
        }
        return channel
    }

    private func integerParameter(
        _ request: Request, _ name: String, range: ClosedRange<Int64>, default value: Int64? = nil
    ) throws -> Int64 {
        guard let text = request.uri.queryParameters[Substring(name)] else {
            if let value { return value }
            throw FederationRefusalError(.malformedRequest, "缺少参数 \(name)")
        }
        guard let number = Int64(String(text)), range.contains(number) else {
            throw FederationRefusalError(.malformedRequest, "参数 \(name)=\(text) 无效")
        }
        return number
    }
}

/// A refused federation request: its code, the status the code carries, and the reason; for a
/// department file refused, its problems by row and field.
struct FederationRefusalError: HTTPResponseError {
    let code: FederationRefusal.Code
    let message: String
    var problems: [FeedProblem]?
    var unlisted: Int?

    init(_ code: FederationRefusal.Code, _ message: String, problems: [FeedProblem]? = nil, unlisted: Int? = nil) {
        self.code = code
        self.message = message
        self.problems = problems
        self.unlisted = unlisted
    }

    var status: HTTPResponse.Status { .init(code: code.status) }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        try JSONResponse(
            FederationRefusal(code: code, error: message, problems: problems, unlisted: unlisted), status: status
        ).response()
    }
}
