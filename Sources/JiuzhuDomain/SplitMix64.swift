/// A small seeded random source (SplitMix64, Steele et al. 2014): fast, and the same on every
/// machine and release, so synthetic data and a failing test case can be replayed from the seed.
///
/// ```swift
/// var random = SplitMix64(seed: 2026)
/// let roll = random.next() % 100
/// ```
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
