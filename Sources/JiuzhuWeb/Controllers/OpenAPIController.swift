import Hummingbird

/// Serves the OpenAPI 3.1 document of `/api/v1`, generated from the routes as declared,
/// so every API route is described and nothing described is missing. Register it last:
/// it describes the routes added before it, and itself.
struct OpenAPIController {
    let environment: OperatorEnvironment

    func register(_ routes: OperatorRoutes) {
        let route = OperatorRoute(
            method: .get, path: "/api/v1/openapi.json", kind: .api, access: .open, summary: "本文档（OpenAPI 3.1）")
        let document = OpenAPIDocument(routes: routes.routes + [route], node: environment.node.name)
        routes.add(route) { _ in try JSONResponse(document).response() }
    }
}

/// An OpenAPI 3.1 document for the API routes among `routes`.
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
        }

        struct Body: Encodable {
            let required = true
            let content: [String: [String: JSONSchema]]
        }

        struct Reply: Encodable {
            let description: String
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

    init(routes: [OperatorRoute], node: String) {
        info = Info(
            title: "社会救助节点接口（\(node)）", version: "1",
            description: "会话以 Cookie jiuzhu_session 携带；所有改变数据的请求须在请求头 X-CSRF-Token 中带上登录时返回的 csrfToken。")
        var paths: [String: [String: Operation]] = [:]
        for route in routes where route.kind == .api {
            var responses: [String: Operation.Reply] = [
                "200": .init(description: "成功"), "400": .init(description: "输入无效，error 说明原因，field 指出字段"),
            ]
            var security: [[String: [String]]] = []
            if case .signedIn = route.access {
                responses["401"] = .init(description: "未登录或会话已过期")
                responses["403"] = .init(description: "角色无此权限、辖区之外或 CSRF 令牌不符（已记入审计日志）")
                security = route.changesState ? [["session": [], "csrf": []]] : [["session": []]]
            }
            if route.requestSchema != nil || route.changesState {
                responses["413"] = .init(description: "请求体超过 64 KiB")
            }
            let operation = Operation(
                summary: route.summary,
                operationId: "\(route.method.rawValue.lowercased())\(route.openAPIPath)",
                parameters: route.pathParameters.map {
                    .init(name: $0, in: "path", required: true, description: nil, schema: .string)
                }
                    + route.queryParameters.map {
                        .init(name: $0.name, in: "query", required: false, description: $0.description, schema: .string)
                    },
                requestBody: route.requestSchema.map { .init(content: ["application/json": ["schema": $0]]) },
                responses: responses, security: security)
            paths[route.openAPIPath, default: [:]][route.method.rawValue.lowercased()] = operation
        }
        self.paths = paths
        components = Components(securitySchemes: [
            "session": .init(in: "cookie", name: "jiuzhu_session", description: "登录后设置的会话 Cookie"),
            "csrf": .init(in: "header", name: "X-CSRF-Token", description: "会话的 CSRF 令牌"),
        ])
    }
}
