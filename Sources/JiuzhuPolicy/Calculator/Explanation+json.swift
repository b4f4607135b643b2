/// A direct JSON writer for `Explanation`: the same document `JSONEncoder` writes (the API
/// answers with one per request) in a fraction of the time, because Foundation's encoder
/// dominates the calculator's cost once the rules themselves take microseconds.
extension Explanation {
    /// The explanation as UTF-8 JSON, with the shape of its `Codable` encoding.
    public func json() -> [UInt8] {
        var out = JSONWriter()
        out.beginObject()
        out.key("policyVersion")
        out.beginObject()
        out.field("id", policyVersion.id)
        out.field("contentHash", policyVersion.contentHash)
        out.endObject()
        out.field("date", date.description)
        out.key("figures")
        out.beginArray()
        for figure in figures {
            out.beginObject()
            out.field("name", figure.name)
            out.field("value", figure.value)
            out.endObject()
        }
        out.endArray()
        out.key("programmes")
        out.beginArray()
        for programme in programmes { out.write(programme) }
        out.endArray()
        out.field("tier", Int64(tier.rawValue))
        out.field("tierText", tierText)
        out.endObject()
        return out.bytes
    }
}

extension JSONWriter {
    fileprivate mutating func write(_ item: Explanation.ProgrammeExplanation) {
        beginObject()
        field("programme", item.programme.rawValue)
        field("name", item.name)
        field("eligible", item.eligible)
        field("amount", item.amount.rawValue)
        field("period", item.period)
        field("rule", item.rule)
        key("conditions")
        beginArray()
        for condition in item.conditions {
            beginObject()
            field("text", condition.text)
            field("met", condition.met)
            endObject()
        }
        endArray()
        key("parameters")
        beginArray()
        for parameter in item.parameters {
            beginObject()
            field("key", parameter.key.rawValue)
            field("name", parameter.name)
            field("value", parameter.value)
            field("effectiveFrom", parameter.effectiveFrom.description)
            field("valueText", parameter.valueText)
            field("definitionText", parameter.definitionText)
            endObject()
        }
        endArray()
        field("calculation", item.calculation)
        field("excludedBy", item.excludedBy?.rawValue)
        endObject()
    }
}

/// Appends JSON tokens to a byte buffer, placing the commas; strings are escaped per RFC 8259.
struct JSONWriter {
    private(set) var bytes: [UInt8] = []
    /// Whether the next value or key follows another in the same object or array.
    private var needsComma = false

    init() { bytes.reserveCapacity(16 * 1024) }

    mutating func beginObject() { open(UInt8(ascii: "{")) }
    mutating func endObject() { close(UInt8(ascii: "}")) }
    mutating func beginArray() { open(UInt8(ascii: "[")) }
    mutating func endArray() { close(UInt8(ascii: "]")) }

    mutating func key(_ name: String) {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
        string(name)
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    /// A nil value leaves the field out, as `Codable`'s synthesized encoding does.
    mutating func field(_ name: String, _ value: String?) {
        guard let value else { return }
        key(name)
        string(value)
        needsComma = true
    }

    mutating func field(_ name: String, _ value: Int64) {
        key(name)
        bytes.append(contentsOf: String(value).utf8)
        needsComma = true
    }

    mutating func field(_ name: String, _ value: Bool) {
        key(name)
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
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
