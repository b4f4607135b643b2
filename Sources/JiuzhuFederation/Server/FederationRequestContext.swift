import Hummingbird
import JiuzhuDomain
import JiuzhuRegistry
import NIOCore
import NIOSSL
import X509

/// Request context on the federation listener: it keeps the TLS channel so that the
/// handler can learn who is calling from the certificate the handshake verified.
public struct FederationRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    let channel: any Channel
    /// The verified caller, set by ``PeerAuthenticator``.
    public var caller: FederationCaller?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.channel = source.channel
    }

    /// The division code of the verified caller when it is a node.
    public var peer: DivisionCode? {
        if case .node(let code) = caller { code } else { nil }
    }

    /// The federation protocol sends small JSON documents; batches arrive in later versions.
    public var maxUploadSize: Int { 8 * 1024 * 1024 }
}

/// Who is calling the federation listener, as the cluster CA's certificate names it: a node
/// (its division code) or a department sending its feeds. A certificate names one or the other,
/// never both (``NodeIdentity``, ``DepartmentIdentity``).
///
/// ```swift
/// switch FederationCaller(certificate: certificate) {
/// case .node(let code)?: …            // the node-to-node routes
/// case .department(let department)?: …  // POST /feeds/{feed} at the city
/// case nil: …                         // refused
/// }
/// ```
public enum FederationCaller: Sendable, Hashable, CustomStringConvertible {
    case node(DivisionCode)
    case department(Department)

    /// The caller a certificate names, or nil when it names neither a node nor a department.
    public init?(certificate: Certificate) {
        if let code = NodeIdentity.divisionCode(in: certificate) {
            self = .node(code)
        } else if let department = DepartmentIdentity.department(in: certificate) {
            self = .department(department)
        } else {
            return nil
        }
    }

    /// How a security event names the caller: the division code's digits, or the department's
    /// code name (letters, so the two never collide).
    public var securityName: String {
        switch self {
        case .node(let code): code.digits
        case .department(let department): department.rawValue
        }
    }

    public var description: String {
        switch self {
        case .node(let code): "节点 \(code)"
        case .department(let department): department.chineseName
        }
    }
}

/// Reads the caller's identity from its validated client certificate and refuses a request
/// whose certificate names neither a node nor a department.
///
/// The TLS handshake has already checked the certificate against the cluster CA; this turns
/// it into the caller for the handlers, which decide whether that kind of caller may call.
public struct PeerAuthenticator: RouterMiddleware {
    public typealias Context = FederationRequestContext

    public init() {}

    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard let certificate = try await context.channel.nioSSL_peerCertificate().get(),
            let parsed = try? Certificate(derEncoded: certificate.toDERBytes()),
            let caller = FederationCaller(certificate: parsed)
        else {
            throw FederationRefusalError(.noIdentity, "客户端证书既未载明节点的行政区划代码，也未载明部门")
        }
        var context = context
        context.caller = caller
        context.logger[metadataKey: "peer"] = "\(caller.securityName)"
        return try await next(request, context)
    }
}
