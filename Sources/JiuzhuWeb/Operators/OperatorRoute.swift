import HTTPTypes
import Hummingbird
import JiuzhuDomain

/// One route of the operator listener, declared with what it needs. The declaration is
/// all the guard reads and all the OpenAPI document describes, so the two cannot drift.
struct OperatorRoute: Sendable {
    /// A page for browsers or a JSON endpoint under `/api/v1`.
    enum Kind: Sendable { case page, api }

    /// Who may call the route.
    enum Access: Sendable {
        /// Anyone, signed in or not (sign-in itself, health, the OpenAPI document).
        case open
        /// A signed-in operator holding `permission`; with `division`, the path parameter (or,
        /// when given, the query parameter) of that name is a division code that must lie
        /// inside the operator's jurisdiction.
        case signedIn(Permission, division: String? = nil)
    }

    let method: HTTPRequest.Method
    /// Hummingbird's path syntax: `/api/v1/divisions/:code`.
    let path: String
    let kind: Kind
    let access: Access
    /// One line in Chinese for the OpenAPI document.
    let summary: String
    /// Reads personal data: every successful call is audited.
    var auditsRead = false
    /// JSON Schema of the request body, for the OpenAPI document.
    var requestSchema: JSONSchema? = nil

    /// Whether the method changes something, and so needs a CSRF token.
    var changesState: Bool { ![.get, .head, .options].contains(method) }

    /// `/api/v1/divisions/{code}`, as OpenAPI writes paths.
    var openAPIPath: String {
        path.split(separator: "/", omittingEmptySubsequences: false).map { segment in
            segment.hasPrefix(":") ? "{\(segment.dropFirst())}" : String(segment)
        }.joined(separator: "/")
    }

    var pathParameters: [String] {
        path.split(separator: "/").filter { $0.hasPrefix(":") }.map { String($0.dropFirst()) }
    }

    /// Query parameters the route reads, with their meaning, for the OpenAPI document.
    var queryParameters: [(name: String, description: String)] = []
}
