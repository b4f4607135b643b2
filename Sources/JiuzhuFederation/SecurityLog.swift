import Foundation
import JiuzhuDomain
import JiuzhuStorage

/// Records refused federation requests as rows on the security channel, so that each one
/// travels up to the city like any other change.
public struct SecurityLog: Sendable {
    let node: TopologyNode
    let database: NodeDatabase

    public init(node: TopologyNode, database: NodeDatabase) {
        self.node = node
        self.database = database
    }

    /// What one security event says.
    public struct Event: Codable, Equatable, Sendable {
        public let kind: String
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
    public static let entity = "security_event"

    /// Writes one event about `peer`.
    public func record(_ refusal: BatchAdmission.Refusal, peer: DivisionCode) async throws {
        let event = Event(
            kind: refusal.kind, peer: peer.digits, node: node.code.digits, detail: refusal.description, at: Date())
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        encoder.dateEncodingStrategy = .iso8601
        let payload = String(decoding: try encoder.encode(event), as: UTF8.self)
        try await database.commit([
            LocalChange(
                channel: .security, entity: Self.entity, key: "\(node.code)-\(UUID().uuidString)",
                jurisdiction: node.code, payload: payload)
        ])
    }
}
