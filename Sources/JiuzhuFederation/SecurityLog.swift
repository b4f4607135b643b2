import Foundation
import JiuzhuDomain
import JiuzhuStorage

/// Records refused federation requests (a node's, or a department's at the feed endpoint) as
/// rows on the security channel, so that each one travels up to the city like any other change.
///
/// A misconfigured or hostile peer retries every second on every channel; one event per peer
/// and kind of refusal per `quietPeriod` says as much as thousands would, without flooding
/// the log and every level above it. The quiet period is read from the stored events, so it
/// holds across restarts.
public struct SecurityLog: Sendable {
    let node: TopologyNode
    let database: NodeDatabase
    let quietPeriod: TimeInterval

    public init(node: TopologyNode, database: NodeDatabase, quietPeriod: TimeInterval = 60) {
        self.node = node
        self.database = database
        self.quietPeriod = quietPeriod
    }

    /// What one security event says.
    public struct Event: Codable, Equatable, Sendable {
        public let kind: String
        /// The caller refused: a division code's digits, or a department's code name.
        public let peer: String
        public let node: String
        public let detail: String
        public let at: Date

        /// Reads an event back from a replicated row's payload.
        public init(payload: String) throws {
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            self = try decoder.decode(Event.self, from: Data(payload.utf8))
        }

        init(kind: String, peer: String, node: String, detail: String, at: Date) {
            self.kind = kind
            self.peer = peer
            self.node = node
            self.detail = detail
            self.at = at
        }
    }

    /// The entity name of security events in the replicated rows.
    public static let entity = OperatorStore.securityEventEntity

    /// Every kind of security event, by its machine name, with its Chinese name for operators:
    /// the federation's refusals and the department feeds'.
    public static let kinds = BatchAdmission.Refusal.kinds + FeedAdmission.Refusal.kinds

    /// Writes one event about `peer`, unless the same refusal of the same peer was recorded
    /// within the quiet period; returns whether it wrote.
    @discardableResult
    public func record(_ refusal: BatchAdmission.Refusal, peer: DivisionCode, at time: Date? = nil) async throws
        -> Bool
    {
        try await record(kind: refusal.kind, peer: peer.digits, detail: refusal.description, at: time)
    }

    /// Writes one event about the department or node a feed refusal names, unless the same
    /// refusal of the same caller was recorded within the quiet period; returns whether it wrote.
    @discardableResult
    public func record(_ refusal: FeedAdmission.Refusal, at time: Date? = nil) async throws -> Bool {
        try await record(kind: refusal.kind, peer: refusal.caller.securityName, detail: refusal.description, at: time)
    }

    private func record(kind: String, peer: String, detail: String, at time: Date?) async throws -> Bool {
        let now = time ?? database.wallClock.date()
        let event = Event(kind: kind, peer: peer, node: node.code.digits, detail: detail, at: now)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        encoder.dateEncodingStrategy = .iso8601
        return try await database.operators.recordSecurityEvent(
            peer: peer, kind: kind, at: now, unlessRecordedSince: now.addingTimeInterval(-quietPeriod),
            payload: String(decoding: try encoder.encode(event), as: UTF8.self))
    }
}
