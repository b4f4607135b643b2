import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import JiuzhuDomain
import JiuzhuServices
import JiuzhuStorage
import NIOCore
import Testing

@testable import JiuzhuWeb

/// Input meant to hurt: scripts in text, oversized and malformed bodies, forged CSRF
/// tokens, tampered cookies, guessed passwords. Each is refused, named, and changes nothing.
@Suite struct HostileInputTests {
    @Test func aScriptInANameIsShownAsText() async throws {
        let fixture = try await OperatorFixture(node: "321200")
        defer { fixture.close() }
        try await fixture.test { client in
            let admin = try await client.signIn(.cityAdministrator)
            let created = try await client.call(
                .post, "/api/v1/accounts", as: admin,
                json: #"{"username":"mallory","displayName":"<script>alert(1)</script>","role":"cityAnalyst"}"#)
            #expect(created.status == .created)
            var headers = HTTPFields()
            headers[.cookie] = admin.cookie
            let page = try await client.execute(uri: "/admin/accounts", method: .get, headers: headers)
            #expect(page.status == .ok)
            #expect(page.text.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(!page.text.contains("<script>alert(1)"))
            // The audit viewer escapes the same text in the entry that records the creation.
            let auditor = try await client.signIn(.auditor)
            headers[.cookie] = auditor.cookie
            let audit = try await client.execute(uri: "/audit", method: .get, headers: headers)
            #expect(audit.text.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(!audit.text.contains("<script>alert(1)"))
        }
    }

    @Test func anOversizedBodyGets413AndChangesNothing() async throws {
        let fixture = try await OperatorFixture(node: "321200")
        defer { fixture.close() }
        try await fixture.test { client in
            let admin = try await client.signIn(.cityAdministrator)
            let before = try await fixture.database.operators.accounts()
            let huge = String(repeating: "长", count: 30_000)
            let response = try await client.call(
                .post, "/api/v1/accounts", as: admin,
                json: #"{"username":"big","displayName":"\#(huge)","role":"cityAnalyst"}"#)
            #expect(response.status == .contentTooLarge)
            #expect(response.json?["error"] as? String == "请求体超过 64 KiB")
            #expect(try await fixture.database.operators.accounts() == before)
        }
    }

    @Test(arguments: [
        (#"{"username":"zhang.wei","displayName":5,"role":"auditor"}"#, "displayName"),
        (#"{"username":"zhang.wei","displayName":"张伟"}"#, "role"),
        (#"{"username":"zhang.wei","displayName":"张伟","role":"king"}"#, "role"),
        (#"{"username":"Zhang Wei!","displayName":"张伟","role":"auditor"}"#, "username"),
        (#"{"username":"zhang.wei","displayName":"张伟","role":"villageSpecialist"}"#, "role"),
        (#"{"username": "zhang.wei", "displayName": "#, nil),
    ])
    func malformedJSONGets400NamingTheField(body: String, field: String?) async throws {
        let fixture = try await OperatorFixture(node: "321200")
        defer { fixture.close() }
        try await fixture.test { client in
            let admin = try await client.signIn(.cityAdministrator)
            let before = try await fixture.database.operators.accounts()
            let response = try await client.call(.post, "/api/v1/accounts", as: admin, json: body)
            #expect(response.status == .badRequest, "\(body): \(response.text)")
            #expect(response.json?["field"] as? String == field, "\(body): \(response.text)")
            #expect((response.json?["error"] as? String)?.isEmpty == false)
            #expect(try await fixture.database.operators.accounts() == before)
        }
    }

    @Test func aMissingOrForgedCSRFTokenIsRefusedAndAudited() async throws {
        let fixture = try await OperatorFixture(node: "321200")
        defer { fixture.close() }
        try await fixture.test { client in
            let admin = try await client.signIn(.cityAdministrator)
            let before = try await fixture.database.operators.accounts()
            let body = #"{"username":"eve","displayName":"伊娃","role":"cityAnalyst"}"#
            var missing = admin.headers
            missing[.csrfToken] = nil
            let withoutToken = try await client.execute(
                uri: "/api/v1/accounts", method: .post, headers: missing, body: ByteBuffer(string: body))
            #expect(withoutToken.status == .forbidden)
            let forged = try await client.call(
                .post, "/api/v1/accounts", as: admin, json: body, headers: [.csrfToken: SecretToken.make()])
            #expect(forged.status == .forbidden)
            // A form posted with another token, as a cross-site page would.
            let form = try await client.execute(
                uri: "/admin/accounts", method: .post,
                headers: [.cookie: admin.cookie, .contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "_csrf=\(SecretToken.make())&username=eve&displayName=x&role=cityAnalyst"))
            #expect(form.status == .forbidden)
            #expect(form.text.contains("CSRF"))
            #expect(try await fixture.database.operators.accounts() == before)
            let refusals = try await fixture.database.operators.auditEntries(.init(action: "access.refused"))
            #expect(refusals.count == 3)
            #expect(refusals.allSatisfy { $0.detail.contains("CSRF") })
            // The sign-in form carries its own token, matched against its cookie.
            let signIn = try await client.execute(
                uri: "/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "_csrf=forged&username=cityadministrator&password=pw-cityAdministrator-2026"))
            #expect(signIn.status == .forbidden)
            #expect(signIn.headers[.setCookie]?.contains("jiuzhu_session=") != true)
        }
    }

    @Test func aTamperedSessionCookieIsRefused() async throws {
        let fixture = try await OperatorFixture(node: "321200")
        defer { fixture.close() }
        try await fixture.test { client in
            let admin = try await client.signIn(.cityAdministrator)
            var cookie = admin.cookie
            let last = cookie.removeLast()
            cookie.append(last == "A" ? "B" : "A")
            let tampered = APISession(cookie: cookie, csrf: admin.csrf)
            #expect(try await client.call(.get, "/api/v1/accounts", as: tampered).status == .unauthorized)
            #expect(try await client.call(.get, "/api/v1/accounts", as: admin).status == .ok)
            let page = try await client.execute(uri: "/admin/accounts", method: .get, headers: [.cookie: cookie])
            #expect(page.status == .seeOther)
            #expect(page.headers[.location] == "/login?next=%2Fadmin%2Faccounts")
            let garbage = APISession(cookie: "jiuzhu_session=<script>", csrf: admin.csrf)
            #expect(try await client.call(.get, "/api/v1/node", as: garbage).status == .unauthorized)
        }
    }

    @Test func fiveWrongPasswordsLockTheName() async throws {
        let fixture = try await OperatorFixture(node: "321200")
        defer { fixture.close() }
        try await fixture.test { client in
            func attempt(_ password: String) async throws -> TestResponse {
                try await client.execute(
                    uri: "/api/v1/session", method: .post, headers: [.contentType: "application/json"],
                    body: ByteBuffer(string: #"{"username":"cityanalyst","password":"\#(password)"}"#))
            }
            for _ in 1...4 {
                let wrong = try await attempt("wrong-password-1")
                #expect(wrong.status == .unauthorized)
                #expect(wrong.json?["error"] as? String == "用户名或密码错误")
            }
            let fifth = try await attempt("wrong-password-1")
            #expect(fifth.status == .tooManyRequests)
            let right = try await attempt(OperatorFixture.password(.cityAnalyst))
            #expect(right.status == .tooManyRequests, "locked even with the right password")
            #expect((right.json?["error"] as? String)?.contains("已锁定至") == true)
            // An unknown name is answered like a wrong password, and audited.
            let unknown = try await client.execute(
                uri: "/api/v1/session", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"username":"nobody","password":"whatever-123"}"#))
            #expect(unknown.status == .unauthorized)
            let failures = try await fixture.database.operators.auditEntries(.init(action: "session.signIn", limit: 20))
                .filter { $0.outcome != .allowed }
            #expect(failures.count == 7)
            #expect(failures.first?.detail == "用户名不存在")
        }
    }

    @Test func signingInAndOutWithTheForms() async throws {
        let fixture = try await OperatorFixture(node: "321281001")
        defer { fixture.close() }
        try await fixture.test { client in
            let home = try await client.execute(uri: "/", method: .get)
            #expect(home.status == .seeOther)
            #expect(home.headers[.location] == "/login?next=%2F")
            let form = try await client.execute(uri: "/login?next=/node", method: .get)
            #expect(form.status == .ok)
            let signInCookie = try #require(form.headers[.setCookie]?.split(separator: ";").first.map(String.init))
            #expect(form.headers[.setCookie]?.contains("HttpOnly") == true)
            #expect(form.headers[.setCookie]?.contains("Secure") == true)
            let token = String(signInCookie.drop(while: { $0 != "=" }).dropFirst())
            let signedIn = try await client.execute(
                uri: "/login", method: .post,
                headers: [.cookie: signInCookie, .contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(
                    string: "_csrf=\(token)&next=%2Fnode&username=townshipclerk&password=pw-townshipClerk-2026"))
            #expect(signedIn.status == .seeOther)
            #expect(signedIn.headers[.location] == "/node")
            let setCookie = try #require(signedIn.headers[.setCookie])
            #expect(setCookie.contains("SameSite=Strict"))
            let session = try #require(setCookie.split(separator: ";").first.map(String.init))
            let page = try await client.execute(uri: "/", method: .get, headers: [.cookie: session])
            #expect(page.status == .ok)
            #expect(page.text.contains("测试乡镇窗口经办人，您好"))
            #expect(page.text.contains("待受理申请"))
            #expect(!page.text.contains("账号管理"), "no menu entry the role may not use")
            #expect(
                page.text.contains(
                    #"<nav><a href="/">首页</a><a href="/node">节点状态</a><a href="/cases">待办案件</a><a href="/search">检索家庭</a>"#
                ))
            let csrf = try #require(page.text.firstMatch(of: /name="_csrf" value="([^"]+)"/)?.1)
            let signedOut = try await client.execute(
                uri: "/logout", method: .post,
                headers: [.cookie: session, .contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "_csrf=\(csrf)"))
            #expect(signedOut.status == .seeOther)
            #expect(signedOut.headers[.location] == "/login")
            let after = try await client.execute(uri: "/", method: .get, headers: [.cookie: session])
            #expect(after.status == .seeOther)
            let actions = try await fixture.database.operators.auditEntries(.init(actor: "townshipclerk")).map(\.action)
            #expect(actions.prefix(2) == ["session.signOut", "session.signIn"])
        }
    }
}
