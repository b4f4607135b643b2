import Foundation
import HTTPTypes
import HummingbirdTesting
import JiuzhuDomain
import JiuzhuStorage
import NIOCore
import Testing

@testable import JiuzhuWeb

/// What the guard says before any handler runs: 405 with `Allow` for a method a path does
/// not declare, 415 for a body of another content type than the route takes; and the
/// statuses the OpenAPI document lists are the ones the routes answer.
@Suite struct ContentTypeAndMethodTests {
    static let village = "321281001001"

    @Test(arguments: [
        ("321200", HTTPRequest.Method.delete, "/api/v1/node", ["GET"]),
        ("321200", .put, "/api/v1/session", ["POST", "GET", "DELETE"]),
        ("321200", .get, "/api/v1/calculator", ["POST"]),
        ("321200", .patch, "/api/v1/policy", ["GET", "POST"]),
        ("321281001001", .delete, "/api/v1/households/321281001001-000001", ["PUT", "GET"]),
        ("321281001001", .get, "/api/v1/households", ["POST"]),
        ("321200", .delete, "/login", ["GET", "POST"]),
        ("321200", .post, "/healthz", ["GET"]),
        ("321200", .head, "/api/v1/openapi.json", ["GET"]),
    ])
    func anUndeclaredMethodIs405WithTheAllowedOnes(
        node: String, method: HTTPRequest.Method, path: String, allowed: [String]
    )
        async throws
    {
        let fixture = try await OperatorFixture(node: node)
        defer { fixture.close() }
        try await fixture.test { client in
            let before = try await fixture.database.operators.auditEntries(AuditQuery())
            let response = try await client.execute(uri: path, method: method, headers: [:])
            #expect(response.status == .methodNotAllowed, "\(method) \(path): \(response.status)")
            let allow = response.headers[.allow]?.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            #expect(allow.map(Set.init) == Set(allowed), "\(method) \(path): Allow \(response.headers[.allow] ?? "–")")
            if path.hasPrefix("/api/"), method != .head {
                #expect((response.json?["error"] as? String)?.contains("可用的方法") == true, "\(response.text)")
            }
            #expect(try await fixture.database.operators.auditEntries(AuditQuery()).count == before.count)
        }
    }

    @Test func aPathNoRouteDeclaresIsStill404() async throws {
        let fixture = try await OperatorFixture(node: "321200")
        defer { fixture.close() }
        try await fixture.test { client in
            let response = try await client.execute(uri: "/api/v1/nothing-here", method: .delete, headers: [:])
            #expect(response.status == .notFound)
            #expect(response.headers[.allow] == nil)
        }
    }

    /// Every route that takes a body, as the role that may call it, with a body of the wrong type.
    static let bodyRoutes: [(node: String, role: OperatorRole?, method: HTTPRequest.Method, path: String, json: Bool)] =
        [
            ("321200", nil, .post, "/login", false),
            ("321200", .cityAdministrator, .post, "/logout", false),
            ("321200", .cityAdministrator, .post, "/admin/accounts", false),
            ("321200", .cityAdministrator, .post, "/admin/accounts/cityanalyst/disable", false),
            ("321200", .cityAdministrator, .post, "/admin/accounts/cityanalyst/enable", false),
            ("321200", .cityAdministrator, .post, "/admin/accounts/cityanalyst/reset-password", false),
            ("321200", .cityAdministrator, .post, "/calculator", false),
            ("321200", .cityAdministrator, .post, "/policy", false),
            (village, .villageSpecialist, .post, "/households/new", false),
            ("321200", nil, .post, "/api/v1/session", true),
            ("321200", .cityAdministrator, .post, "/api/v1/accounts", true),
            ("321200", .cityAdministrator, .post, "/api/v1/calculator", true),
            ("321200", .cityAdministrator, .post, "/api/v1/policy", true),
            (village, .villageSpecialist, .post, "/api/v1/households", true),
            (village, .villageSpecialist, .put, "/api/v1/households/321281001001-000001", true),
            (village, .villageSpecialist, .post, "/cases/new", false),
            (village, .villageSpecialist, .post, "/cases/321281001001-000001/steps", false),
            (village, .villageSpecialist, .post, "/api/v1/cases", true),
            (village, .villageSpecialist, .post, "/api/v1/cases/321281001001-000001/steps", true),
            (village, .villageSpecialist, .post, "/api/v1/cases/321281001001-000001/photos", true),
            ("321200", .cityAdministrator, .post, "/api/v1/calendars", true),
            (village, nil, .post, "/apply", false),
            (village, nil, .post, "/api/v1/online/codes", true),
            (village, nil, .post, "/api/v1/online/applications", true),
            (village, .villageSpecialist, .post, "/households/321281001001-000001/deaths", false),
            (village, .villageSpecialist, .post, "/households/321281001001-000001/changes", false),
            (village, .villageSpecialist, .post, "/api/v1/households/321281001001-000001/deaths", true),
            (village, .villageSpecialist, .post, "/api/v1/households/321281001001-000001/changes", true),
            (village, .villageSpecialist, .post, "/warnings/321200-W0123456789abcdef/verification", false),
            (village, .villageSpecialist, .post, "/api/v1/warnings/321200-W0123456789abcdef/verification", true),
            ("321200", .cityAnalyst, .post, "/warning-rules/death/dry-run", false),
        ]

    @Test func theTableCoversEveryRouteThatTakesABody() async throws {
        for node in ["321200", Self.village] {
            let fixture = try await OperatorFixture(node: node)
            defer { fixture.close() }
            let declared = try fixture.routes().routes.filter { $0.acceptedBody != nil }
            let tabled = Set(Self.bodyRoutes.map { "\($0.method.rawValue) \($0.path)" })
            for route in declared {
                let concrete = route.path.replacingOccurrences(of: ":username", with: "cityanalyst")
                    .replacingOccurrences(of: ":id", with: "321281001001-000001")
                    .replacingOccurrences(of: ":key", with: "321200-W0123456789abcdef")
                    .replacingOccurrences(of: ":rule", with: "death")
                #expect(tabled.contains("\(route.method.rawValue) \(concrete)"), "\(route.method) \(route.path)")
            }
        }
    }

    @Test(arguments: bodyRoutes.indices, ["text/plain", "application/x-json", nil])
    func aBodyOfAnotherTypeIs415AndChangesNothing(index: Int, sent: String?) async throws {
        let row = Self.bodyRoutes[index]
        let fixture = try await OperatorFixture(node: row.node)
        defer { fixture.close() }
        try await fixture.receivePolicy()
        try await fixture.test { client in
            let session = try await row.role.asyncMap { try await client.signIn($0) }
            var headers = HTTPFields()
            if let session {
                headers[.cookie] = session.cookie
                headers[.csrfToken] = session.csrf
            }
            // A JSON route sent a form, or a form route sent JSON: right content, wrong declaration.
            var wrongType = sent ?? ""
            if row.json == false, sent == "application/x-json" { wrongType = "application/json" }
            if row.json, sent == "application/x-json" { wrongType = "application/x-www-form-urlencoded" }
            if sent != nil { headers[.contentType] = wrongType }
            let body =
                row.json
                ? householdJSON(village: Self.village)
                : "_csrf=\(session?.csrf ?? "")&username=new.one&displayName=新人&role=auditor&text=x"
            let accounts = try await fixture.database.operators.accounts()
            let audit = try await fixture.database.operators.auditEntries(AuditQuery(limit: 500)).count
            let households = try await fixture.database.registry.searchHouseholds(RegistryQuery()).total
            let response = try await client.execute(
                uri: row.path, method: row.method, headers: headers, body: ByteBuffer(string: body))
            #expect(
                response.status == .unsupportedMediaType, "\(row.method) \(row.path) as \(wrongType): \(response.text)")
            let expected = row.json ? "application/json" : "application/x-www-form-urlencoded"
            #expect(response.text.contains("请求体须为 \(expected)"), "\(row.path): \(response.text)")
            #expect(try await fixture.database.operators.accounts() == accounts, "\(row.path) changed no account")
            #expect(try await fixture.database.registry.searchHouseholds(RegistryQuery()).total == households)
            let entries = try await fixture.database.operators.auditEntries(AuditQuery(limit: 500))
            #expect(entries.count == audit, "\(row.path) wrote no audit entry: \(entries.first?.action ?? "")")
        }
    }

    @Test(arguments: ["application/json", "application/json; charset=utf-8", "Application/JSON;charset=UTF-8"])
    func aJSONBodyDeclaredAsJSONIsStored(contentType: String) async throws {
        let fixture = try await OperatorFixture(node: Self.village)
        defer { fixture.close() }
        try await fixture.receivePolicy()
        try await fixture.test { client in
            let specialist = try await client.signIn(.villageSpecialist)
            let created = try await client.call(
                .post, "/api/v1/households", as: specialist, json: householdJSON(village: Self.village),
                headers: [.contentType: contentType])
            #expect(created.status == .created, "\(contentType): \(created.text)")
        }
    }

    /// A few statuses besides 200, each answered by a real request and each listed in the
    /// document for that operation.
    @Test func theDocumentListsTheStatusesTheRoutesAnswer() async throws {
        let village = try await OperatorFixture(node: Self.village)
        defer { village.close() }
        try await village.receivePolicy()
        try await village.test { client in
            let document = try #require(try await client.execute(uri: "/api/v1/openapi.json", method: .get).json)
            func listed(_ method: String, _ path: String) -> Set<String> {
                let paths = document["paths"] as? [String: [String: Any]]
                let operation = paths?[path]?[method] as? [String: Any]
                return Set((operation?["responses"] as? [String: Any])?.keys.map { $0 } ?? [])
            }
            let specialist = try await client.signIn(.villageSpecialist)
            let created = try await client.call(
                .post, "/api/v1/households", as: specialist, json: householdJSON(village: Self.village))
            #expect(created.status == .created)
            #expect(listed("post", "/api/v1/households").isSuperset(of: ["201", "400", "401", "403", "413", "415"]))
            #expect(!listed("post", "/api/v1/households").contains("200"), "creating answers 201, never 200")

            let id = try #require(created.json?["id"] as? String)
            let stale = try await client.call(
                .put, "/api/v1/households/\(id)", as: specialist,
                json: #"{"version":7,"household":\#(householdJSON(village: Self.village))}"#)
            #expect(stale.status == .conflict)
            #expect(listed("put", "/api/v1/households/{id}").contains("409"))

            let nobody = try await client.call(
                .get, "/api/v1/people/\(citizenID(born: "19900101", sequence: "123"))", as: specialist)
            #expect(nobody.status == .notFound, "\(nobody.text)")
            #expect(listed("get", "/api/v1/people/{id}").contains("404"))
            // A number of the right shape whose check character is wrong names no one: 404 too.
            let valid = citizenID(born: "19900101", sequence: "123")
            let wrongCheck = String(valid.dropLast()) + (valid.last == "1" ? "2" : "1")
            let impossible = try await client.call(.get, "/api/v1/people/\(wrongCheck)", as: specialist)
            #expect(impossible.status == .notFound)
            #expect((impossible.json?["error"] as? String)?.contains("校验位") == true, "\(impossible.text)")

            let unauthenticated = try await client.call(.get, "/api/v1/households/\(id)", as: nil)
            #expect(unauthenticated.status == .unauthorized)
            #expect(listed("get", "/api/v1/households/{id}").contains("401"))

            let wrong = try await client.call(
                .post, "/api/v1/session", as: nil, json: #"{"username":"villagespecialist","password":"wrong-one"}"#)
            #expect(wrong.status == .unauthorized)
            var locked = wrong
            for _ in 0..<5 {
                locked = try await client.call(
                    .post, "/api/v1/session", as: nil, json: #"{"username":"villagespecialist","password":"wrong"}"#)
            }
            #expect(locked.status == .tooManyRequests)
            #expect(listed("post", "/api/v1/session").isSuperset(of: ["200", "400", "401", "413", "415", "429"]))
        }

        let city = try await OperatorFixture(node: "321200")
        defer { city.close() }
        try await city.test { client in
            let document = try #require(try await client.execute(uri: "/api/v1/openapi.json", method: .get).json)
            let responses = {
                (method: String, path: String) -> Set<String> in
                let operation = (document["paths"] as? [String: [String: Any]])?[path]?[method] as? [String: Any]
                return Set((operation?["responses"] as? [String: Any])?.keys.map { $0 } ?? [])
            }
            let admin = try await client.signIn(.cityAdministrator)
            // No policy published yet: the calculator cannot compute.
            let calculator = try await client.call(
                .post, "/api/v1/calculator", as: admin, json: #"{"household":\#(CalculatorTests.household)}"#)
            #expect(calculator.status == .serviceUnavailable)
            #expect(responses("post", "/api/v1/calculator").contains("503"))
            let account = #"{"username":"auditor","displayName":"又一位","role":"auditor"}"#
            let duplicate = try await client.call(.post, "/api/v1/accounts", as: admin, json: account)
            #expect(duplicate.status == .conflict, "\(duplicate.text)")
            #expect(duplicate.json?["field"] as? String == "username")
            #expect(responses("post", "/api/v1/accounts").isSuperset(of: ["201", "409"]))
        }
    }
}

extension Optional {
    fileprivate func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
