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

    /// A timestamp from its parts, each kept inside its range: milliseconds in
    /// 0...``maximumMilliseconds`` (the year 6429), the counter in 0...0xFFFF. Nothing wraps.
    public init(milliseconds: Int64, counter: Int64) {
        let wall = min(max(milliseconds, 0), Self.maximumMilliseconds)
        rawValue = wall << 16 | min(max(counter, 0), 0xFFFF)
    }

    /// The largest wall-clock part a timestamp can hold: 48 bits, less one bit of sign.
    public static let maximumMilliseconds: Int64 = (1 << 47) - 1

    public init() { rawValue = 0 }

    /// Wall-clock part, in milliseconds since 1970.
    public var milliseconds: Int64 { rawValue >> 16 }
    /// Logical part: orders events within one millisecond.
    public var counter: Int64 { rawValue & 0xFFFF }

    /// The timestamp for a local event at wall-clock `now`, moving the clock forward.
    public mutating func tick(now: Int64) -> HybridLogicalClock {
        self = min(now, Self.maximumMilliseconds) > milliseconds ? .init(milliseconds: now, counter: 0) : advanced()
        return self
    }

    /// Merges a timestamp from another node, so later local events sort after it.
    ///
    /// A remote timestamp more than `maximumLead` milliseconds ahead of `now` is refused and
    /// leaves the clock as it was: taking it would drag every later event of this node (and of
    /// everyone who hears from it) that far into the future.
    public mutating func receive(
        _ remote: HybridLogicalClock, now: Int64, maximumLead: Int64 = .max
    ) throws(ClockLeadError) {
        guard remote.milliseconds <= now.addingClamped(maximumLead) else {
            throw ClockLeadError(remote: remote, now: now, maximumLead: maximumLead)
        }
        let wall = max(min(now, Self.maximumMilliseconds), milliseconds, remote.milliseconds)
        if wall == milliseconds && wall == remote.milliseconds {
            self = HybridLogicalClock(rawValue: max(rawValue, remote.rawValue)).advanced()
        } else if wall == milliseconds {
            self = advanced()
        } else if wall == remote.milliseconds {
            self = remote.advanced()
        } else {
            self = .init(milliseconds: wall, counter: 0)
        }
    }

    /// One step forward; a full counter spills into the next millisecond, and the last
    /// representable timestamp stays where it is rather than wrap to the past.
    private func advanced() -> HybridLogicalClock {
        if counter < 0xFFFF { return .init(milliseconds: milliseconds, counter: counter + 1) }
        return milliseconds < Self.maximumMilliseconds ? .init(milliseconds: milliseconds + 1, counter: 0) : self
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

/// A peer's timestamp too far ahead of this node's wall clock to be taken in.
public struct ClockLeadError: Error, Equatable, Sendable, CustomStringConvertible {
    public let remote: HybridLogicalClock
    public let now: Int64
    public let maximumLead: Int64

    public var description: String {
        let lead = remote.milliseconds.subtractingClamped(now) / 1000
        return "对方时钟比本节点快 \(lead) 秒，超过允许的 \(maximumLead / 1000) 秒，拒绝接收"
    }
}

extension Int64 {
    /// `self + other`, held at the type's bounds instead of trapping.
    func addingClamped(_ other: Int64) -> Int64 {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? (other > 0 ? .max : .min) : sum
    }

    /// `self - other`, held at the type's bounds instead of trapping.
    func subtractingClamped(_ other: Int64) -> Int64 {
        let (difference, overflow) = subtractingReportingOverflow(other)
        return overflow ? (other < 0 ? .max : .min) : difference
    }
}
