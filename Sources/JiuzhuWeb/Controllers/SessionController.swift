import Foundation
import Hummingbird
import JiuzhuDomain
import JiuzhuFederation
import JiuzhuServices
import JiuzhuStorage

/// Signing in and out, by form and by API.
///
/// A wrong user name and a wrong password get the same answer and take the same time.
/// Five attempts within fifteen minutes that do not sign in lock the name for fifteen
/// minutes, however many arrive at once; every attempt is audited.
struct SessionController {
    let environment: OperatorEnvironment

    /// The sign-in body of `POST /api/v1/session`.
    struct Credentials: Decodable {
        let username: String
        let password: String
    }

    /// What a signed-in client learns about itself.
    struct SessionInfo: Encodable {
        let username: String
        let displayName: String
        let role: OperatorRole
        let roleName: String
        let node: String
        let permissions: [Permission]
        let csrfToken: String
        let expiresAt: Date

        init(_ session: OperatorSession, node: String) {
            username = session.account.username
            displayName = session.account.displayName
            role = session.account.role
            roleName = session.account.role.chineseName
            self.node = node
            permissions = Permission.allCases.filter { AccessPolicy.allows(session.account.role, $0) }
            csrfToken = session.csrfToken
            expiresAt = session.expiresAt
        }
    }

    /// `SessionInfo` as the API writes it.
    static let sessionInfoSchema = JSONSchema.output(required: [
        "username": .text, "displayName": .text, "role": .codes(OperatorRole.self), "roleName": .text,
        "node": .divisionCode, "permissions": .array(.codes(Permission.self)), "csrfToken": .text,
        "expiresAt": .timestamp,
    ])

    func register(_ routes: OperatorRoutes) {
        routes.add(.init(method: .get, path: "/login", kind: .page, access: .open, summary: "登录页")) { guarded in
            if guarded.session != nil { return OperatorEnvironment.redirect("/") }
            return signInPage(next: guarded.query("next"), username: "", message: nil)
        }
        routes.add(.init(method: .post, path: "/login", kind: .page, access: .open, summary: "登录")) { guarded in
            let form = guarded.form
            let username = (form["username"] ?? "").trimmingCharacters(in: .whitespaces).lowercased()
            let next = Self.safeNext(form["next"])
            let cookie = guarded.request.cookies[SessionCookie.signInName]?.value ?? ""
            guard SecretToken.matches(form["_csrf"] ?? "", cookie) else {
                try await environment.context.services.signIn.refuseForgedForm(username: username)
                return signInPage(next: next, username: username, message: "登录表单已失效，请重新输入", status: .forbidden)
            }
            do {
                let (session, token) = try await signIn(username: username, password: form["password"] ?? "")
                return OperatorEnvironment.redirect(
                    next, cookies: [sessionCookie(token, session), SessionCookie.expired(SessionCookie.signInName)])
            } catch let refusal as AccessRefusal {
                return signInPage(next: next, username: username, message: refusal.message, status: refusal.status)
            }
        }
        routes.add(.init(method: .post, path: "/logout", kind: .page, access: .signedIn(.viewNode), summary: "退出登录")) {
            guarded in
            if let session = guarded.session { try await environment.context.services.signIn.signOut(session) }
            return OperatorEnvironment.redirect("/login", cookies: [SessionCookie.expired(SessionCookie.name)])
        }
        routes.add(
            .init(
                method: .post, path: "/api/v1/session", kind: .api, access: .open,
                summary: "登录：以用户名和密码换取会话 Cookie 与 CSRF 令牌",
                // Decoded leniently: other keys are ignored.
                body: .json(.lenientInput(required: ["username": .text, "password": .text])),
                replies: [
                    .ok(Self.sessionInfoSchema, "已登录：Set-Cookie 设置会话，csrfToken 供改变数据的请求使用"),
                    .refused(.unauthorized, "用户名或密码错误，或账号已停用"),
                    .refused(.tooManyRequests, "连续登录失败次数过多，该用户名暂时锁定"),
                ])
        ) { guarded in
            let credentials = try guarded.json(Credentials.self)
            let (session, token) = try await signIn(
                username: credentials.username.trimmingCharacters(in: .whitespaces).lowercased(),
                password: credentials.password)
            var response = try JSONResponse(SessionInfo(session, node: environment.node.code.digits)).response()
            response.setCookie(sessionCookie(token, session))
            return response
        }
        routes.add(
            .init(
                method: .get, path: "/api/v1/session", kind: .api, access: .signedIn(.viewNode), summary: "当前会话与权限",
                replies: [.ok(Self.sessionInfoSchema)])
        ) { guarded in
            guard let session = guarded.session else { throw AccessRefusal(status: .unauthorized, message: "请先登录") }
            return try JSONResponse(SessionInfo(session, node: environment.node.code.digits)).response()
        }
        routes.add(
            .init(
                method: .delete, path: "/api/v1/session", kind: .api, access: .signedIn(.viewNode), summary: "退出登录",
                replies: [.noContent])
        ) { guarded in
            if let session = guarded.session { try await environment.context.services.signIn.signOut(session) }
            var response = Response(status: .noContent)
            response.setCookie(SessionCookie.expired(SessionCookie.name))
            return response
        }
    }

    private func sessionCookie(_ token: String, _ session: OperatorSession) -> Cookie {
        SessionCookie.session(token, maxAge: Int(environment.context.sessionRules.lifetime))
    }

    /// Checks the password and opens a session; refuses with 401, or 429 while locked.
    func signIn(username: String, password: String) async throws -> (OperatorSession, String) {
        do {
            return try await environment.context.services.signIn.signIn(username: username, password: password)
        } catch SignIn.Refusal.locked(let until) {
            throw AccessRefusal(status: .tooManyRequests, message: Self.lockedMessage(until))
        } catch SignIn.Refusal.wrongCredentials {
            throw AccessRefusal(status: .unauthorized, message: "用户名或密码错误")
        }
    }

    private static func lockedMessage(_ until: Date) -> String {
        "连续登录失败次数过多，该用户名已锁定至 \(ShanghaiTime.format(until))（北京时间）"
    }

    /// Only a path on this node, never another site; anything else goes home (`/`).
    ///
    /// Browsers drop tabs and newlines from a URL and read `\` as `/`, so `/\t/evil.example`
    /// or `/\evil.example` would leave the site: `next` must be printable ASCII that starts with
    /// exactly one `/`, and neither it nor its percent-decoded form may hold `//`, a backslash,
    /// whitespace, or a control or format character.
    static func safeNext(_ next: String?) -> String {
        guard let next, next.unicodeScalars.allSatisfy({ (0x21...0x7E).contains($0.value) }),
            let decoded = next.removingPercentEncoding, isLocalPath(next), isLocalPath(decoded)
        else { return "/" }
        return next
    }

    private static func isLocalPath(_ path: String) -> Bool {
        let scalars = Array(path.unicodeScalars)
        guard scalars.first == "/" else { return false }
        let refused: Set<Unicode.GeneralCategory> = [
            .control, .format, .spaceSeparator, .lineSeparator, .paragraphSeparator, .surrogate, .privateUse,
            .unassigned,
        ]
        for (index, scalar) in scalars.enumerated() {
            if scalar == "\\" || scalar.properties.isWhitespace || refused.contains(scalar.properties.generalCategory) {
                return false
            }
            if scalar == "/", index + 1 < scalars.count, scalars[index + 1] == "/" { return false }
        }
        return true
    }

    private func signInPage(next: String?, username: String, message: String?, status: HTTPResponse.Status = .ok)
        -> Response
    {
        let token = SecretToken.make()
        struct View {
            let csrf: String
            let next: String
            let username: String
            let message: String?
        }
        var response = environment.page(
            "login", title: "登录",
            View(csrf: token, next: Self.safeNext(next), username: username, message: message), session: nil,
            status: status)
        response.setCookie(SessionCookie.signIn(token))
        return response
    }
}
