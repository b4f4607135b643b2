import Foundation
import JiuzhuDomain
import JiuzhuPolicy
import JiuzhuStorage
import Synchronization

/// The policy a node computes with: the newest version it holds, parsed once and kept
/// until a newer one arrives down the federation.
public final class PolicyService: Sendable {
    /// A parsed version.
    public struct Current: Sendable {
        public let published: PublishedPolicy
        public let calculator: PolicyCalculator
    }

    let store: any PolicyRepository
    private let cache = Mutex<(current: Current, checkedAt: ContinuousClock.Instant)?>(nil)
    /// How long a version is used before the database is asked again whether a newer one
    /// arrived: a new version takes effect within this time, and requests skip a read.
    static let recheckInterval = Duration.seconds(1)

    public init(store: any PolicyRepository) {
        self.store = store
    }

    /// The policy of the node that owns `database`.
    public convenience init(database: NodeDatabase) {
        self.init(store: database.policy)
    }

    /// The version in force at this node, or nil before the first one arrives.
    public func current() async throws -> Current? {
        let now = ContinuousClock.now
        let cached = cache.withLock { $0 }
        if let cached, now - cached.checkedAt < Self.recheckInterval { return cached.current }
        guard let key = try await store.latestPolicyKey() else { return nil }
        if let cached, cached.current.published.id == key {
            cache.withLock { $0 = (cached.current, now) }
            return cached.current
        }
        guard let published = try await store.latestPolicy() else { return nil }
        let document = try PolicyDocument.load(yaml: published.text, file: "\(published.id).yaml")
        let current = Current(published: published, calculator: PolicyCalculator(document: document))
        cache.withLock { $0 = (current, now) }
        return current
    }

    /// Validates a policy file and publishes it as a new version for the whole city (the
    /// city node only). Returns the version, and whether it was new.
    public static func publish(text: String, file: String, database: NodeDatabase, by actor: AuditActor)
        async throws -> (version: PolicyVersion, isNew: Bool)
    {
        try await PolicyService(database: database).publish(text: text, file: file, by: actor)
    }

    /// Validates a policy file and publishes it as a new version (the city node only).
    public func publish(text: String, file: String, by actor: AuditActor)
        async throws -> (version: PolicyVersion, isNew: Bool)
    {
        let document = try PolicyDocument.load(yaml: text, file: file)
        let isNew = try await store.publishPolicy(
            id: document.version.id, contentHash: document.version.contentHash, text: text, by: actor)
        return (document.version, isNew)
    }
}
