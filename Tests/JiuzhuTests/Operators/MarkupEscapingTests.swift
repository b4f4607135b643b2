import Foundation
import HTTPTypes
import HummingbirdTesting
import JiuzhuDomain
import JiuzhuFederation
import JiuzhuPolicy
import JiuzhuRegistry
import JiuzhuStorage
import NIOCore
import Testing

@testable import JiuzhuWeb

/// Text that joins a `<`, `"` or `'` to a neighbouring mark in one grapheme cluster, which
/// swift-mustache's own escaping (by Characters) let through as live markup: each is escaped
/// in the served bytes of every page that shows it.
@Suite struct MarkupEscapingTests {
    /// A payload, what the page must show instead, and the fragment that would be live markup.
    struct Payload: Sendable, CustomTestStringConvertible {
        let raw: String
        let escaped: String
        let live: String

        var testDescription: String {
            live.unicodeScalars.map { $0.isASCII ? "\($0)" : "U+\(String($0.value, radix: 16))" }.joined()
        }
    }

    static let payloads = [
        // U+0600 (ARABIC NUMBER SIGN) is a prepended mark: "\u{0600}<" is one Character.
        Payload(
            raw: "\u{0600}<img src=x onerror=alert(1)>", escaped: "\u{0600}&lt;img src=x onerror=alert(1)&gt;",
            live: "<img"),
        // U+0301 (COMBINING ACUTE) joins the quote before it: an attribute breakout.
        Payload(
            raw: "\"\u{0301} autofocus onfocus=alert(2) x=\"",
            escaped: "&quot;\u{0301} autofocus onfocus=alert(2) x=&quot;", live: "\"\u{0301} autofocus"),
        Payload(
            raw: "<\u{0301}script>alert(3)</script>", escaped: "&lt;\u{0301}script&gt;alert(3)&lt;/script&gt;",
            live: "<\u{0301}script"),
        Payload(
            raw: "'\u{0301} onmouseover=alert(4) '", escaped: "&#39;\u{0301} onmouseover=alert(4) &#39;",
            live: "'\u{0301} onmouseover"),
    ]

    static let village = "321281001001"

    /// Writes a household straight into the database, past the registry's validation (which
    /// may refuse some of these characters), as a replicated or hand-edited row would arrive.
    static func plant(name: String, address: String, in fixture: OperatorFixture) async throws -> String {
        let key = "\(village)-000001"
        let record = HouseholdRecord(
            id: key, village: try DivisionCode(village), address: address, registration: .rural,
            members: [
                PersonRecord(
                    citizenID: citizenID(born: "19580301", sequence: "011"), name: name, sex: .male,
                    birthDate: try CivilDate("1958-03-01"), relation: .applicant)
            ])
        _ = try await fixture.database.registry.saveHousehold(
            key: key, village: record.village, payload: record.json(), expectedSequence: nil,
            audit: AuditRecord(
                actor: "test", role: "系统", action: "registry.create", target: key, outcome: .allowed, detail: "测试"))
        try await fixture.context.services.indexer.catchUp()
        return key
    }

    static func expectEscaped(
        _ response: TestResponse, _ payload: Payload, on page: String, status: HTTPResponse.Status = .ok
    ) {
        #expect(response.status == status, "\(page): \(response.text)")
        #expect(!response.bodyHolds(payload.live), "\(page) serves the markup live")
        #expect(!response.bodyHolds(payload.raw), "\(page) serves the payload unescaped")
        #expect(response.bodyHolds(payload.escaped), "\(page) shows the escaped text")
    }

    @Test(arguments: payloads)
    func aNameAndAddressAreEscapedOnTheHouseholdAndSearchPages(_ payload: Payload) async throws {
        let fixture = try await OperatorFixture(node: Self.village)
        defer { fixture.close() }
        try await fixture.receivePolicy()
        let key = try await Self.plant(name: "王" + payload.raw, address: "兴化市" + payload.raw, in: fixture)
        try await fixture.test { client in
            let specialist = try await client.signIn(.villageSpecialist)
            let cookie: HTTPFields = [.cookie: specialist.cookie]
            let household = try await client.execute(uri: "/households/\(key)", method: .get, headers: cookie)
            Self.expectEscaped(household, payload, on: "household page")
            #expect(household.bodyHolds("王" + payload.escaped), "the name")
            #expect(household.bodyHolds("兴化市" + payload.escaped), "the address")
            let search = try await client.execute(uri: "/search", method: .get, headers: cookie)
            #expect(search.bodyHolds(key), "the planted household is listed")
            Self.expectEscaped(search, payload, on: "search page")
        }
    }

    @Test(arguments: payloads)
    func aSignInUsernameIsEscapedOnTheSignInPageAndInTheAuditLog(_ payload: Payload) async throws {
        let fixture = try await OperatorFixture(node: "321200")
        defer { fixture.close() }
        try await fixture.test { client in
            let form = try await client.execute(uri: "/login", method: .get)
            let signInCookie = try #require(form.headers[.setCookie]?.split(separator: ";").first.map(String.init))
            let token = String(signInCookie.drop(while: { $0 != "=" }).dropFirst())
            let username = try #require(payload.raw.addingPercentEncoding(withAllowedCharacters: .alphanumerics))
            let refused = try await client.execute(
                uri: "/login", method: .post,
                headers: [.cookie: signInCookie, .contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "_csrf=\(token)&username=\(username)&password=wrong-password"))
            Self.expectEscaped(
                refused, payload, on: "sign-in page (the name typed, in its value attribute)", status: .unauthorized)

            let auditor = try await client.signIn(.auditor)
            let cookie: HTTPFields = [.cookie: auditor.cookie]
            let audit = try await client.execute(uri: "/audit", method: .get, headers: cookie)
            Self.expectEscaped(audit, payload, on: "/audit")
            // And the filter, echoed back in its input's value attribute.
            let filtered = try await client.execute(uri: "/audit?actor=\(username)", method: .get, headers: cookie)
            Self.expectEscaped(filtered, payload, on: "/audit?actor=")
        }
    }

    @Test(arguments: payloads)
    func theRendererEscapesEveryScalar(_ payload: Payload) throws {
        struct View {
            let status: Int
            let message: String
        }
        let topology = try Topology.load(from: OperatorFixture.demoTopology)
        let html = try PageRenderer().render(
            "error", title: payload.raw, view: View(status: 400, message: payload.raw), node: topology.root,
            session: nil)
        let bytes = Data(html.utf8)
        #expect(bytes.range(of: Data(payload.live.utf8)) == nil)
        // Once in the <title>, once in the <h1>, once in the message.
        #expect(bytes.occurrences(of: Data(payload.escaped.utf8)) == 3)
    }

    /// The only values inserted unescaped: the rendered page body, and the dashboard's charts,
    /// which `SVGChart` draws with every text escaped by `HTMLEscaping` (`SVGChartTests`).
    static let unescaped = ["layout": "{{{body}}}", "dashboard": "{{{svg}}}"]

    @Test func noTemplateBypassesTheEscaping() {
        for (name, source) in PageTemplates.all {
            let triple = source.occurrences(of: "{{{")
            #expect(triple == (Self.unescaped[name] == nil ? 0 : 1), "\(name) inserts a value unescaped")
            if let allowed = Self.unescaped[name] {
                #expect(source.contains(allowed), "\(name) inserts only \(allowed)")
            }
            #expect(!source.contains("{{&"), "\(name) inserts a value unescaped")
            #expect(!source.contains("{{%"), "\(name) changes its content type")
        }
        #expect(PageTemplates.layout.contains("{{{body}}}"), "only the rendered page body")
    }

    @Test func pagesForbidBaseFormsElsewhereAndFraming() async throws {
        let fixture = try await OperatorFixture(node: "321200")
        defer { fixture.close() }
        try await fixture.test { client in
            let admin = try await client.signIn(.cityAdministrator)
            for (uri, headers) in [("/login", HTTPFields()), ("/admin/accounts", [.cookie: admin.cookie])] {
                let page = try await client.execute(uri: uri, method: .get, headers: headers)
                #expect(page.status == .ok)
                let header = page.headers[try #require(HTTPField.Name("Content-Security-Policy"))]
                let policy = try #require(header)
                let directives = Set(policy.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) })
                #expect(directives.isSuperset(of: ["base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'"]))
                #expect(directives.contains("default-src 'self'"), "scripts still only from the node")
            }
        }
    }
}

extension TestResponse {
    /// Whether the body holds `text`'s UTF-8 bytes. A byte search: `String.contains` compares
    /// Characters and would not find a `<` that shares one with a mark, the very case tested.
    func bodyHolds(_ text: String) -> Bool {
        Data(buffer: body).range(of: Data(text.utf8)) != nil
    }
}

extension Data {
    func occurrences(of part: Data) -> Int {
        var count = 0
        var start = startIndex
        while let found = range(of: part, in: start..<endIndex) {
            count += 1
            start = found.upperBound
        }
        return count
    }
}

extension String {
    fileprivate func occurrences(of part: String) -> Int {
        Data(utf8).occurrences(of: Data(part.utf8))
    }
}
