import Hummingbird
import JiuzhuDomain
import NIOCore
import NIOSSL
import X509

/// Request context on the federation listener: it keeps the TLS channel so that the
/// handler can learn which node is calling from the certificate the handshake verified.
public struct FederationRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    let channel: any Channel
    /// The division code of the verified peer, set by ``PeerAuthenticator``.
    public var peer: DivisionCode?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.channel = source.channel
    }

    /// The federation protocol sends small JSON documents; batches arrive in later versions.
    public var maxUploadSize: Int { 8 * 1024 * 1024 }
}

/// Reads the caller's identity from its validated client certificate and refuses a request
/// whose certificate names no division code.
///
/// The TLS handshake has already checked the certificate against the cluster CA; this
/// turns it into the caller's division code for the handlers.
public struct PeerAuthenticator: RouterMiddleware {
    public typealias Context = FederationRequestContext

    public init() {}

    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard let certificate = try await context.channel.nioSSL_peerCertificate().get(),
            let parsed = try? Certificate(derEncoded: certificate.toDERBytes()),
            let code = NodeIdentity.divisionCode(in: parsed)
        else {
            throw FederationRefusalError(.noIdentity, "客户端证书未载明节点的行政区划代码")
        }
        var context = context
        context.peer = code
        context.logger[metadataKey: "peer"] = "\(code)"
        return try await next(request, context)
    }
}
