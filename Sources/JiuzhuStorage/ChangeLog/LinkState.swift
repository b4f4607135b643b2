import Foundation
import GRDB
import JiuzhuDomain

/// The health of one channel on one link, as operators see it.
public struct LinkState: Codable, Equatable, Sendable {
    public let peer: DivisionCode
    public let direction: LinkDirection
    public let channel: ReplicationChannel
    public let lastSuccessAt: Date?
    /// The last failure, kept until a later success clears it.
    public let lastError: String?
    public let lastErrorAt: Date?
    /// Whether the two sides' checksums agreed at the last comparison (nil: not compared yet).
    public let checksumAgrees: Bool?
    public let checksumDetail: String?
    public let checksumAt: Date?
}

/// Changes not yet acknowledged by the parent on one channel.
public struct Backlog: Codable, Equatable, Sendable {
    public let count: Int
    /// When the oldest of them was committed here.
    public let oldestCommittedAt: Date?
}

extension ChangeLogStore {
    /// Records a successful exchange on a link's channel, clearing its last error.
    public func recordLinkSuccess(peer: DivisionCode, direction: LinkDirection, channel: ReplicationChannel)
        async throws
    {
        let now = wallClock.now()
        try await writer.write { db in
            try Self.markLinkHealthy(peer: peer, direction: direction, channel: channel, at: now, db)
        }
    }

    static func markLinkHealthy(
        peer: DivisionCode, direction: LinkDirection, channel: ReplicationChannel, at now: Int64, _ db: Database
    ) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO link_state (peer, direction, channel, last_success_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (peer, direction, channel) DO UPDATE SET
                    last_success_at = excluded.last_success_at, last_error = NULL, last_error_at = NULL
                """
        ).execute(arguments: [peer.digits, direction.rawValue, channel.rawValue, now])
    }

    /// The checksum of this node's own subtree on `channel`, but only when nothing on the
    /// channel waits for the parent: otherwise the two sides cannot agree yet.
    public func checksumIfCaughtUp(parent: DivisionCode, channel: ReplicationChannel) async throws -> SubtreeChecksum? {
        try await writer.read { db in
            let cursor = try Self.cursor(peer: parent, direction: .up, channel: channel, db)
            let pending =
                try Bool.fetchOne(
                    db,
                    sql: """
                        SELECT EXISTS (SELECT 1 FROM change_log
                            WHERE channel = ? AND position > ? AND arrived_from <> 'parent')
                        """,
                    arguments: [channel.rawValue, cursor]) ?? false
            return pending ? nil : try Self.checksum(channel: channel, subtree: owner.code, db)
        }
    }

    /// Records why a link's channel is blocked; the channel retries, the others go on.
    public func recordLinkFailure(
        peer: DivisionCode, direction: LinkDirection, channel: ReplicationChannel, error: String
    ) async throws {
        try await writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO link_state (peer, direction, channel, last_error, last_error_at) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (peer, direction, channel) DO UPDATE SET
                        last_error = excluded.last_error, last_error_at = excluded.last_error_at
                    """,
                arguments: [peer.digits, direction.rawValue, channel.rawValue, error, wallClock.now()])
        }
    }

    /// Records the outcome of a checksum comparison.
    public func recordChecksum(
        peer: DivisionCode, channel: ReplicationChannel, agrees: Bool, detail: String
    ) async throws {
        try await writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO link_state (peer, direction, channel, checksum, checksum_detail, checksum_at)
                    VALUES (?, 'up', ?, ?, ?, ?)
                    ON CONFLICT (peer, direction, channel) DO UPDATE SET checksum = excluded.checksum,
                        checksum_detail = excluded.checksum_detail, checksum_at = excluded.checksum_at
                    """,
                arguments: [peer.digits, channel.rawValue, agrees ? "agree" : "differ", detail, wallClock.now()])
        }
    }

    /// Every link state this node has recorded.
    public func linkStates() async throws -> [LinkState] {
        try await writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM link_state ORDER BY peer, direction, channel").compactMap { row in
                guard let peer = try? DivisionCode(row["peer"]),
                    let direction = LinkDirection(rawValue: row["direction"]),
                    let channel = ReplicationChannel(rawValue: row["channel"])
                else { return nil }
                let checksum: String? = row["checksum"]
                return LinkState(
                    peer: peer, direction: direction, channel: channel,
                    lastSuccessAt: (row["last_success_at"] as Int64?).map(Self.date),
                    lastError: row["last_error"], lastErrorAt: (row["last_error_at"] as Int64?).map(Self.date),
                    checksumAgrees: checksum.map { $0 == "agree" }, checksumDetail: row["checksum_detail"],
                    checksumAt: (row["checksum_at"] as Int64?).map(Self.date))
            }
        }
    }

    /// What waits on `channel` for the parent's acknowledgement.
    public func upwardBacklog(parent: DivisionCode, channel: ReplicationChannel) async throws -> Backlog {
        try await writer.read { db in
            let cursor = try Self.cursor(peer: parent, direction: .up, channel: channel, db)
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT COUNT(*) AS count, MIN(committed_at) AS oldest FROM change_log
                    WHERE channel = ? AND position > ? AND arrived_from <> 'parent'
                    """,
                arguments: [channel.rawValue, cursor])
            return Backlog(count: row?["count"] ?? 0, oldestCommittedAt: (row?["oldest"] as Int64?).map(Self.date))
        }
    }
}
