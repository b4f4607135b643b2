import Foundation
import GRDB
import JiuzhuDomain

/// A signed-in operator's session, as the database holds it. The browser holds only the
/// token; the database holds its SHA-256, so a copy of the database opens no session.
public struct OperatorSession: Sendable {
    public let tokenHash: String
    public let account: OperatorAccount
    /// Sent back with every form and every changing API call.
    public let csrfToken: String
    public let lastSeenAt: Date
    public let expiresAt: Date
}

/// When sessions end and when repeated failed sign-ins lock an account name.
public struct SessionRules: Sendable {
    /// A session ends this long after sign-in, however busy.
    public var lifetime: TimeInterval = 8 * 3600
    /// A session ends after this long without a request.
    public var idleTimeout: TimeInterval = 30 * 60
    /// Failed sign-ins within `failureWindow` that lock the name.
    public var failuresBeforeLock = 5
    public var failureWindow: TimeInterval = 15 * 60
    public var lockDuration: TimeInterval = 15 * 60

    public init() {}
}

extension OperatorStore {
    /// Opens a session after a successful sign-in; clears the failure count; audited.
    public func openSession(
        for account: OperatorAccount, tokenHash: String, csrfToken: String, rules: SessionRules
    ) async throws -> OperatorSession {
        try await transaction { transaction in
            let now = transaction.now
            let expires = now + Int64(rules.lifetime * 1000)
            try transaction.db.execute(
                sql: """
                    INSERT INTO operator_session (token_hash, username, csrf_token, created_at, last_seen_at, expires_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [tokenHash, account.username, csrfToken, now, now, expires])
            try transaction.db.execute(
                sql: "DELETE FROM login_throttle WHERE username = ?", arguments: [account.username])
            try Self.appendAudit(
                AuditRecord(
                    actor: account.username, role: account.role.rawValue, action: "session.signIn",
                    target: account.username, outcome: .allowed, detail: "登录"),
                in: &transaction)
            return OperatorSession(
                tokenHash: tokenHash, account: account, csrfToken: csrfToken, lastSeenAt: Self.date(now),
                expiresAt: Self.date(expires))
        }
    }

    /// The live session for a token hash, or nil when unknown, expired, idle too long or
    /// its account is disabled. A live session's last-seen time moves on at most once a minute.
    public func liveSession(tokenHash: String, rules: SessionRules) async throws -> OperatorSession? {
        let now = wallClock.now()
        let found = try await writer.read { db -> (OperatorSession, Int64)? in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT s.csrf_token, s.last_seen_at, s.expires_at, a.*
                        FROM operator_session s JOIN operator_account a ON a.username = s.username
                        WHERE s.token_hash = ?
                        """,
                    arguments: [tokenHash]),
                let account = Self.account(row), !account.disabled
            else { return nil }
            let lastSeen: Int64 = row["last_seen_at"]
            let expires: Int64 = row["expires_at"]
            guard now < expires, now - lastSeen < Int64(rules.idleTimeout * 1000) else { return nil }
            return (
                OperatorSession(
                    tokenHash: tokenHash, account: account, csrfToken: row["csrf_token"],
                    lastSeenAt: Self.date(lastSeen), expiresAt: Self.date(expires)), lastSeen
            )
        }
        guard let (session, lastSeen) = found else { return nil }
        if now - lastSeen > 60_000 {
            try await writer.write { db in
                try db.execute(
                    sql: "UPDATE operator_session SET last_seen_at = ? WHERE token_hash = ?",
                    arguments: [now, tokenHash])
            }
        }
        return session
    }

    /// Ends a session (sign-out); audited.
    public func closeSession(_ session: OperatorSession) async throws {
        try await transaction { transaction in
            try transaction.db.execute(
                sql: "DELETE FROM operator_session WHERE token_hash = ?", arguments: [session.tokenHash])
            try Self.appendAudit(
                AuditRecord(
                    actor: session.account.username, role: session.account.role.rawValue, action: "session.signOut",
                    target: session.account.username, outcome: .allowed, detail: "退出登录"),
                in: &transaction)
        }
    }

    /// Takes one of the sign-in attempts `username` has left, before its password is checked.
    ///
    /// Checking the lock and counting the attempt are one write transaction, so however many
    /// attempts arrive at once no more than `rules.failuresBeforeLock` within the window get to
    /// the password check: each is counted as a failure when it is admitted (a success clears
    /// the count, `openSession`), and the one that uses the last attempt locks the name. A
    /// lock, once set, is never shortened or lifted by a later attempt; it ends by its own time
    /// or by a successful sign-in admitted before it. A refused attempt is audited here.
    public func reserveSignInAttempt(_ username: String, rules: SessionRules) async throws -> SignInAttempt {
        try await transaction { transaction in
            let db = transaction.db
            let now = transaction.now
            let row = try Row.fetchOne(
                db, sql: "SELECT failures, first_failure_at, locked_until FROM login_throttle WHERE username = ?",
                arguments: [username])
            if let until = row?["locked_until"] as Int64?, until > now {
                try Self.appendAudit(
                    AuditRecord(
                        actor: username, role: "未登录", action: "session.signIn", target: username, outcome: .refused,
                        detail: "用户名已锁定时再次尝试"),
                    in: &transaction)
                return .locked(until: Self.date(until))
            }
            var failures = 1
            var first = now
            if let row, row["locked_until"] as Int64? == nil,
                now - (row["first_failure_at"] as Int64) < Int64(rules.failureWindow * 1000)
            {
                failures = (row["failures"] as Int) + 1
                first = row["first_failure_at"]
            }
            let lockedUntil: Int64? =
                failures >= rules.failuresBeforeLock ? now + Int64(rules.lockDuration * 1000) : nil
            try db.execute(
                sql: """
                    INSERT INTO login_throttle (username, failures, first_failure_at, locked_until) VALUES (?, ?, ?, ?)
                    ON CONFLICT(username) DO UPDATE SET failures = excluded.failures,
                        first_failure_at = excluded.first_failure_at, locked_until = excluded.locked_until
                    """,
                arguments: [username, failures, first, lockedUntil])
            return .admitted
        }
    }

    /// Audits a failed or refused sign-in. The attempt was already counted when it was
    /// admitted (`reserveSignInAttempt`), so this changes no count and no lock; it returns
    /// until when the name is locked, if it is.
    @discardableResult
    public func recordSignInFailure(_ username: String, reason: String, refused: Bool = false) async throws -> Date? {
        try await transaction { transaction in
            let now = transaction.now
            let until = try Int64.fetchOne(
                transaction.db, sql: "SELECT locked_until FROM login_throttle WHERE username = ?",
                arguments: [username])
            let locked = until.flatMap { $0 > now ? $0 : nil }
            try Self.appendAudit(
                AuditRecord(
                    actor: username, role: "未登录", action: "session.signIn", target: username,
                    outcome: refused ? .refused : .failed,
                    detail: locked == nil || refused ? reason : "\(reason)；连续失败过多，账号名暂时锁定"),
                in: &transaction)
            return locked.map(Self.date)
        }
    }
}

/// Whether a sign-in attempt may go on to its password check.
public enum SignInAttempt: Equatable, Sendable {
    /// Counted against the name; check the password.
    case admitted
    /// The name is locked until then; the password is not checked.
    case locked(until: Date)
}
