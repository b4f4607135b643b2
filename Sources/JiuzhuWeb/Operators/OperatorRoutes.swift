import Foundation
import HTTPTypes
import Hummingbird
import JiuzhuDomain
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

    func json<T: Decodable>(_ type: T.Type) throws -> T {
        guard request.headers[.contentType]?.lowercased().hasPrefix("application/json") == true else {
            throw HTTPError(.unsupportedMediaType, message: "请求体须为 application/json")
        }
        return try JSONInput.decode(type, from: body)
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
/// The guard, in order: a signed-in session (else 401, or the sign-in page); the route's
/// permission for the operator's role and, where the path names a division, that division
/// inside the operator's jurisdiction (else 403, audited); a CSRF token on every change
/// (else 403, audited). Reads of personal data are audited when they succeed. No handler
/// checks access itself.
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
        let body = try await request.body.collect(upTo: context.maxUploadSize)
        guard case .signedIn(let permission, let divisionParameter) = route.access else {
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
            // A household's number starts with its village's code: `321281001001-000001`.
            let code = text.split(separator: "-", maxSplits: 1).first.map(String.init) ?? text
            do { return try DivisionCode(code) } catch { throw InputError(field: name, "\(error)") }
        }
        func refuse(_ reason: String) async throws -> Never {
            try await environment.database.audit(
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
        if route.changesState {
            let sent =
                request.headers[.csrfToken] ?? (route.kind == .page ? FormInput(body)["_csrf"] : nil) ?? ""
            if !SecretToken.matches(sent, session.csrfToken) {
                try await refuse("缺少或伪造的 CSRF 令牌")
            }
        }
        if route.auditsRead {
            try await environment.database.audit(
                AuditRecord(
                    actor: account.username, role: account.role.rawValue, action: "read",
                    target: request.uri.description, outcome: .allowed, detail: route.summary))
        }
        return Guarded(request: request, context: context, body: body, target: target)
    }
}

extension HTTPField.Name {
    /// The header that carries the session's CSRF token on API calls.
    static let csrfToken = HTTPField.Name("X-CSRF-Token")!
}
