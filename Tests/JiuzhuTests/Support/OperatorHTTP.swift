import AsyncHTTPClient
import Foundation
import JiuzhuFederation
import NIOCore
import NIOHTTP1
import NIOSSL

/// An operator's HTTPS client for live nodes: trusts the cluster's CA, signs in through the
/// API and carries the session cookie and CSRF token.
final class OperatorHTTP: @unchecked Sendable {
    let client: HTTPClient
    private var sessions: [String: (cookie: String, csrf: String)] = [:]

    init(certificates: URL) throws {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates([
            try NIOSSLCertificate(file: certificates.appending(path: "ca.pem").path, format: .pem)
        ])
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(tlsConfiguration: tls))
    }

    func shutdown() async { try? await client.shutdown() }

    /// Signs `username` in at `node`; later calls to that node use the session.
    func signIn(_ node: TopologyNode, _ username: String, _ password: String) async throws {
        let (status, body, headers) = try await send(
            node, .POST, "/api/v1/session", json: #"{"username":"\#(username)","password":"\#(password)"}"#)
        guard status == 200, let cookie = headers.first(name: "Set-Cookie"),
            let info = try JSONSerialization.jsonObject(with: body) as? [String: Any],
            let csrf = info["csrfToken"] as? String
        else { throw HTTPError.signInFailed(String(decoding: body, as: UTF8.self)) }
        sessions[node.code.digits] = (String(cookie.prefix { $0 != ";" }), csrf)
    }

    /// One request; the status and the body.
    func send(_ node: TopologyNode, _ method: HTTPMethod, _ path: String, json: String? = nil) async throws
        -> (status: UInt, body: Data, headers: HTTPHeaders)
    {
        var request = HTTPClientRequest(url: "https://\(node.operator)\(path)")
        request.method = method
        if let session = sessions[node.code.digits] {
            request.headers.add(name: "Cookie", value: session.cookie)
            request.headers.add(name: "X-CSRF-Token", value: session.csrf)
        }
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: json))
        }
        let response = try await client.execute(request, timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 4 << 20)
        return (response.status.code, Data(buffer: body), response.headers)
    }

    /// A JSON object answer, or nil.
    func json(_ node: TopologyNode, _ path: String) async throws -> [String: Any]? {
        try JSONSerialization.jsonObject(with: try await send(node, .GET, path).body) as? [String: Any]
    }

    enum HTTPError: Error { case signInFailed(String) }
}
