import Foundation
import HTTPTypes
import Hummingbird
import JiuzhuDomain

/// One route of the operator listener, declared with what it needs, what it accepts and what
/// it answers. The declaration is all the guard reads and all the OpenAPI document describes,
/// so the two cannot drift.
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

    /// The body a route takes; the guard answers 415 to any other content type.
    enum Body: Sendable {
        /// `application/json` of this schema; the example is one that succeeds.
        case json(JSONSchema, example: JSONValue? = nil)
        /// `application/x-www-form-urlencoded`, as the pages' forms post.
        case form
    }

    /// What a route answers with a status.
    enum Content: Sendable {
        case none
        case json(JSONSchema)
        case csv
        /// A page, or the 303 that follows a form.
        case html
    }

    /// One status a route answers, with what it means and its body.
    struct Reply: Sendable {
        let status: HTTPResponse.Status
        let description: String
        var content: Content = .none

        static func ok(_ schema: JSONSchema, _ description: String = "成功") -> Reply {
            Reply(status: .ok, description: description, content: .json(schema))
        }

        static func created(_ schema: JSONSchema, _ description: String = "已创建") -> Reply {
            Reply(status: .created, description: description, content: .json(schema))
        }

        static let noContent = Reply(status: .noContent, description: "成功，无内容")

        /// A refusal of the route's own (not one of the guard's), with the error body.
        static func refused(_ status: HTTPResponse.Status, _ description: String) -> Reply {
            Reply(status: status, description: description, content: .json(.refusal))
        }

        /// Input the schema allows but a rule beyond it refuses (a query value, a field).
        static func invalid(_ description: String) -> Reply { refused(.badRequest, description) }
    }

    /// A query parameter the route reads.
    struct QueryParameter: Sendable {
        let name: String
        let description: String
        var schema: JSONSchema = .text
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
    /// The body the route takes; nil for none. A page's form posts default to `.form`.
    var body: Body? = nil
    /// The largest body the route takes (the guard answers 413 beyond it).
    var maximumBody = OperatorRequestContext.maximumBodyBytes
    /// The statuses the handler answers; the guard's own (400 for a body or a division that
    /// cannot be read, 401, 403, 413, 415) are added from the rest of the declaration.
    var replies: [Reply] = []
    /// Query parameters the route reads, for the OpenAPI document.
    var queryParameters: [QueryParameter] = []
    /// The schema of each path parameter; a division code for the one `access` names.
    var pathSchemas: [String: JSONSchema] = [:]
    /// An example of a path or query parameter that names something that may exist (the
    /// division one defaults to the node's own code).
    var examples: [String: String] = [:]

    /// Whether the method changes something, and so needs a CSRF token.
    var changesState: Bool { ![.get, .head, .options].contains(method) }

    /// The body the guard admits: as declared, or a form for a page that posts.
    var acceptedBody: Body? { body ?? (kind == .page && changesState ? .form : nil) }

    /// `/api/v1/divisions/{code}`, as OpenAPI writes paths.
    var openAPIPath: String {
        path.split(separator: "/", omittingEmptySubsequences: false).map { segment in
            segment.hasPrefix(":") ? "{\(segment.dropFirst())}" : String(segment)
        }.joined(separator: "/")
    }

    var pathParameters: [String] {
        path.split(separator: "/").filter { $0.hasPrefix(":") }.map { String($0.dropFirst()) }
    }

    /// The parameter whose division the guard checks, if any.
    var divisionParameter: String? {
        guard case .signedIn(_, let division) = access else { return nil }
        return division
    }
}

extension OperatorRoute.Body {
    /// The media type the body must be sent as.
    var mediaType: String {
        switch self {
        case .json: "application/json"
        case .form: "application/x-www-form-urlencoded"
        }
    }

    /// Whether a `Content-Type` header names this body's media type (parameters such as
    /// `charset` aside, letter case ignored).
    func admits(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        let type = contentType.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        return type.trimmingCharacters(in: .whitespaces).lowercased() == mediaType
    }
}
