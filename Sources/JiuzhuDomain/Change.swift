/// One committed change to one row, as it travels between nodes.
///
/// A row is identified by channel, entity and key, and has exactly one owner: the node
/// (`origin`) that writes it. `originSequence` counts that origin's changes on the channel
/// without gaps, so a receiver can tell a repeat from a loss.
///
/// On the wire a change is a JSON array in the order of the properties below: batches of
/// thousands travel between nodes, and an array decodes in half the time of an object.
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

    public init(from decoder: any Decoder) throws {
        var fields = try decoder.unkeyedContainer()
        origin = try fields.decode(DivisionCode.self)
        originSequence = try fields.decode(Int64.self)
        clock = try fields.decode(HybridLogicalClock.self)
        channel = try fields.decode(ReplicationChannel.self)
        entity = try fields.decode(String.self)
        key = try fields.decode(String.self)
        jurisdiction = try fields.decode(DivisionCode.self)
        payload = try fields.decodeIfPresent(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var fields = encoder.unkeyedContainer()
        try fields.encode(origin)
        try fields.encode(originSequence)
        try fields.encode(clock)
        try fields.encode(channel)
        try fields.encode(entity)
        try fields.encode(key)
        try fields.encode(jurisdiction)
        try fields.encode(payload)
    }
}

extension Change {
    /// Appends the change's wire form (the array its `Codable` encoding writes) without
    /// Foundation's encoder: every hop writes each change once, and batches hold thousands.
    public func write(to json: inout JSONWriter) {
        json.beginArray()
        json.element(origin.digits)
        json.element(originSequence)
        json.element(clock.rawValue)
        json.element(channel.rawValue)
        json.element(entity)
        json.element(key)
        json.element(jurisdiction.digits)
        json.element(payload)
        json.endArray()
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
