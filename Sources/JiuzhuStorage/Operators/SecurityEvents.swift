import Foundation
import GRDB
import JiuzhuDomain

/// Which security events to list: those recorded inside a division, of one kind, in a time range.
public struct SecurityEventQuery: Sendable {
    /// Events recorded by this division's nodes (nil: the whole of this node's subtree).
    public var division: DivisionCode?
    /// The refusal's machine name (`not-owner`, `clock-ahead`, …).
    public var kind: String?
    /// From this instant on, inclusive.
    public var since: Date?
    /// Before this instant.
    public var until: Date?
    public var limit: Int

    public init(
        division: DivisionCode? = nil, kind: String? = nil, since: Date? = nil, until: Date? = nil, limit: Int = 100
    ) {
        self.division = division
        self.kind = kind
        self.since = since
        self.until = until
        self.limit = limit
    }
}

extension OperatorStore {
    /// The entity under which security events travel on the security channel.
    public static let securityEventEntity = "security_event"

    /// The payloads of the security events this node holds (its own and those replicated from
    /// below), newest first. Events are few (each refusal is recorded at most once a minute per
    /// peer and kind), so the filters read every event's JSON.
    public func securityEventPayloads(_ query: SecurityEventQuery) async throws -> [String] {
        let prefix = String((query.division ?? owner.code).jurisdictionPrefix)
        let iso = ISO8601DateFormatter()
        let since = query.since.map { iso.string(from: $0) }
        let until = query.until.map { iso.string(from: $0) }
        return try await writer.read { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT payload FROM replica_row
                    WHERE channel = ?1 AND entity = ?2 AND payload IS NOT NULL AND substr(origin, 1, ?3) = ?4
                      AND (?5 IS NULL OR json_extract(payload, '$.kind') = ?5)
                      AND (?6 IS NULL OR json_extract(payload, '$.at') >= ?6)
                      AND (?7 IS NULL OR json_extract(payload, '$.at') < ?7)
                    ORDER BY json_extract(payload, '$.at') DESC LIMIT ?8
                    """,
                arguments: [
                    ReplicationChannel.security.rawValue, Self.securityEventEntity, prefix.count, prefix, query.kind,
                    since, until, max(1, min(query.limit, 500)),
                ])
        }
    }
}

extension OperatorStore {
    /// Records a security event this node saw about `peer` (a node's division code or a
    /// department's code name), unless it already recorded one of the
    /// same `kind` about that peer at or after `since`; returns whether it wrote. The check and
    /// the write are one transaction, and the earlier events are the durable rows themselves, so
    /// a restart does not reopen the quiet period and two refusals at once write one event.
    public func recordSecurityEvent(
        peer: String, kind: String, at now: Date, unlessRecordedSince since: Date, payload: String
    ) async throws -> Bool {
        let code = owner.code
        let sinceText = ISO8601DateFormatter().string(from: since)
        return try await transaction { transaction in
            let recent =
                try Bool.fetchOne(
                    transaction.db,
                    sql: """
                        SELECT 1 FROM replica_row
                        WHERE channel = ? AND entity = ? AND origin = ? AND json_extract(payload, '$.peer') = ?
                          AND json_extract(payload, '$.kind') = ? AND json_extract(payload, '$.at') >= ?
                        LIMIT 1
                        """,
                    arguments: [
                        ReplicationChannel.security.rawValue, Self.securityEventEntity, code.digits, peer, kind,
                        sinceText,
                    ]) ?? false
            guard !recent else { return false }
            try transaction.log([
                LocalChange(
                    channel: .security, entity: Self.securityEventEntity,
                    key: "\(code)-\(UUID().uuidString)", jurisdiction: code, payload: payload)
            ])
            return true
        }
    }
}
