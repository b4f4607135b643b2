import Foundation
import HTTPTypes
import Hummingbird
import JiuzhuDomain
import NIOCore

/// Serves the OpenAPI 3.1 document of `/api/v1`, generated from the routes as declared,
/// so every API route is described and nothing described is missing. Register it last:
/// it describes the routes added before it, and itself.
struct OpenAPIController {
    let environment: OperatorEnvironment

    func register(_ routes: OperatorRoutes) {
        let route = OperatorRoute(
            method: .get, path: "/api/v1/openapi.json", kind: .api, access: .open, summary: "本文档（OpenAPI 3.1）",
            replies: [.ok(.anyValue, "OpenAPI 3.1 文档")])
        let document = OpenAPIDocument(
            routes: routes.routes + [route], node: environment.node.name, code: environment.node.code)
        let policy = environment.context.policy
        routes.add(route) { _ in
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            // The calculator's dates start where the policy in force does, which can change.
            if let first = try await policy.current()?.calculator.firstDate {
                encoder.userInfo[JSONSchema.policyStartKey] = first
            }
            return Response(
                status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(document))))
        }
    }
}

/// An OpenAPI 3.1 document for the API routes among `routes`: every parameter, body and
/// status with its schema, from each route's declaration and the guard's rules.
struct OpenAPIDocument: Encodable {
    struct Info: Encodable {
        let title: String
        let version: String
        let description: String
    }

    struct Operation: Encodable {
        struct Parameter: Encodable {
            let name: String
            let `in`: String
            let required: Bool
            let description: String?
            let schema: JSONSchema
            /// A value that names something that exists, so a tester reaches the handler.
            let example: String?
        }

        struct Body: Encodable {
            struct Media: Encodable {
                let schema: JSONSchema
                let example: JSONValue?
            }

            let required = true
            let content: [String: Media]
        }

        struct Reply: Encodable {
            let description: String
            let content: [String: [String: JSONSchema]]?
        }

        let summary: String
        let operationId: String
        let parameters: [Parameter]
        let requestBody: Body?
        let responses: [String: Reply]
        let security: [[String: [String]]]
    }

    struct Components: Encodable {
        struct Scheme: Encodable {
            let type = "apiKey"
            let `in`: String
            let name: String
            let description: String
        }

        let securitySchemes: [String: Scheme]
    }

    let openapi = "3.1.0"
    let info: Info
    let paths: [String: [String: Operation]]
    let components: Components

    init(routes: [OperatorRoute], node: String, code: DivisionCode) {
        info = Info(
            title: "社会救助节点接口（\(node)）", version: "1",
            description: """
                会话以 Cookie jiuzhu_session 携带；所有改变数据的请求须在请求头 X-CSRF-Token 中带上登录时返回的 csrfToken。\
                带请求体的请求须注明 Content-Type: application/json（否则 415）；未列出的方法答 405 并在 Allow 中列出可用方法。
                """)
        var paths: [String: [String: Operation]] = [:]
        for route in routes where route.kind == .api {
            var security: [[String: [String]]] = []
            if case .signedIn = route.access {
                security = route.changesState ? [["session": [], "csrf": []]] : [["session": []]]
            }
            var requestBody: Operation.Body?
            if case .json(let schema, let example) = route.acceptedBody {
                requestBody = .init(content: ["application/json": .init(schema: schema, example: example)])
            }
            let operation = Operation(
                summary: route.summary,
                operationId: "\(route.method.rawValue.lowercased())\(route.openAPIPath)",
                parameters: route.pathParameters.map { name in
                    .init(
                        name: name, in: "path", required: true, description: nil,
                        schema: route.pathSchemas[name] ?? (name == route.divisionParameter ? .divisionCode : .text),
                        example: route.examples[name] ?? (name == route.divisionParameter ? code.digits : nil))
                }
                    + route.queryParameters.map {
                        .init(
                            name: $0.name, in: "query", required: false, description: $0.description, schema: $0.schema,
                            example: route.examples[$0.name])
                    },
                requestBody: requestBody, responses: Self.replies(route), security: security)
            paths[route.openAPIPath, default: [:]][route.method.rawValue.lowercased()] = operation
        }
        self.paths = paths
        components = Components(securitySchemes: [
            "session": .init(in: "cookie", name: "jiuzhu_session", description: "登录后设置的会话 Cookie"),
            "csrf": .init(in: "header", name: "X-CSRF-Token", description: "会话的 CSRF 令牌"),
        ])
    }

    /// The route's own replies and the guard's: what a body, a division, sign-in and the
    /// route's permission can bring.
    static func replies(_ route: OperatorRoute) -> [String: Operation.Reply] {
        var replies: [(OperatorRoute.Reply)] = route.replies
        func guardReply(_ status: HTTPResponse.Status, _ description: String) {
            replies.append(.refused(status, description))
        }
        if route.acceptedBody != nil {
            guardReply(.badRequest, "请求体无效：error 说明原因，field 指出字段")
            guardReply(.contentTooLarge, "请求体超过 \(OperatorRequestContext.maximumBodyBytes / 1024) KiB")
            guardReply(.unsupportedMediaType, "请求体的 Content-Type 不是 application/json")
        }
        if let division = route.divisionParameter {
            guardReply(.badRequest, "\(division) 不是有效的行政区划代码")
        }
        if case .signedIn(let permission, let division) = route.access {
            guardReply(.unauthorized, "未登录或会话已过期")
            if division != nil || route.changesState
                || !OperatorRole.allCases.allSatisfy({
                    AccessPolicy.allows($0, permission)
                })
            {
                guardReply(.forbidden, "角色无此权限、辖区之外或 CSRF 令牌不符（已记入审计日志）")
            }
        }
        var merged: [String: Operation.Reply] = [:]
        for reply in replies {
            let code = String(reply.status.code)
            var content: [String: [String: JSONSchema]]?
            switch reply.content {
            case .none: content = nil
            case .json(let schema): content = ["application/json": ["schema": schema]]
            case .csv: content = ["text/csv": ["schema": .text]]
            case .html: content = ["text/html": ["schema": .text]]
            }
            if let existing = merged[code] {
                merged[code] = .init(
                    description: existing.description + "；" + reply.description, content: existing.content ?? content)
            } else {
                merged[code] = .init(description: reply.description, content: content)
            }
        }
        return merged
    }
}
