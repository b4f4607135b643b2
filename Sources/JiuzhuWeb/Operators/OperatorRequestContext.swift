import Hummingbird
import JiuzhuServices
import JiuzhuStorage

/// The request context of the operator listener: the signed-in operator's session, once
/// `SessionMiddleware` has found it.
public struct OperatorRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Nil until the session cookie names a live session.
    public var session: OperatorSession?

    public init(source: Source) {
        coreContext = .init(source: source)
    }

    /// Forms and JSON bodies are small; anything larger is refused with 413 before parsing.
    public var maxUploadSize: Int { Self.maximumBodyBytes }

    /// The largest request body the operator listener accepts.
    public static let maximumBodyBytes = 64 * 1024
}

/// Finds the session named by the `jiuzhu_session` cookie. An unknown, expired or
/// tampered token simply leaves the request signed out.
struct SessionMiddleware: RouterMiddleware {
    let database: NodeDatabase
    let rules: SessionRules

    func handle(
        _ request: Request, context: OperatorRequestContext,
        next: (Request, OperatorRequestContext) async throws -> Response
    ) async throws -> Response {
        var context = context
        if let token = request.cookies[SessionCookie.name]?.value, SecretToken.isWellFormed(token) {
            context.session = try await database.operators.liveSession(tokenHash: SecretToken.hash(token), rules: rules)
        }
        return try await next(request, context)
    }
}

/// The cookies the operator listener sets. All are `Secure`, `HttpOnly` and `SameSite=Strict`:
/// the listener is HTTPS only, no script needs them, and no other site may send them.
enum SessionCookie {
    static let name = "jiuzhu_session"
    /// Double-submit token for the sign-in form, which has no session to hold one.
    static let signInName = "jiuzhu_signin"

    static func session(_ token: String, maxAge: Int) -> Cookie {
        Cookie(name: name, value: token, maxAge: maxAge, path: "/", secure: true, httpOnly: true, sameSite: .strict)
    }

    static func signIn(_ token: String) -> Cookie {
        Cookie(
            name: signInName, value: token, maxAge: 3600, path: "/", secure: true, httpOnly: true, sameSite: .strict)
    }

    static func expired(_ name: String) -> Cookie {
        Cookie(name: name, value: "", maxAge: 0, path: "/", secure: true, httpOnly: true, sameSite: .strict)
    }
}
