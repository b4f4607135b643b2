extension Sequence<UInt8> {
    /// The bytes as lowercase hexadecimal, two digits each (how digests are written).
    ///
    /// Written by hand because `String(format: "%02x")` costs a formatter per byte, which made
    /// sealing audit entries the slowest part of auditing a hundred thousand moved deadlines.
    /// The digits come from a static table and the bytes are gathered once: an import hashes
    /// every record and every warning, and a table built per call was most of the cost.
    public var lowercaseHex: String {
        let bytes = Array(self)
        return String(unsafeUninitializedCapacity: bytes.count * 2) { text in
            for (index, byte) in bytes.enumerated() {
                text[2 * index] = hexDigits[Int(byte >> 4)]
                text[2 * index + 1] = hexDigits[Int(byte & 0x0F)]
            }
            return bytes.count * 2
        }
    }
}

private let hexDigits = Array("0123456789abcdef".utf8)
