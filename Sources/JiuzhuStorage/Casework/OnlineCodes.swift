import Foundation
import GRDB
import JiuzhuDomain

/// A one-time code an online applicant asked for too soon after the last one.
public struct OnlineCodeTooSoon: Error, Equatable, Sendable, CustomStringConvertible {
    /// Seconds until another code may be sent.
    public let retryAfter: Int

    public var description: String { "验证码已发送，请 \(retryAfter) 秒后再试" }
}

/// How checking a one-time code ended.
public enum OnlineCodeCheck: Equatable, Sendable {
    case accepted
    /// Wrong code; the attempts left.
    case wrong(left: Int)
    /// No code was sent to the number, or it expired or was used up.
    case missing
}

extension CaseworkStore {
    static let onlineCodeMigration = "v10 online application codes"

    /// The codes sent to applicants' phones, kept only at the node that sent them, by a hash of
    /// the number; the code itself is kept hashed too.
    static let onlineCodeSchema = """
        CREATE TABLE online_code (
            phone_hash TEXT PRIMARY KEY,
            code_hash TEXT NOT NULL,
            sent_at INTEGER NOT NULL,
            expires_at INTEGER NOT NULL,
            attempts INTEGER NOT NULL
        ) WITHOUT ROWID;
        """

    /// Records a new code for a number, unless one was sent less than `interval` ms ago.
    public func recordOnlineCode(phoneHash: String, codeHash: String, validFor: Int64, interval: Int64) async throws {
        let now = wallClock.now()
        try await writer.write { db in
            if let sentAt = try Int64.fetchOne(
                db, sql: "SELECT sent_at FROM online_code WHERE phone_hash = ?", arguments: [phoneHash]),
                now - sentAt < interval, now >= sentAt
            {
                throw OnlineCodeTooSoon(retryAfter: Int((interval - (now - sentAt) + 999) / 1000))
            }
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO online_code (phone_hash, code_hash, sent_at, expires_at, attempts)
                    VALUES (?, ?, ?, ?, 0)
                    """,
                arguments: [phoneHash, codeHash, now, now + validFor])
        }
    }

    /// Checks a code for a number: accepted codes are used up; a wrong one counts an attempt,
    /// and after `maximumAttempts` the code is gone.
    public func checkOnlineCode(phoneHash: String, codeHash: String, maximumAttempts: Int) async throws
        -> OnlineCodeCheck
    {
        let now = wallClock.now()
        return try await writer.write { db in
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT code_hash, expires_at, attempts FROM online_code WHERE phone_hash = ?",
                    arguments: [phoneHash]),
                (row["expires_at"] as Int64) > now, (row["attempts"] as Int) < maximumAttempts
            else { return .missing }
            if (row["code_hash"] as String) == codeHash {
                try db.execute(sql: "DELETE FROM online_code WHERE phone_hash = ?", arguments: [phoneHash])
                return .accepted
            }
            let attempts = (row["attempts"] as Int) + 1
            try db.execute(
                sql: "UPDATE online_code SET attempts = ? WHERE phone_hash = ?", arguments: [attempts, phoneHash])
            return .wrong(left: maximumAttempts - attempts)
        }
    }
}
