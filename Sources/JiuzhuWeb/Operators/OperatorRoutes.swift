import Foundation
import HTTPTypes
import Hummingbird
import JiuzhuDomain
import JiuzhuFederation
import JiuzhuServices
import JiuzhuStorage
import Logging
import NIOCore

/// A request that passed its route's guard: who is asking, the body, and the division in
/// the path (already checked to lie inside the operator's jurisdiction).
struct Guarded: Sendable {
    let request: Request
    let context: OperatorRequestContext
    let body: ByteBuffer
    let target: DivisionCode?

    /// The signed-in session; present on every route that is not `.open`.
    var session: OperatorSession? { context.session }

    /// The audit log's name for whoever is asking.
    var actor: AuditActor {
        session.map { AuditActor(name: $0.account.username, role: $0.account.role.rawValue) }
            ?? .anonymous("未登录")
    }

    var form: FormInput { FormInput(body) }

    /// The body decoded as `type`; the guard has already checked that it was sent as JSON.
    func json<T: Decodable>(_ type: T.Type) throws -> T {
        try JSONInput.decode(type, from: body)
    }

    func query(_ name: String) -> String? {
        request.uri.queryParameters[Substring(name)].map(String.init)
    }
}

/// Why the guard stopped a request.
struct AccessRefusal: Error {
    let status: HTTPResponse.Status
    let message: String
}

/// Registers the operator listener's routes behind one guard, and remembers them for the
/// OpenAPI document.
///
/// The guard, in order: a body of at most 64 KiB (else 413); a signed-in session (else 401,
/// or the sign-in page); the route's permission for the operator's role and, where the path
/// names a division, that division inside the operator's jurisdiction (else 403, audited); a
/// body of the declared content type (else 415); a CSRF token on every change (else 403,
/// audited); a JSON body that the route's published schema allows (else 400 naming the field). Reads of personal data are audited when they succeed. No handler checks access
/// or content types itself. A method not declared for a path is answered 405 with `Allow`.
final class OperatorRoutes {
    let router: Router<OperatorRequestContext>
    let environment: OperatorEnvironment
    /// Every route added so far, in order.
    private(set) var routes: [OperatorRoute] = []

    init(router: Router<OperatorRequestContext>, environment: OperatorEnvironment) {
        self.router = router
        self.environment = environment
    }

    typealias Handler = @Sendable (Guarded) async throws -> Response

    func add(_ route: OperatorRoute, _ handler: @escaping Handler) {
        routes.append(route)
        router.on(RouterPath(route.path), method: route.method) { [environment] request, context in
            do {
                let guarded = try await Self.admit(request, context: context, route: route, environment: environment)
                return try await handler(guarded)
            } catch {
                return environment.failure(error, route: route, request: request, session: context.session)
            }
        }
    }

    private static func admit(
        _ request: Request, context: OperatorRequestContext, route: OperatorRoute, environment: OperatorEnvironment
    ) async throws -> Guarded {
        let body = try await request.body.collect(upTo: route.maximumBody)
        guard case .signedIn(let permission, let divisionParameter) = route.access else {
            try checkContentType(request, route: route)
            try checkSchema(body, route: route)
            return Guarded(request: request, context: context, body: body, target: nil)
        }
        guard let session = context.session else {
            throw AccessRefusal(status: .unauthorized, message: "请先登录")
        }
        let account = session.account
        // A path parameter, or an optional query parameter of that name.
        let target = try divisionParameter.flatMap { name -> DivisionCode? in
            guard
                let text = context.parameters.get(name)
                    ?? request.uri.queryParameters[Substring(name)].map(String.init),
                !text.isEmpty
            else { return nil }
            // A household's number (the `id` of the household routes) starts with its village's
            // code: `321281001001-000001`. Any other parameter is a code and nothing else.
            let code = name == "id" ? text.split(separator: "-", maxSplits: 1).first.map(String.init) ?? text : text
            do { return try DivisionCode(code) } catch { throw InputError(field: name, "\(error)") }
        }
        func refuse(_ reason: String) async throws -> Never {
            try await environment.database.operators.audit(
                AuditRecord(
                    actor: account.username, role: account.role.rawValue, action: "access.refused",
                    target: request.uri.path, outcome: .refused, detail: "\(route.summary)：\(reason)"))
            throw AccessRefusal(status: .forbidden, message: reason)
        }
        if case .refused(let reason) = AccessPolicy.decide(
            role: account.role, node: environment.node.code, permission: permission, target: target)
        {
            try await refuse(reason)
        }
        try checkContentType(request, route: route)
        if route.changesState {
            let sent =
                request.headers[.csrfToken] ?? (route.kind == .page ? FormInput(body)["_csrf"] : nil) ?? ""
            if !SecretToken.matches(sent, session.csrfToken) {
                try await refuse("缺少或伪造的 CSRF 令牌")
            }
        }
        try checkSchema(body, route: route)
        if route.auditsRead {
            try await environment.database.operators.audit(
                AuditRecord(
                    actor: account.username, role: account.role.rawValue, action: "read",
                    target: request.uri.description, outcome: .allowed, detail: route.summary))
        }
        return Guarded(request: request, context: context, body: body, target: target)
    }
}

extension OperatorRoutes {
    /// Refuses a body of another content type than the route takes, before anything reads it.
    fileprivate static func checkContentType(_ request: Request, route: OperatorRoute) throws {
        guard let body = route.acceptedBody, !body.admits(request.headers[.contentType]) else { return }
        let sent = request.headers[.contentType].map { "，收到的是 \($0)" } ?? "，请求未注明 Content-Type"
        throw AccessRefusal(status: .unsupportedMediaType, message: "请求体须为 \(body.mediaType)\(sent)")
    }

    /// Refuses a JSON body the route's published schema does not allow, naming the field.
    fileprivate static func checkSchema(_ body: ByteBuffer, route: OperatorRoute) throws {
        guard case .json(let schema, _) = route.acceptedBody else { return }
        try schema.validate(body)
    }

    /// The methods a client may try on a path; each one not declared is answered 405. QUERY
    /// (a safe method with a body, OpenAPI 3.2) is among them.
    static let knownMethods: [HTTPRequest.Method] =
        [.get, .head, .post, .put, .patch, .delete, .options, .trace] + [HTTPRequest.Method("QUERY")].compactMap { $0 }

    /// Answers 405, with the `Allow` header, to every method not declared on a declared path:
    /// the routes added so far and `others` (the open endpoints registered without the guard,
    /// such as `/healthz`). Call it once, after the last route.
    func answerUndeclaredMethods(others: [String: [HTTPRequest.Method]] = [:]) {
        var declared: [String: [HTTPRequest.Method]] = others
        for route in routes { declared[route.path, default: []].append(route.method) }
        for (path, methods) in declared.sorted(by: { $0.key < $1.key }) {
            let allow = methods.map(\.rawValue).joined(separator: ", ")
            for method in Self.knownMethods where !methods.contains(method) {
                router.on(RouterPath(path), method: method) { [environment] request, context in
                    Self.methodNotAllowed(request, allow: allow, environment: environment, session: context.session)
                }
            }
        }
    }

    private static func methodNotAllowed(
        _ request: Request, allow: String, environment: OperatorEnvironment, session: OperatorSession?
    ) -> Response {
        let message = "此地址不接受 \(request.method.rawValue) 请求，可用的方法：\(allow)"
        var response: Response
        if request.uri.path.hasPrefix("/api/") {
            response =
                (try? JSONResponse(["error": message], status: .methodNotAllowed).response())
                ?? Response(status: .methodNotAllowed)
        } else {
            response = environment.page(
                "error", title: "出错了", OperatorEnvironment.ErrorView(status: 405, message: message), session: session,
                status: .methodNotAllowed)
        }
        response.headers[.allow] = allow
        return response
    }
}

extension HTTPField.Name {
    /// The header that carries the session's CSRF token on API calls.
    static let csrfToken = HTTPField.Name("X-CSRF-Token")!
}
