/// A cheap fingerprint of every row a subtree originated on one channel: the number of rows
/// and the sum of their digests. Two copies that agree hold the same versions of the same rows.
public struct SubtreeChecksum: Codable, Equatable, Sendable, CustomStringConvertible {
    public let count: Int64
    public let sum: Int64

    public init(count: Int64, sum: Int64) {
        self.count = count
        self.sum = sum
    }

    public var description: String { "\(count) 行 / \(String(sum, radix: 16))" }
}

/// The highest sequence an origin reached on a channel.
public struct OriginProgress: Codable, Equatable, Sendable {
    public let origin: DivisionCode
    public let lastSequence: Int64

    public init(origin: DivisionCode, lastSequence: Int64) {
        self.origin = origin
        self.lastSequence = lastSequence
    }
}

/// A position in the (entity, key) order of a channel's rows, for paging through them.
public struct ReplicaRowCursor: Codable, Hashable, Sendable {
    public let entity: String
    public let key: String

    public init(entity: String, key: String) {
        self.entity = entity
        self.key = key
    }

    /// The cursor just at `change`'s row.
    public init(_ change: Change) { self.init(entity: change.entity, key: change.key) }
}
