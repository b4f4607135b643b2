import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import JiuzhuDomain
import JiuzhuFederation
import JiuzhuServices
import JiuzhuStorage
import Logging
import NIOCore
import Testing

@testable import JiuzhuWeb

/// One node of the demo topology with its real SQLite database and the operator router,
/// served in-process; one account per role the node's level allows.
struct OperatorFixture {
    let directory: TemporaryDirectory
    let topology: Topology
    let node: TopologyNode
    let database: NodeDatabase
    let context: OperatorContext

    /// The demo topology committed in the repository.
    static let demoTopology: URL = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appending(path: "topology/taizhou-demo.yaml")

    static func password(_ role: OperatorRole) -> String { "pw-\(role.rawValue)-2026" }
    static func username(_ role: OperatorRole) -> String { role.rawValue.lowercased() }

    /// A fixture for node `code`; `clock` is the node's one clock (a test that moves time passes a
    /// ``SettableClock``'s).
    init(
        node code: String, directory: TemporaryDirectory? = nil, clock: NodeClock = .system,
        messages: (any MessageSender)? = nil
    ) async throws {
        self.directory = try directory ?? TemporaryDirectory()
        topology = try Topology.load(from: Self.demoTopology)
        node = try #require(topology.node(try DivisionCode(code)))
        database = try NodeDatabase.open(
            in: self.directory.url.appending(path: code), for: .init(code: node.code, name: node.name, role: node.role),
            clock: clock)
        // bcrypt at its cheapest: the tests are about access, not hashing speed.
        let services = NodeServices(
            database: database, hasher: PasswordHasher(cost: 4), delegation: topology.delegation,
            villages: Dictionary(
                uniqueKeysWithValues: topology.nodes.filter { $0.role == .village }.map { ($0.code, $0.name) }),
            messages: messages, logger: Logger(label: "jiuzhu.registry.\(code)"))
        context = OperatorContext(
            node: node, topology: topology, services: services, startedAt: clock.date(), freshness: 10,
            metrics: NodeMetrics(node: node, topology: topology, database: database))
        let administration = services.accounts
        for role in OperatorRole.roles(at: node.role) {
            _ = try await administration.create(
                username: Self.username(role), displayName: "测试\(role.chineseName)", role: role,
                password: Self.password(role), by: .commandLine)
        }
    }

    /// The repository's policy file for the city.
    static let policyFile = demoTopology.deletingLastPathComponent().deletingLastPathComponent()
        .appending(path: "policy/taizhou.yaml")

    /// Gives the node the city's policy version: published here at the city, otherwise
    /// published at a scratch city database and applied as the parent would send it.
    func receivePolicy() async throws {
        let text = try String(contentsOf: Self.policyFile, encoding: .utf8)
        if node.role == .city {
            _ = try await PolicyService.publish(text: text, file: "taizhou.yaml", database: database, by: .commandLine)
            return
        }
        let city = topology.root
        let source = try NodeDatabase.open(
            in: directory.url.appending(path: "policy-source"),
            for: .init(code: city.code, name: city.name, role: .city))
        defer { try? source.close() }
        _ = try await PolicyService.publish(text: text, file: "taizhou.yaml", database: source, by: .commandLine)
        let logged = try await source.changeLog.logEntries(origin: city.code, channel: .policy)
        _ = try await database.changeLog.applyFromParent(
            logged.map(\.change), parent: try #require(node.parent), channel: .policy,
            scannedThrough: logged.last?.position ?? 0)
    }

    /// Gives the node the working-day calendars in the repository, as the city publishes them.
    func receiveCalendars() async throws {
        let folder = Self.policyFile.deletingLastPathComponent().deletingLastPathComponent().appending(path: "calendar")
        let city = topology.root
        let source = try NodeDatabase.open(
            in: directory.url.appending(path: "calendar-source"),
            for: .init(code: city.code, name: city.name, role: .city))
        defer { try? source.close() }
        let rules = CaseworkRulesService(policy: PolicyService(database: source), store: source.policy)
        for year in ["2025", "2026", "2027"] {
            let text = try String(contentsOf: folder.appending(path: "\(year).yaml"), encoding: .utf8)
            _ = try await rules.publishCalendar(text: text, file: "\(year).yaml", by: .commandLine)
        }
        let logged = try await source.changeLog.logEntries(origin: city.code, channel: .policy)
        if node.role == .city {
            _ = try await database.changeLog.applyFromChild(logged.map(\.change), channel: .policy)
        } else {
            _ = try await database.changeLog.applyFromParent(
                logged.map(\.change), parent: try #require(node.parent), channel: .policy,
                scannedThrough: logged.last?.position ?? 0)
        }
    }

    func routes() throws -> OperatorRoutes {
        try OperatorApp.buildRouter(context, logger: .init(label: "test"))
    }

    /// Runs `body` against the node's operator router.
    func test<T: Sendable>(_ body: @Sendable (any TestClientProtocol) async throws -> T) async throws -> T {
        let app = Application(router: try routes().router)
        return try await app.test(.router, body)
    }

    func close() {
        try? database.close()
        directory.remove()
    }
}

/// A signed-in API client's credentials: the session cookie and the CSRF token.
struct APISession: Sendable {
    let cookie: String
    let csrf: String

    var headers: HTTPFields {
        var fields = HTTPFields()
        fields[.cookie] = cookie
        fields[.csrfToken] = csrf
        fields[.contentType] = "application/json"
        return fields
    }
}

extension TestClientProtocol {
    /// Signs in through `POST /api/v1/session`.
    func signIn(_ username: String, _ password: String) async throws -> APISession {
        let response = try await execute(
            uri: "/api/v1/session", method: .post, headers: [.contentType: "application/json"],
            body: ByteBuffer(string: #"{"username":"\#(username)","password":"\#(password)"}"#))
        try #require(response.status == .ok, "sign-in of \(username): \(String(buffer: response.body))")
        let cookie = try #require(response.headers[.setCookie]?.split(separator: ";").first.map(String.init))
        let info = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
        return APISession(cookie: cookie, csrf: try #require(info?["csrfToken"] as? String))
    }

    func signIn(_ role: OperatorRole) async throws -> APISession {
        try await signIn(OperatorFixture.username(role), OperatorFixture.password(role))
    }

    func call(
        _ method: HTTPRequest.Method, _ uri: String, as session: APISession?, json: String? = nil,
        headers extra: HTTPFields = [:]
    ) async throws -> TestResponse {
        var headers = session?.headers ?? [.contentType: "application/json"]
        for field in extra { headers[field.name] = field.value }
        return try await execute(uri: uri, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) })
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }

    var json: [String: Any]? { try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any] }
}
