import Foundation
import HTTPTypes
import HummingbirdTesting
import JiuzhuDomain
import Testing

@testable import JiuzhuWeb

/// The OpenAPI document and the routes agree: everything described answers, and every
/// API route is described.
@Suite struct OpenAPITests {
    @Test func theDocumentDescribesEveryAPIRouteAndEachAnswers() async throws {
        let fixture = try await OperatorFixture(node: "321200")
        defer { fixture.close() }
        let declared = try fixture.routes().routes
        try await fixture.receivePolicy()
        let policyBody = String(
            decoding: try JSONEncoder().encode([
                "text": try String(contentsOf: OperatorFixture.policyFile, encoding: .utf8)
            ]),
            as: UTF8.self)
        let calendarBody = String(
            decoding: try JSONEncoder().encode([
                "text": try String(
                    contentsOf: OperatorFixture.policyFile.deletingLastPathComponent().deletingLastPathComponent()
                        .appending(path: "calendar/2026.yaml"), encoding: .utf8)
            ]),
            as: UTF8.self)
        try await fixture.test { client in
            let response = try await client.execute(uri: "/api/v1/openapi.json", method: .get)
            #expect(response.status == .ok)
            let document = try #require(response.json)
            #expect(document["openapi"] as? String == "3.1.0")
            let paths = try #require(document["paths"] as? [String: [String: Any]])

            // Every declared API route is in the document, and nothing else is.
            let described = Set(paths.flatMap { path, operations in operations.keys.map { "\($0) \(path)" } })
            let apiRoutes = Set(
                declared.filter { $0.kind == .api }.map { "\($0.method.rawValue.lowercased()) \($0.openAPIPath)" })
            #expect(described == apiRoutes)
            #expect(declared.allSatisfy { $0.kind == .page || $0.path.hasPrefix("/api/v1/") })
            for expected in [
                "post /api/v1/session", "get /api/v1/node", "get /api/v1/divisions/{code}", "post /api/v1/accounts",
                "get /api/v1/audit", "get /api/v1/audit/verify", "get /api/v1/openapi.json",
            ] {
                #expect(described.contains(expected))
            }

            let calculator = paths["/api/v1/calculator"]?["post"] as? [String: Any]
            let schema =
                ((calculator?["requestBody"] as? [String: Any])?["content"] as? [String: Any])?["application/json"]
                as? [String: Any]
            #expect(
                (schema?["schema"] as? [String: Any])?["required"] as? [String] == ["household"], "date is optional")

            // Each described operation answers (as the role it is for); the registry's routes are
            // exercised with their own roles in RegistryAPITests.
            let admin = try await client.signIn(.cityAdministrator)
            let auditor = try await client.signIn(.auditor)
            let analyst = try await client.signIn(.cityAnalyst)
            // Signing out comes last: it ends the session the others use.
            let operations =
                described.filter { !$0.hasPrefix("delete") }.sorted()
                + described.filter { $0.hasPrefix("delete") }.sorted()
            do {
                for operation in operations {
                    let method = String(operation.prefix(while: { $0 != " " }))
                    let path = String(operation.dropFirst(method.count + 1))
                    let uri = path.replacingOccurrences(of: "{code}", with: "321281")
                        .replacingOccurrences(of: "{username}", with: "cityanalyst")
                    let session =
                        path.hasPrefix("/api/v1/audit")
                        ? auditor : path.hasPrefix("/api/v1/dashboard") ? analyst : admin
                    let bodies: [String: String] = [
                        "/api/v1/session": #"{"username":"auditor","password":"pw-auditor-2026"}"#,
                        "/api/v1/accounts": #"{"username":"new.one","displayName":"新人","role":"auditor"}"#,
                        "/api/v1/calculator": #"{"household":\#(CalculatorTests.household)}"#,
                        "/api/v1/policy": policyBody,
                        "/api/v1/calendars": calendarBody,
                        "/api/v1/online/codes": #"{"phone":"13800000000"}"#,
                    ]
                    let body = method == "post" ? bodies[path] : nil
                    let answer = try await client.call(
                        HTTPRequest.Method(method.uppercased())!, uri, as: session, json: body)
                    // Reached its handler: a success, or a refusal in our own JSON (registry routes
                    // answer the city's administrator with 403, and unknown households with 404);
                    // an undeclared route would get the router's bare 404 or 405.
                    let handled = answer.status.code < 300 || answer.json?["error"] is String
                    #expect(handled, "\(method) \(path): \(answer.status) \(answer.text)")
                    // Casework's are exercised in CaseAPITests, as the roles that handle cases; the
                    // warnings' in WarningsInMemoryTests and WarningsLiveTests, by the village and the analyst.
                    if !path.contains("household") && !path.contains("people") && !path.contains("search")
                        && !path.contains("duplicates") && !path.hasPrefix("/api/v1/cases") && !path.contains("warning")
                        && !path.hasPrefix("/api/v1/online/applications")
                    {
                        #expect(answer.status.code < 300, "\(method) \(path): \(answer.status) \(answer.text)")
                    }
                }
            }
        }
    }
}
