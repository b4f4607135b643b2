import Foundation
import GRDB
import JiuzhuDomain

/// A policy version as published by the city: the policy file itself, its identifier and
/// hash. It travels down the `policy` channel to every node, unparsed; each node parses it
/// with the calculator it runs.
public struct PublishedPolicy: Codable, Equatable, Sendable {
    /// The identifier the file gives itself, e.g. `2026.1`.
    public let id: String
    /// SHA-256 of the file's bytes, lowercase hex.
    public let contentHash: String
    /// The YAML text.
    public let text: String
    /// Milliseconds since 1970, at the city.
    public let publishedAt: Int64
    public let publishedBy: String

    public init(id: String, contentHash: String, text: String, publishedAt: Int64, publishedBy: String) {
        self.id = id
        self.contentHash = contentHash
        self.text = text
        self.publishedAt = publishedAt
        self.publishedBy = publishedBy
    }

    /// `2026.1（3f2a9c01b7d4）`, as pages show a version.
    public var label: String { "\(id)（\(contentHash.prefix(12))）" }
}

/// Why a policy version cannot be published.
public enum PolicyPublicationError: Error, Equatable, Sendable, CustomStringConvertible {
    case notTheCity(String)
    case versionTaken(id: String)

    public var description: String {
        switch self {
        case .notTheCity(let node): "只有市级节点能发布政策版本（本节点 \(node)）"
        case .versionTaken(let id): "政策版本号 \(id) 已经发布过、内容不同；请使用新的版本号"
        }
    }
}

extension PolicyStore {
    static let policyEntity = "policyVersion"

    /// Publishes a policy version for the whole city (the city node only), audited; returns
    /// false when the same version with the same content was already published.
    @discardableResult
    public func publishPolicy(id: String, contentHash: String, text: String, by actor: AuditActor) async throws -> Bool
    {
        guard owner.role == .city else { throw PolicyPublicationError.notTheCity(owner.code.digits) }
        let code = owner.code
        return try await transaction { transaction in
            if let payload = try String.fetchOne(
                transaction.db,
                sql: "SELECT payload FROM replica_row WHERE channel = ? AND entity = ? AND key = ?",
                arguments: [ReplicationChannel.policy.rawValue, Self.policyEntity, id]),
                let existing = try? JSONDecoder().decode(PublishedPolicy.self, from: Data(payload.utf8))
            {
                guard existing.contentHash == contentHash else { throw PolicyPublicationError.versionTaken(id: id) }
                return false
            }
            let published = PublishedPolicy(
                id: id, contentHash: contentHash, text: text, publishedAt: transaction.now, publishedBy: actor.name)
            try transaction.log([
                LocalChange(
                    channel: .policy, entity: Self.policyEntity, key: id, jurisdiction: code,
                    payload: String(decoding: try JSONEncoder().encode(published), as: UTF8.self))
            ])
            try OperatorStore.appendAudit(
                AuditRecord(
                    actor: actor.name, role: actor.role, action: "policy.publish", target: id, outcome: .allowed,
                    detail: "发布政策版本 \(published.label)"),
                in: &transaction)
            return true
        }
    }

    /// The newest policy version this node holds (the last published), if any.
    public func latestPolicy() async throws -> PublishedPolicy? {
        try await policyVersions(limit: 1).first
    }

    /// Policy versions this node holds, newest first.
    public func policyVersions(limit: Int = 20) async throws -> [PublishedPolicy] {
        try await writer.read { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT payload FROM replica_row WHERE channel = ? AND entity = ? AND payload IS NOT NULL AND origin = jurisdiction
                    ORDER BY hlc DESC LIMIT ?
                    """,
                arguments: [ReplicationChannel.policy.rawValue, Self.policyEntity, limit]
            ).compactMap { try? JSONDecoder().decode(PublishedPolicy.self, from: Data($0.utf8)) }
        }
    }

    /// The hash of the newest version, cheaply, to tell whether a cached calculator is current.
    public func latestPolicyKey() async throws -> String? {
        try await writer.read { db in
            try String.fetchOne(
                db,
                sql: """
                    SELECT key FROM replica_row WHERE channel = ? AND entity = ? AND payload IS NOT NULL AND origin = jurisdiction
                    ORDER BY hlc DESC LIMIT 1
                    """,
                arguments: [ReplicationChannel.policy.rawValue, Self.policyEntity])
        }
    }
}
