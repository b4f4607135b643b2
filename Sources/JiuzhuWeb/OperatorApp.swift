import Foundation
import Hummingbird
import HummingbirdTLS
import JiuzhuDomain
import JiuzhuFederation
import JiuzhuServices
import JiuzhuStorage
import Logging
import NIOCore

/// Everything the operator listener needs to describe its node.
public struct OperatorContext: Sendable {
    public let node: TopologyNode
    public let topology: Topology
    public let database: NodeDatabase
    public let startedAt: Date
    /// How long after its last contact a neighbour still counts as reachable.
    public let freshness: TimeInterval
    /// What `/metrics` shows.
    public let metrics: NodeMetrics
    /// When sessions end and sign-ins lock.
    public var sessionRules: SessionRules { services.signIn.rules }
    /// The node's operations; every page and API route that changes something calls one.
    public let services: NodeServices
    public var policy: PolicyService { services.policy }

    public init(
        node: TopologyNode, topology: Topology, services: NodeServices, startedAt: Date,
        freshness: TimeInterval, metrics: NodeMetrics
    ) {
        self.node = node
        self.topology = topology
        self.database = services.database
        self.services = services
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
            node: node, topology: topology, contacts: try await database.changeLog.peerContacts(),
            childLinks: try await database.changeLog.childLinks(), startedAt: startedAt, now: now, freshness: freshness)
    }
}

/// The operator listener: HTTPS for browsers and phones, with the node's certificate.
public enum OperatorApp {
    public static func build(
        _ operatorContext: OperatorContext, credentials: NodeCredentials, logger: Logger,
        address: ListenAddress? = nil,
        onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
    ) throws -> some ApplicationProtocol {
        let router = try buildRouter(operatorContext, logger: logger).router
        let bind = address ?? operatorContext.node.operator
        return Application(
            router: router,
            server: try .tls(.http1(), tlsConfiguration: credentials.operatorServerTLS()),
            configuration: .init(address: .hostname(bind.host, port: bind.port), serverName: "jiuzhu-operator"),
            onServerRunning: onServerRunning,
            logger: logger
        )
    }

    /// The router with every operator route; the returned `OperatorRoutes` lists the guarded ones.
    static func buildRouter(_ operatorContext: OperatorContext, logger: Logger) throws -> OperatorRoutes {
        let environment = OperatorEnvironment(context: operatorContext, pages: try PageRenderer(), logger: logger)
        let router = Router(context: OperatorRequestContext.self)
        router.middlewares.add(RequestMetricsMiddleware(metrics: operatorContext.metrics, server: "operator"))
        router.middlewares.add(
            SessionMiddleware(database: operatorContext.database, rules: operatorContext.sessionRules))
        router.get("healthz") { _, _ in
            try JSONResponse(["status": "ok", "node": operatorContext.node.code.digits])
        }
        router.get("static/jiuzhu.css") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "max-age=3600"],
                body: .init(byteBuffer: ByteBuffer(string: Stylesheet.css)))
        }
        router.get("static/casework.js") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/javascript; charset=utf-8", .cacheControl: "max-age=3600"],
                body: .init(byteBuffer: ByteBuffer(string: CaseworkScript.javascript)))
        }
        router.get("metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: await operatorContext.metrics.exposition())))
        }
        let routes = OperatorRoutes(router: router, environment: environment)
        SessionController(environment: environment).register(routes)
        HomeController(environment: environment).register(routes)
        NodeController(environment: environment).register(routes)
        DivisionController(environment: environment).register(routes)
        AccountsController(environment: environment).register(routes)
        AuditController(environment: environment).register(routes)
        SecurityController(environment: environment).register(routes)
        CalculatorController(environment: environment, policy: operatorContext.policy).register(routes)
        PolicyController(environment: environment, policy: operatorContext.policy).register(routes)
        let registry = RegistryService(
            environment: environment, policy: operatorContext.policy,
            registration: operatorContext.services.registration)
        RegistryController(environment: environment, registry: registry).register(routes)
        let casework = CaseworkWeb(environment: environment)
        CaseController(environment: environment, cases: casework).register(routes)
        CasePages(environment: environment, cases: casework).register(routes)
        HouseholdCaseController(environment: environment, cases: casework).register(routes)
        HouseholdCasePages(environment: environment, cases: casework).register(routes)
        OnlineApplicationPages(environment: environment, cases: casework).register(routes)
        RegistryPages(environment: environment, registry: registry).register(routes)
        let warnings = WarningsWeb(environment: environment)
        WarningController(environment: environment, warnings: warnings).register(routes)
        WarningPages(environment: environment, warnings: warnings).register(routes)
        DashboardController(environment: environment).register(routes)
        OpenAPIController(environment: environment).register(routes)
        routes.answerUndeclaredMethods(others: [
            "/healthz": [.get], "/metrics": [.get], "/static/jiuzhu.css": [.get], "/static/casework.js": [.get],
        ])
        return routes
    }
}
