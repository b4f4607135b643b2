import Foundation
import HummingbirdBcrypt
import JiuzhuDomain
import JiuzhuStorage

/// Signing in and out: the one path the sign-in form and the session API take.
///
/// Each attempt is counted before its password is checked (``SessionRepository/reserveSignInAttempt``),
/// so twenty guesses at once get no more checks than the rules allow; an unknown name takes as
/// long as a known one and is answered like a wrong password; a success opens a session stored
/// only as the SHA-256 of its token.
///
/// ```swift
/// let (session, token) = try await SignIn(store: database.operators, hasher: hasher, rules: rules)
///     .signIn(username: "cityanalyst", password: password)
/// ```
public struct SignIn: Sendable {
    /// Why a sign-in was refused.
    public enum Refusal: Error, Equatable, Sendable {
        /// The name or the password is wrong, or the account is disabled (which of them is not said).
        case wrongCredentials
        /// Too many failures: the name is locked until then, whatever the password.
        case locked(until: Date)
    }

    public let store: any SessionRepository
    public let hasher: PasswordHasher
    public let rules: SessionRules

    public init(store: any SessionRepository, hasher: PasswordHasher, rules: SessionRules) {
        self.store = store
        self.hasher = hasher
        self.rules = rules
    }

    /// Checks the password and opens a session; returns it with the token for the cookie.
    public func signIn(username: String, password: String) async throws -> (session: OperatorSession, token: String) {
        if case .locked(let until) = try await store.reserveSignInAttempt(username, rules: rules) {
            throw Refusal.locked(until: until)
        }
        let found = try await store.accountForSignIn(username)
        let matches = try await hasher.verify(password, hash: found?.passwordHash ?? Self.decoyHash)
        guard let found, matches, !found.account.disabled else {
            let reason = found == nil ? "用户名不存在" : !matches ? "密码错误" : "账号已停用"
            if let until = try await store.recordSignInFailure(username, reason: reason, refused: false) {
                throw Refusal.locked(until: until)
            }
            throw Refusal.wrongCredentials
        }
        let token = SecretToken.make()
        let session = try await store.openSession(
            for: found.account, tokenHash: SecretToken.hash(token), csrfToken: SecretToken.make(), rules: rules)
        return (session, token)
    }

    /// Audits a sign-in form that came without its CSRF token; nothing is checked or counted.
    public func refuseForgedForm(username: String) async throws {
        try await store.recordSignInFailure(username, reason: "登录表单的 CSRF 令牌缺失或不符", refused: true)
    }

    /// Ends a session; audited.
    public func signOut(_ session: OperatorSession) async throws {
        try await store.closeSession(session)
    }

    /// A hash no password matches, checked for unknown names so they take as long as known ones.
    static let decoyHash = Bcrypt.hash(SecretToken.make(), cost: PasswordHasher().cost)
}
