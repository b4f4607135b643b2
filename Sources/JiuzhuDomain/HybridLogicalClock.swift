/// A hybrid logical clock timestamp (Kulkarni et al., 2014): wall-clock milliseconds in the
/// high 48 bits and a counter in the low 16.
///
/// Timestamps never go backwards on a node, and a node that receives a change moves its
/// clock past the change's timestamp, so anything it does afterwards sorts after the change
/// even when the sender's wall clock runs ahead.
///
/// ```swift
/// var clock = HybridLogicalClock()
/// let stamp = clock.tick(now: 1_800_000_000_000)
/// clock.receive(remote, now: 1_800_000_000_010)
/// ```
public struct HybridLogicalClock: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The packed value: `milliseconds << 16 | counter`.
    public let rawValue: Int64

    public init(rawValue: Int64) { self.rawValue = rawValue }

    public init(milliseconds: Int64, counter: Int64) {
        rawValue = milliseconds << 16 | (counter & 0xFFFF)
    }

    public init() { rawValue = 0 }

    /// Wall-clock part, in milliseconds since 1970.
    public var milliseconds: Int64 { rawValue >> 16 }
    /// Logical part: orders events within one millisecond.
    public var counter: Int64 { rawValue & 0xFFFF }

    /// The timestamp for a local event at wall-clock `now`, moving the clock forward.
    public mutating func tick(now: Int64) -> HybridLogicalClock {
        self = now > milliseconds ? .init(milliseconds: now, counter: 0) : advanced()
        return self
    }

    /// Merges a timestamp from another node, so later local events sort after it.
    public mutating func receive(_ remote: HybridLogicalClock, now: Int64) {
        let wall = max(now, milliseconds, remote.milliseconds)
        if wall == milliseconds && wall == remote.milliseconds {
            self = .init(milliseconds: wall, counter: max(counter, remote.counter) + 1)
        } else if wall == milliseconds {
            self = advanced()
        } else if wall == remote.milliseconds {
            self = .init(milliseconds: wall, counter: remote.counter + 1)
        } else {
            self = .init(milliseconds: wall, counter: 0)
        }
    }

    /// One step forward; a full counter spills into the next millisecond.
    private func advanced() -> HybridLogicalClock {
        counter < 0xFFFF
            ? .init(milliseconds: milliseconds, counter: counter + 1)
            : .init(milliseconds: milliseconds + 1, counter: 0)
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String { "\(milliseconds).\(counter)" }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(Int64.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
