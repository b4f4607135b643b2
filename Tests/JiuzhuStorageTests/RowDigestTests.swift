import JiuzhuDomain
import Testing

@testable import JiuzhuStorage

/// A row's digest is summed into the checksums two nodes of different releases compare, so it
/// must never change: it is checked against the plain definition (FNV-1a over each field's
/// UTF-8 bytes and a 0xFF after each, the sequence written in decimal) and against known values.
@Suite struct RowDigestTests {
    /// The definition, written the plain way.
    static func reference(_ change: Change) -> Int64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for field in [
            change.channel.rawValue, change.entity, change.key, change.origin.digits, String(change.originSequence),
            change.payload ?? "\u{0}deleted",
        ] {
            for byte in Array(field.utf8) + [0xff] {
                hash ^= UInt64(byte)
                hash &*= 0x100_0000_01b3
            }
        }
        return Int64((hash ^ (hash >> 32)) & 0xFFFF_FFFF)
    }

    static func change(sequence: Int64, payload: String?) -> Change {
        Change(
            origin: try! DivisionCode("321281100201"), originSequence: sequence, clock: HybridLogicalClock(rawValue: 7),
            channel: .registry, entity: "household", key: "321281100201-000001",
            jurisdiction: try! DivisionCode("321281100201"),
            payload: payload)
    }

    @Test(arguments: [0, 1, 9, 10, 99, 100, 12_345, -1, -10, .max, .min] as [Int64])
    func agreesWithTheDefinition(sequence: Int64) {
        for payload in [nil, "", #"{"village":"321281100201","名":"张三"}"#] {
            let change = Self.change(sequence: sequence, payload: payload)
            #expect(RowDigest.of(change) == Self.reference(change))
        }
    }

    /// Values computed outside Swift (a few lines of Python over the same bytes), so that a
    /// mistake shared by the code and the reference above is caught too.
    @Test func keepsKnownValues() {
        #expect(RowDigest.of(Self.change(sequence: 1, payload: "{}")) == 1_878_501_674)
        #expect(RowDigest.of(Self.change(sequence: 42, payload: nil)) == 825_188_491)
    }
}
