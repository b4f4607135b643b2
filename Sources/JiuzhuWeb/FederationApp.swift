import Foundation
import Hummingbird
import HummingbirdTLS
import JiuzhuDomain
import JiuzhuFederation
import JiuzhuStorage
import Logging
import NIOCore

/// The node's federation listener: TLS 1.3, client certificates from the cluster CA required.
///
/// ```swift
/// let app = try FederationApp.build(node: city, topology: topology, credentials: credentials,
///                                   database: database, logger: logger)
/// try await app.runService()
/// ```
public enum FederationApp {
    /// Builds the listener; `onServerRunning` receives the bound channel (useful with port 0).
    public static func build(
        node: TopologyNode, topology: Topology, credentials: NodeCredentials, database: NodeDatabase,
        logger: Logger, address: ListenAddress? = nil,
        onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
    ) throws -> some ApplicationProtocol {
        let router = Router(context: FederationRequestContext.self)
        router.middlewares.add(MetricsMiddleware())
        router.middlewares.add(PeerAuthenticator())
        router.get("federation/v1/hello") { _, context in
            guard let peer = context.peer else { throw HTTPError(.forbidden) }
            let relation: FederationHello.Relation =
                if topology.node(peer)?.parent == node.code { .child } else if node.parent == peer { .parent } else {
                    .other
                }
            if relation == .child {
                try await database.recordContact(with: peer, relation: .child, at: Date())
            }
            return try JSONResponse(FederationHello(server: node, peer: peer, relation: relation))
        }
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

/// A `Codable` value sent as JSON, with its content type.
struct JSONResponse<Value: Encodable>: ResponseGenerator {
    let value: Value
    let status: HTTPResponse.Status

    init(_ value: Value, status: HTTPResponse.Status = .ok) throws {
        self.value = value
        self.status = status
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        let data = try encoder.encode(value)
        return Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
