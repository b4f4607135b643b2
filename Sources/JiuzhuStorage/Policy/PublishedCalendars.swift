import Foundation
import GRDB
import JiuzhuDomain

/// A working-day calendar year as published by the city: the file itself, its year, version
/// and hash. It travels down the `policy` channel like a policy version; each node parses it.
public struct PublishedCalendar: Codable, Equatable, Sendable {
    public let year: Int
    /// The version the file gives itself, e.g. `2026.1`.
    public let version: String
    /// SHA-256 of the file's bytes, lowercase hex.
    public let contentHash: String
    /// The YAML text.
    public let text: String
    /// Milliseconds since 1970, at the city.
    public let publishedAt: Int64
    public let publishedBy: String

    public init(year: Int, version: String, contentHash: String, text: String, publishedAt: Int64, publishedBy: String)
    {
        self.year = year
        self.version = version
        self.contentHash = contentHash
        self.text = text
        self.publishedAt = publishedAt
        self.publishedBy = publishedBy
    }
}

extension PolicyStore {
    static let calendarEntity = "workingCalendar"

    /// Publishes a calendar year for the whole city (the city node only), audited; returns
    /// false when the same version with the same content was already published. A version
    /// published once cannot be published again with other content.
    @discardableResult
    public func publishCalendar(year: Int, version: String, contentHash: String, text: String, by actor: AuditActor)
        async throws -> Bool
    {
        guard owner.role == .city else { throw PolicyPublicationError.notTheCity(owner.code.digits) }
        let code = owner.code
        return try await transaction { transaction in
            if let payload = try String.fetchOne(
                transaction.db,
                sql: "SELECT payload FROM replica_row WHERE channel = ? AND entity = ? AND key = ?",
                arguments: [ReplicationChannel.policy.rawValue, Self.calendarEntity, version]),
                let existing = try? JSONDecoder().decode(PublishedCalendar.self, from: Data(payload.utf8))
            {
                guard existing.contentHash == contentHash else {
                    throw PolicyPublicationError.versionTaken(id: version)
                }
                return false
            }
            let published = PublishedCalendar(
                year: year, version: version, contentHash: contentHash, text: text, publishedAt: transaction.now,
                publishedBy: actor.name)
            try transaction.log([
                LocalChange(
                    channel: .policy, entity: Self.calendarEntity, key: version, jurisdiction: code,
                    payload: String(decoding: try JSONEncoder().encode(published), as: UTF8.self))
            ])
            try OperatorStore.appendAudit(
                AuditRecord(
                    actor: actor.name, role: actor.role, action: "calendar.publish", target: version, outcome: .allowed,
                    detail: "发布 \(year) 年工作日历 \(version)（\(contentHash.prefix(12))）"),
                in: &transaction)
            return true
        }
    }

    /// Every calendar version this node holds, in the order they were published.
    public func publishedCalendars() async throws -> [PublishedCalendar] {
        try await writer.read { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT payload FROM replica_row WHERE channel = ? AND entity = ? AND payload IS NOT NULL AND origin = jurisdiction
                    ORDER BY hlc
                    """,
                arguments: [ReplicationChannel.policy.rawValue, Self.calendarEntity]
            ).compactMap { try? JSONDecoder().decode(PublishedCalendar.self, from: Data($0.utf8)) }
        }
    }

    /// A fingerprint of the calendars held: changes whenever one arrives.
    public func calendarKey() async throws -> String {
        try await writer.read { db in
            try String.fetchAll(
                db, sql: "SELECT key FROM replica_row WHERE channel = ? AND entity = ? ORDER BY key",
                arguments: [ReplicationChannel.policy.rawValue, Self.calendarEntity]
            ).joined(separator: ",")
        }
    }
}
