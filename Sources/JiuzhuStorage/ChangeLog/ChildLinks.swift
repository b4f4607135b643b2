import Foundation
import GRDB
import JiuzhuDomain

/// A parent's record of one child's link on one channel: when the child last pushed and
/// pulled, and how far down this node's log it has applied (the `after` of its last pull).
public struct ChildLink: Equatable, Sendable {
    public let child: DivisionCode
    public let channel: ReplicationChannel
    /// The last push this node committed from the child on the channel.
    public let lastPush: Date?
    /// The last pull the child made on the channel.
    public let lastPull: Date?
    /// This node's log position the child had applied at its last pull.
    public let pulledThrough: Int64?
}

extension ChangeLogStore {
    static let childLinkMigration = "v16 children's links and log retention"
    static let childLinkSchema = """
        CREATE TABLE child_link (
            peer TEXT NOT NULL,
            channel TEXT NOT NULL,
            last_push_at INTEGER,
            last_pull_at INTEGER,
            pulled_through INTEGER,
            PRIMARY KEY (peer, channel)
        ) WITHOUT ROWID;
        CREATE TABLE log_horizon (
            channel TEXT PRIMARY KEY,
            pruned_through INTEGER NOT NULL
        ) WITHOUT ROWID;
        """

    /// Records that `child` pushed on `channel` (a batch this node committed).
    public func recordChildPush(_ child: DivisionCode, channel: ReplicationChannel, at date: Date) async throws {
        try await writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO child_link (peer, channel, last_push_at) VALUES (?, ?, ?)
                    ON CONFLICT (peer, channel) DO UPDATE SET last_push_at = excluded.last_push_at
                    """,
                arguments: [child.digits, channel.rawValue, Self.milliseconds(date)])
        }
    }

    /// Records that `child` pulled on `channel` having applied this node's log through `position`.
    public func recordChildPull(
        _ child: DivisionCode, channel: ReplicationChannel, through position: Int64, at date: Date
    ) async throws {
        try await writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO child_link (peer, channel, last_pull_at, pulled_through) VALUES (?, ?, ?, ?)
                    ON CONFLICT (peer, channel) DO UPDATE SET
                        last_pull_at = excluded.last_pull_at, pulled_through = excluded.pulled_through
                    """,
                arguments: [child.digits, channel.rawValue, Self.milliseconds(date), position])
        }
    }

    /// Every child link this node has recorded, by child and channel.
    public func childLinks() async throws -> [ChildLink] {
        try await writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM child_link ORDER BY peer, channel").compactMap { row in
                guard let child = try? DivisionCode(row["peer"]),
                    let channel = ReplicationChannel(rawValue: row["channel"])
                else { return nil }
                return ChildLink(
                    child: child, channel: channel, lastPush: (row["last_push_at"] as Int64?).map(Self.date),
                    lastPull: (row["last_pull_at"] as Int64?).map(Self.date), pulledThrough: row["pulled_through"])
            }
        }
    }
}
