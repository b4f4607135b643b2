extension Sequence<UInt8> {
    /// The bytes as lowercase hexadecimal, two digits each (how digests are written).
    ///
    /// Written by hand because `String(format: "%02x")` costs a formatter per byte, which made
    /// sealing audit entries the slowest part of auditing a hundred thousand moved deadlines.
    public var lowercaseHex: String {
        let digits = Array("0123456789abcdef".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(underestimatedCount * 2)
        for byte in self {
            bytes.append(digits[Int(byte >> 4)])
            bytes.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
