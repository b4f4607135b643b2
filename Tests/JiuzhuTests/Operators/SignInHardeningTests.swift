import Foundation
import HTTPTypes
import HummingbirdTesting
import JiuzhuDomain
import JiuzhuStorage
import NIOCore
import Testing

@testable import JiuzhuWeb

/// Guessing passwords in parallel, and sending the browser elsewhere after sign-in.
@Suite struct SignInHardeningTests {
    static func attempt(_ client: any TestClientProtocol, _ username: String, _ password: String) async throws
        -> TestResponse
    {
        try await client.execute(
            uri: "/api/v1/session", method: .post, headers: [.contentType: "application/json"],
            body: ByteBuffer(string: #"{"username":"\#(username)","password":"\#(password)"}"#))
    }

    @Test func twentyConcurrentWrongPasswordsCheckFiveAndLockTheName() async throws {
        let fixture = try await OperatorFixture(node: "321200")
        defer { fixture.close() }
        try await fixture.test { client in
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for index in 0..<20 {
                    group.addTask { try await Self.attempt(client, "cityanalyst", "wrong-password-\(index)").status }
                }
                var statuses: [HTTPResponse.Status] = []
                for try await status in group { statuses.append(status) }
                return statuses
            }
            #expect(statuses.allSatisfy { $0 == .unauthorized || $0 == .tooManyRequests }, "\(statuses)")
            #expect(statuses.filter { $0 == .tooManyRequests }.count >= 16, "\(statuses)")
            // Every attempt is audited; only those that got to the password check say why it failed.
            let audited = try await fixture.database.operators.auditEntries(.init(action: "session.signIn", limit: 100))
            #expect(audited.count == 20)
            #expect(audited.filter { $0.outcome == .failed }.count == 5, "exactly five passwords were checked")
            #expect(audited.filter { $0.outcome == .refused }.count == 15)
            #expect(audited.filter { $0.outcome == .refused }.allSatisfy { $0.detail == "用户名已锁定时再次尝试" })

            let right = try await Self.attempt(client, "cityanalyst", OperatorFixture.password(.cityAnalyst))
            #expect(right.status == .tooManyRequests, "the lock holds against the right password")
            #expect((right.json?["error"] as? String)?.contains("已锁定至") == true)
            #expect(right.headers[.setCookie] == nil, "no session")
            // Another name is not affected.
            let other = try await Self.attempt(
                client, "cityadministrator", OperatorFixture.password(.cityAdministrator))
            #expect(other.status == .ok)
        }
    }

    @Test func aFailureRecordedAfterTheLockNeitherLiftsNorShortensIt() async throws {
        let fixture = try await OperatorFixture(node: "321200")
        defer { fixture.close() }
        let database = fixture.database
        let rules = SessionRules()
        // Five attempts admitted at once, none yet answered: the fifth takes the last one and locks.
        for _ in 1...5 {
            #expect(try await database.operators.reserveSignInAttempt("cityanalyst", rules: rules) == .admitted)
        }
        guard case .locked(let until) = try await database.operators.reserveSignInAttempt("cityanalyst", rules: rules)
        else {
            Issue.record("the sixth attempt was admitted")
            return
        }
        // Their failures come in late, after the lock.
        for _ in 1...5 {
            let locked = try await database.operators.recordSignInFailure("cityanalyst", reason: "密码错误")
            #expect(locked == until)
        }
        #expect(try await database.operators.reserveSignInAttempt("cityanalyst", rules: rules) == .locked(until: until))
    }

    @Test func theLockEndsByItsOwnTimeAndCountingStartsAfresh() async throws {
        // The node's clock moves only when the test moves it, so no load on the machine can let
        // the lock lapse between two reservations.
        let time = SettableClock(millisecondsSince1970: 1_796_371_200_000)
        let fixture = try await OperatorFixture(node: "321200", clock: time.clock)
        defer { fixture.close() }
        var rules = SessionRules()
        rules.failuresBeforeLock = 2
        rules.lockDuration = 1.5
        let database = fixture.database
        #expect(try await database.operators.reserveSignInAttempt("auditor", rules: rules) == .admitted)
        #expect(try await database.operators.reserveSignInAttempt("auditor", rules: rules) == .admitted)
        guard case .locked = try await database.operators.reserveSignInAttempt("auditor", rules: rules) else {
            Issue.record("not locked after two attempts")
            return
        }
        time.advance(seconds: 1.4)
        #expect(try await database.operators.reserveSignInAttempt("auditor", rules: rules) != .admitted, "still locked")
        time.advance(seconds: 0.2)
        // One attempt after the lock has run out is the first of a new count, not the third.
        #expect(try await database.operators.reserveSignInAttempt("auditor", rules: rules) == .admitted)
        #expect(try await database.operators.reserveSignInAttempt("auditor", rules: rules) == .admitted)
        guard case .locked = try await database.operators.reserveSignInAttempt("auditor", rules: rules) else {
            Issue.record("not locked again")
            return
        }
    }

    /// `next` as the sign-in form posts it (form-encoded), and whether it must be refused.
    @Test(arguments: [
        "%2F%09%2Fevil.example", "/%09/evil.example", "/%0A/evil.example", "/%0D%0A/evil.example",
        "/%0C/evil.example", "/%00/evil.example", "%2F%2Fevil.example", "//evil.example", "///evil.example",
        "/%5Cevil.example", "%5C%5Cevil.example", "/%5C/evil.example", "/%20/evil.example", "/+/evil.example",
        "/%E2%80%8B/evil.example", "/%E3%80%80/evil.example", "/%C2%A0/evil.example", "/%2509/evil.example",
        "/%252F/evil.example", "/%255Cevil.example", "/%250A/evil.example", "https://evil.example",
        "evil.example", "%20/node", "", "/node%09",
    ])
    func aNextThatCouldLeaveTheSiteGoesHome(_ next: String) async throws {
        let location = try await signInThroughTheForm(next: next)
        #expect(location == "/", "next=\(next)")
    }

    @Test(arguments: [
        ("%2Fnode", "/node"), ("/households/321281001001-000001", "/households/321281001001-000001"),
        ("%2Fsearch%3Ftag%3DleftBehindChild", "/search?tag=leftBehindChild"), ("/", "/"),
    ])
    func aPathOnThisNodeIsKept(_ next: String, _ expected: String) async throws {
        #expect(try await signInThroughTheForm(next: next) == expected)
    }

    @Test func theSignInPageOnlyCarriesASafeNext() async throws {
        let fixture = try await OperatorFixture(node: "321200")
        defer { fixture.close() }
        try await fixture.test { client in
            let form = try await client.execute(uri: "/login?next=/%09/evil.example", method: .get)
            #expect(form.text.contains(#"<input type="hidden" name="next" value="/">"#))
            let kept = try await client.execute(uri: "/login?next=/node", method: .get)
            #expect(kept.text.contains(#"<input type="hidden" name="next" value="/node">"#))
        }
    }

    /// Signs in as the city's administrator through the form with `next`; returns where to.
    private func signInThroughTheForm(next: String) async throws -> String? {
        let fixture = try await OperatorFixture(node: "321200")
        defer { fixture.close() }
        return try await fixture.test { client in
            let form = try await client.execute(uri: "/login", method: .get)
            let cookie = try #require(form.headers[.setCookie]?.split(separator: ";").first.map(String.init))
            let token = String(cookie.drop(while: { $0 != "=" }).dropFirst())
            let signedIn = try await client.execute(
                uri: "/login", method: .post,
                headers: [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(
                    string: "_csrf=\(token)&next=\(next)&username=cityadministrator&password=pw-cityAdministrator-2026")
            )
            #expect(signedIn.status == .seeOther, "\(signedIn.text)")
            #expect(signedIn.headers[.setCookie]?.contains("jiuzhu_session=") == true, "signed in")
            return signedIn.headers[.location]
        }
    }
}
