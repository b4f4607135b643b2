import Foundation
import Hummingbird
import HummingbirdTLS
import JiuzhuDomain
import JiuzhuFederation
import JiuzhuStorage
import Logging
import NIOCore
import Prometheus

/// Everything the operator listener needs to describe its node.
public struct OperatorContext: Sendable {
    public let node: TopologyNode
    public let topology: Topology
    public let database: NodeDatabase
    public let startedAt: Date
    /// How long after its last contact a neighbour still counts as reachable.
    public let freshness: TimeInterval
    /// Where `/metrics` reads from.
    public let metrics: PrometheusCollectorRegistry

    public init(
        node: TopologyNode, topology: Topology, database: NodeDatabase, startedAt: Date,
        freshness: TimeInterval, metrics: PrometheusCollectorRegistry
    ) {
        self.node = node
        self.topology = topology
        self.database = database
        self.startedAt = startedAt
        self.freshness = freshness
        self.metrics = metrics
    }

    func federationStatus(now: Date) async throws -> FederationStatus {
        try await FederationStatus.read(
            node: node, parent: topology.parent(of: node.code), database: database, now: now)
    }

    func status(now: Date) async throws -> NodeStatus {
        NodeStatus(
            node: node, topology: topology, contacts: try await database.peerContacts(), startedAt: startedAt,
            now: now, freshness: freshness)
    }
}

/// The operator listener: HTTPS for browsers and phones, with the node's certificate.
public enum OperatorApp {
    public static func build(
        _ operatorContext: OperatorContext, credentials: NodeCredentials, logger: Logger,
        address: ListenAddress? = nil,
        onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
    ) throws -> some ApplicationProtocol {
        let router = try buildRouter(operatorContext)
        let bind = address ?? operatorContext.node.operator
        return Application(
            router: router,
            server: try .tls(.http1(), tlsConfiguration: credentials.operatorServerTLS()),
            configuration: .init(address: .hostname(bind.host, port: bind.port), serverName: "jiuzhu-operator"),
            onServerRunning: onServerRunning,
            logger: logger
        )
    }

    static func buildRouter(_ operatorContext: OperatorContext) throws -> Router<BasicRequestContext> {
        let page = try NodePage()
        let router = Router()
        router.middlewares.add(MetricsMiddleware())
        router.get("healthz") { _, _ in
            try JSONResponse(["status": "ok", "node": operatorContext.node.code.digits])
        }
        router.get("/") { _, _ in
            let now = Date()
            let html = page.render(
                try await operatorContext.status(now: now),
                federation: try await operatorContext.federationStatus(now: now),
                now: now)
            return Response(
                status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: html)))
        }
        router.get("api/v1/node") { _, _ in
            try JSONResponse(try await operatorContext.status(now: Date()))
        }
        router.get("api/v1/federation") { _, _ in
            try JSONResponse(try await operatorContext.federationStatus(now: Date()))
        }
        router.get("static/jiuzhu.css") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "max-age=3600"],
                body: .init(byteBuffer: ByteBuffer(string: NodePage.stylesheet)))
        }
        router.get("metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: operatorContext.metrics.emitToBuffer())))
        }
        return router
    }
}
