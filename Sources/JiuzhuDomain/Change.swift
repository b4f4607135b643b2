/// One committed change to one row, as it travels between nodes.
///
/// A row is identified by channel, entity and key, and has exactly one owner: the node
/// (`origin`) that writes it. `originSequence` counts that origin's changes on the channel
/// without gaps, so a receiver can tell a repeat from a loss.
public struct Change: Codable, Equatable, Sendable {
    public let origin: DivisionCode
    public let originSequence: Int64
    public let clock: HybridLogicalClock
    public let channel: ReplicationChannel
    public let entity: String
    public let key: String
    /// The division the row belongs to or is addressed to (a village's household, a
    /// township's decision, the city's policy for everyone).
    public let jurisdiction: DivisionCode
    /// The row's new content as JSON text; `nil` deletes the row.
    public let payload: String?

    public init(
        origin: DivisionCode, originSequence: Int64, clock: HybridLogicalClock, channel: ReplicationChannel,
        entity: String, key: String, jurisdiction: DivisionCode, payload: String?
    ) {
        self.origin = origin
        self.originSequence = originSequence
        self.clock = clock
        self.channel = channel
        self.entity = entity
        self.key = key
        self.jurisdiction = jurisdiction
        self.payload = payload
    }
}

/// A change a node is about to make to data it owns; the log assigns its sequence and clock.
public struct LocalChange: Sendable {
    public let channel: ReplicationChannel
    public let entity: String
    public let key: String
    public let jurisdiction: DivisionCode
    public let payload: String?

    public init(
        channel: ReplicationChannel, entity: String, key: String, jurisdiction: DivisionCode, payload: String?
    ) {
        self.channel = channel
        self.entity = entity
        self.key = key
        self.jurisdiction = jurisdiction
        self.payload = payload
    }
}
