/// Appends JSON tokens to a byte buffer, placing the commas; strings are escaped per RFC 8259.
public struct JSONWriter: Sendable {
    public private(set) var bytes: [UInt8] = []
    /// Whether the next value or key follows another in the same object or array.
    private var needsComma = false

    public init(capacity: Int = 16 * 1024) { bytes.reserveCapacity(capacity) }

    public mutating func beginObject() { open(UInt8(ascii: "{")) }
    public mutating func endObject() { close(UInt8(ascii: "}")) }
    public mutating func beginArray() { open(UInt8(ascii: "[")) }
    public mutating func endArray() { close(UInt8(ascii: "]")) }

    public mutating func key(_ name: String) {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
        string(name)
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    /// A nil value leaves the field out, as `Codable`'s synthesized encoding does.
    public mutating func field(_ name: String, _ value: String?) {
        guard let value else { return }
        key(name)
        string(value)
        needsComma = true
    }

    public mutating func field(_ name: String, _ value: Int64) {
        key(name)
        bytes.append(contentsOf: String(value).utf8)
        needsComma = true
    }

    /// A nil value leaves the field out.
    public mutating func field(_ name: String, _ value: Int64?) {
        guard let value else { return }
        field(name, value)
    }

    public mutating func field(_ name: String, _ value: Bool) {
        key(name)
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
        needsComma = true
    }

    /// A value already written as JSON, such as a nested object encoded elsewhere.
    public mutating func field(_ name: String, json: some Collection<UInt8>) {
        key(name)
        bytes.append(contentsOf: json)
        needsComma = true
    }

    /// An array element: a string, or `null` for nil.
    public mutating func element(_ value: String?) {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
        if let value { string(value) } else { bytes.append(contentsOf: "null".utf8) }
        needsComma = true
    }

    /// An array element already written as JSON.
    public mutating func element(json: some Collection<UInt8>) {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
        bytes.append(contentsOf: json)
        needsComma = true
    }

    /// An array element: a whole number.
    public mutating func element(_ value: Int64) {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
        bytes.append(contentsOf: String(value).utf8)
        needsComma = true
    }

    private mutating func open(_ bracket: UInt8) {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
        bytes.append(bracket)
        needsComma = false
    }

    private mutating func close(_ bracket: UInt8) {
        bytes.append(bracket)
        needsComma = true
    }

    private static let hex = Array("0123456789abcdef".utf8)

    private mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        // Most text needs no escape and is copied whole.
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            bytes.append(contentsOf: text.utf8)
            bytes.append(UInt8(ascii: "\""))
            return
        }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                bytes.append(UInt8(ascii: "\\"))
                bytes.append(byte)
            case UInt8(ascii: "\n"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0..<0x20:
                bytes.append(contentsOf: "\\u00".utf8)
                bytes.append(Self.hex[Int(byte >> 4)])
                bytes.append(Self.hex[Int(byte & 0xF)])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
