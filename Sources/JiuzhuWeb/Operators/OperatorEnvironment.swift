import Foundation
import HTTPTypes
import Hummingbird
import JiuzhuDomain
import JiuzhuFederation
import JiuzhuPolicy
import JiuzhuRegistry
import JiuzhuServices
import JiuzhuStorage
import Logging
import NIOCore

/// What every operator route works with: the node, its database, the page renderer.
struct OperatorEnvironment: Sendable {
    let context: OperatorContext
    let pages: PageRenderer
    let logger: Logger

    var node: TopologyNode { context.node }
    var database: NodeDatabase { context.database }
    /// Today in Asia/Shanghai, from the node's clock.
    var today: CivilDate { context.database.wallClock.today() }

    /// Renders a page in the layout, for the signed-in operator if there is one.
    func page(
        _ template: String, title: String, _ view: Any, session: OperatorSession?, status: HTTPResponse.Status = .ok
    ) -> Response {
        let html = pages.render(template, title: title, view: view, node: node, session: session)
        return Response(
            status: status,
            headers: [
                .contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
                .contentSecurityPolicy: Self.contentSecurityPolicy,
                .xContentTypeOptions: "nosniff",
            ],
            body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// What a page may load and do: only this node's own resources and no scripts from
    /// anywhere else; no `<base>` that would re-point its relative links, forms that post
    /// only back to this node, and no framing by another site (clickjacking).
    static let contentSecurityPolicy =
        "default-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

    /// A 303 to `location`, the answer to a form that worked.
    static func redirect(_ location: String, cookies: [Cookie] = []) -> Response {
        var response = Response(status: .seeOther, headers: [.location: location])
        for cookie in cookies { response.setCookie(cookie) }
        return response
    }

    /// The answer to a request that failed: JSON for the API, a page for browsers.
    /// Input errors name the field; unexpected errors are logged and not shown.
    func failure(_ error: any Error, route: OperatorRoute, request: Request, session: OperatorSession?) -> Response {
        let status: HTTPResponse.Status
        let message: String
        var field: String?
        switch error {
        case let refusal as AccessRefusal:
            status = refusal.status
            message = refusal.message
        case let input as InputError:
            status = .badRequest
            message = input.message
            field = input.field
        case let registry as RegistryInputError:
            status = .badRequest
            message = registry.message
            field = registry.field
        case let account as AccountError:
            switch account {
            case .unknown: status = .notFound
            case .duplicate: status = .conflict
            default: status = .badRequest
            }
            message = account.description
            field = account.field
        case let refusal as CaseRefusal:
            switch refusal {
            case .wrongHolder, .outsideJurisdiction: status = .forbidden
            case .closed, .notNow: status = .conflict
            default: status = .badRequest
            }
            message = refusal.description
        // Someone else acted on the case first: each says what, in its description.
        case is CaseConflict, is CaseAlreadyOpen, is CaseOpeningChanged, is WarningChanged:
            status = .conflict
            message = String(describing: error)
        case let missing as CaseNotFound:
            status = .notFound
            message = missing.description
        case let file as PolicyFileError:
            status = .badRequest
            message = file.description
        case let publication as PolicyPublicationError:
            status = .badRequest
            message = publication.description
        case let code as DivisionCodeError:
            status = .badRequest
            message = code.description
        case is NIOTooManyBytesError:
            status = .contentTooLarge
            message = "请求体超过 \(route.maximumBody / 1024) KiB"
        case let http as HTTPError:
            status = http.status
            message =
                http.status == .contentTooLarge
                ? "请求体超过 \(route.maximumBody / 1024) KiB"
                : (http.body ?? http.status.reasonPhrase)
        default:
            logger.error("operator request failed", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
            status = .internalServerError
            message = "服务器内部错误，请稍后再试"
        }
        if route.kind == .api {
            var body: [String: String] = ["error": message]
            if let field { body["field"] = field }
            return (try? JSONResponse(body, status: status).response()) ?? Response(status: status)
        }
        if status == .unauthorized {
            let next = request.uri.path.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/"
            return Self.redirect("/login?next=\(next)")
        }
        let detail = field.map { "（字段 \($0)）" } ?? ""
        return page(
            "error", title: "出错了", ErrorView(status: Int(status.code), message: message + detail),
            session: session, status: status)
    }

    struct ErrorView {
        let status: Int
        let message: String
    }
}

extension HTTPField.Name {
    static let contentSecurityPolicy = HTTPField.Name("Content-Security-Policy")!
    static let xContentTypeOptions = HTTPField.Name("X-Content-Type-Options")!
}
