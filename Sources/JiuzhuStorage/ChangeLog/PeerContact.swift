import Foundation
import GRDB
import JiuzhuDomain

/// The last time this node and a neighbour in the tree spoke over the federation link.
///
/// A child records its calls to its parent (successes and failures); a parent records
/// the calls its children make to it. Connections always go from child to parent, so a
/// parent learns a child is reachable only by hearing from it.
public struct PeerContact: Equatable, Sendable {
    public enum Relation: String, Sendable {
        case parent, child
    }

    public let peer: DivisionCode
    public let relation: Relation
    public let lastContact: Date?
    public let lastError: String?
    public let lastErrorAt: Date?
    /// How many changes the child said it still had to push, at its last hello.
    public let reportedBacklog: Int?
    /// For the parent: the newest policy version it held at the last hello, `id@hash`.
    public let policyVersion: String?
}

extension ChangeLogStore {
    /// Records a successful exchange with `peer`.
    public func recordContact(
        with peer: DivisionCode, relation: PeerContact.Relation, at date: Date, reportedBacklog: Int? = nil,
        policyVersion: String? = nil
    ) async throws {
        try await writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO peer_contact (peer_code, relation, last_contact_at, reported_backlog, policy_version)
                    VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT(peer_code) DO UPDATE SET relation = excluded.relation,
                        last_contact_at = excluded.last_contact_at,
                        reported_backlog = coalesce(excluded.reported_backlog, reported_backlog),
                        policy_version = coalesce(excluded.policy_version, policy_version)
                    """,
                arguments: [peer.digits, relation.rawValue, Self.milliseconds(date), reportedBacklog, policyVersion])
        }
    }

    /// Records a failed attempt to reach `peer`, keeping the last success.
    public func recordFailure(
        with peer: DivisionCode, relation: PeerContact.Relation, error: String, at date: Date
    ) async throws {
        try await writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO peer_contact (peer_code, relation, last_error, last_error_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT(peer_code) DO UPDATE SET relation = excluded.relation,
                        last_error = excluded.last_error, last_error_at = excluded.last_error_at
                    """,
                arguments: [peer.digits, relation.rawValue, error, Self.milliseconds(date)])
        }
    }

    /// Every neighbour this node has spoken with or tried to.
    public func peerContacts() async throws -> [PeerContact] {
        try await writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM peer_contact ORDER BY peer_code").compactMap { row in
                guard let code = try? DivisionCode(row["peer_code"]),
                    let relation = PeerContact.Relation(rawValue: row["relation"])
                else { return nil }
                return PeerContact(
                    peer: code, relation: relation,
                    lastContact: (row["last_contact_at"] as Int64?).map(Self.date),
                    lastError: row["last_error"],
                    lastErrorAt: (row["last_error_at"] as Int64?).map(Self.date),
                    reportedBacklog: row["reported_backlog"], policyVersion: row["policy_version"])
            }
        }
    }
}
