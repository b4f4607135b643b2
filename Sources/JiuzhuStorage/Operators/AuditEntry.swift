import Crypto
import Foundation
import JiuzhuDomain

/// How an audited act ended.
public enum AuditOutcome: String, Codable, CaseIterable, Sendable {
    case allowed, refused, failed

    public var chineseName: String {
        switch self {
        case .allowed: "成功"
        case .refused: "拒绝"
        case .failed: "失败"
        }
    }
}

/// What is about to be audited: who did what to which target, and how it ended.
public struct AuditRecord: Sendable {
    public let actor: String
    public let role: String
    /// A stable code name such as `session.signIn` or `accounts.create`.
    public let action: String
    /// The account, division or record acted on.
    public let target: String
    public let outcome: AuditOutcome
    /// A sentence in Chinese for the auditor.
    public let detail: String

    public init(actor: String, role: String, action: String, target: String, outcome: AuditOutcome, detail: String) {
        self.actor = actor
        self.role = role
        self.action = action
        self.target = target
        self.outcome = outcome
        self.detail = detail
    }
}

/// One entry of a node's append-only audit log, chained to the one before by its hash.
///
/// `hash` is SHA-256 over every field but `seq` and the previous entry's hash, so an
/// entry edited in place no longer matches its hash, and one removed or moved breaks
/// the chain at the entry after it. The sequence is left out of the hash on purpose:
/// the chain, not the numbering, says what came first, which lets `AuditChain` tell a
/// reordering from an edit.
public struct AuditEntry: Codable, Equatable, Sendable {
    public let seq: Int64
    /// Milliseconds since 1970.
    public let at: Int64
    public let node: String
    public let actor: String
    public let role: String
    public let action: String
    public let target: String
    public let outcome: AuditOutcome
    public let detail: String
    public let previousHash: String
    public let hash: String

    /// The hash the first entry of every chain points back to.
    public static let genesis = String(repeating: "0", count: 64)

    public init(
        seq: Int64, at: Int64, node: String, actor: String, role: String, action: String, target: String,
        outcome: AuditOutcome, detail: String, previousHash: String, hash: String
    ) {
        self.seq = seq
        self.at = at
        self.node = node
        self.actor = actor
        self.role = role
        self.action = action
        self.target = target
        self.outcome = outcome
        self.detail = detail
        self.previousHash = previousHash
        self.hash = hash
    }

    /// A new entry for `record`, sealed with its hash.
    static func sealing(_ record: AuditRecord, seq: Int64, at: Int64, node: String, previousHash: String)
        -> AuditEntry
    {
        let unsealed = AuditEntry(
            seq: seq, at: at, node: node, actor: record.actor, role: record.role, action: record.action,
            target: record.target, outcome: record.outcome, detail: record.detail, previousHash: previousHash,
            hash: "")
        return AuditEntry(
            seq: seq, at: at, node: node, actor: record.actor, role: record.role, action: record.action,
            target: record.target, outcome: record.outcome, detail: record.detail, previousHash: previousHash,
            hash: unsealed.computedHash)
    }

    /// The hash this entry's content and predecessor call for.
    public var computedHash: String {
        let fields = [node, String(at), actor, role, action, target, outcome.rawValue, detail, previousHash]
        let digest = SHA256.hash(data: Data(fields.joined(separator: "\u{1F}").utf8))
        return digest.lowercaseHex
    }
}
