/// A JSON value as a department's file holds it.
///
/// Read by hand rather than with `JSONDecoder`: a number keeps its text, so `1200.10` yuan is
/// read exactly as written; an object keeps its keys in order with any repeated, so a key sent
/// twice is refused instead of one of its values being dropped; and a syntax error is named by
/// line and column in Chinese.
enum FeedJSONValue: Sendable, Hashable {
    case object([FeedJSONMember])
    case array([FeedJSONValue])
    case string(String)
    /// A number's text as written, e.g. `1200.50` or `-3e2`.
    case number(String)
    case bool(Bool)
    case null
}

/// One key and value of a JSON object, in file order.
struct FeedJSONMember: Sendable, Hashable {
    let key: String
    let value: FeedJSONValue
}

/// Where a text stops being JSON, and why.
struct FeedJSONSyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
    let line: Int
    let column: Int
    let message: String

    var description: String { "JSON 格式错误：第 \(line) 行第 \(column) 列，\(message)" }
}

/// RFC 8259 JSON, parsed into ``FeedJSONValue``.
struct FeedJSONParser {
    /// How deeply arrays and objects may nest: a feed needs three (envelope, records, record),
    /// and a limit keeps a hostile file of `[[[[…` from exhausting the stack.
    static let maximumDepth = 16

    private let bytes: [UInt8]
    private var position = 0
    private var depth = 0

    private init(_ text: String) { bytes = Array(text.utf8) }

    /// Parses one JSON value filling the whole text (whitespace around it allowed).
    static func parse(_ text: String) throws(FeedJSONSyntaxError) -> FeedJSONValue {
        var parser = FeedJSONParser(text)
        parser.skipWhitespace()
        let value = try parser.value()
        parser.skipWhitespace()
        guard parser.position == parser.bytes.count else { throw parser.error("JSON 值之后还有多余的内容") }
        return value
    }

    private mutating func value() throws(FeedJSONSyntaxError) -> FeedJSONValue {
        guard position < bytes.count else { throw error("文件意外结束，缺少值") }
        switch bytes[position] {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"):
            try literal("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try literal("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try literal("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return .number(try number())
        default:
            throw error("此处应为值（对象、数组、字符串、数字、true、false 或 null）")
        }
    }

    private mutating func object() throws(FeedJSONSyntaxError) -> FeedJSONValue {
        try enter()
        defer { depth -= 1 }
        position += 1
        var members: [FeedJSONMember] = []
        skipWhitespace()
        if peek(UInt8(ascii: "}")) {
            position += 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard peek(UInt8(ascii: "\"")) else { throw error("此处应为用双引号括起的字段名") }
            let key = try string()
            skipWhitespace()
            guard peek(UInt8(ascii: ":")) else { throw error("字段名之后应为冒号") }
            position += 1
            skipWhitespace()
            members.append(FeedJSONMember(key: key, value: try value()))
            skipWhitespace()
            if peek(UInt8(ascii: ",")) {
                position += 1
            } else if peek(UInt8(ascii: "}")) {
                position += 1
                return .object(members)
            } else {
                throw error("此处应为逗号或右花括号 }")
            }
        }
    }

    private mutating func array() throws(FeedJSONSyntaxError) -> FeedJSONValue {
        try enter()
        defer { depth -= 1 }
        position += 1
        var elements: [FeedJSONValue] = []
        skipWhitespace()
        if peek(UInt8(ascii: "]")) {
            position += 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try value())
            skipWhitespace()
            if peek(UInt8(ascii: ",")) {
                position += 1
            } else if peek(UInt8(ascii: "]")) {
                position += 1
                return .array(elements)
            } else {
                throw error("此处应为逗号或右方括号 ]")
            }
        }
    }

    private mutating func enter() throws(FeedJSONSyntaxError) {
        depth += 1
        guard depth <= Self.maximumDepth else { throw error("嵌套超过 \(Self.maximumDepth) 层") }
    }

    private mutating func string() throws(FeedJSONSyntaxError) -> String {
        position += 1
        var text: [UInt8] = []
        while position < bytes.count {
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                return String(decoding: text, as: UTF8.self)
            case UInt8(ascii: "\\"):
                position += 1
                guard position < bytes.count else { break }
                let escaped = bytes[position]
                position += 1
                switch escaped {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): text.append(escaped)
                case UInt8(ascii: "b"): text.append(0x08)
                case UInt8(ascii: "f"): text.append(0x0C)
                case UInt8(ascii: "n"): text.append(0x0A)
                case UInt8(ascii: "r"): text.append(0x0D)
                case UInt8(ascii: "t"): text.append(0x09)
                case UInt8(ascii: "u"): text.append(contentsOf: try unicodeEscape())
                default:
                    position -= 2
                    throw error("无效的转义序列")
                }
            case 0..<0x20:
                throw error("字符串中有未转义的控制字符（如换行）")
            default:
                text.append(byte)
                position += 1
            }
        }
        throw error("字符串没有结束的双引号")
    }

    /// The UTF-8 of a `\uXXXX` escape (the `\u` already read), joining a surrogate pair.
    private mutating func unicodeEscape() throws(FeedJSONSyntaxError) -> [UInt8] {
        let start = position - 2
        let high = try hexQuad(escapeStart: start)
        var value = high
        if (0xD800...0xDBFF).contains(high) {
            guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"),
                bytes[position + 1] == UInt8(ascii: "u")
            else {
                position = start
                throw error("\\u 转义中的代理项不成对")
            }
            position += 2
            let low = try hexQuad(escapeStart: start)
            guard (0xDC00...0xDFFF).contains(low) else {
                position = start
                throw error("\\u 转义中的代理项不成对")
            }
            value = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
        }
        guard let scalar = Unicode.Scalar(value) else {
            position = start
            throw error("\\u 转义中的代理项不成对")
        }
        return Array(String(Character(scalar)).utf8)
    }

    private mutating func hexQuad(escapeStart: Int) throws(FeedJSONSyntaxError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard position < bytes.count, let digit = Self.hexValue(bytes[position]) else {
                position = escapeStart
                throw error("\\u 之后应为 4 位十六进制数")
            }
            value = value << 4 | digit
            position += 1
        }
        return value
    }

    private static func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    /// A number's text: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
    private mutating func number() throws(FeedJSONSyntaxError) -> String {
        let start = position
        if peek(UInt8(ascii: "-")) { position += 1 }
        if peek(UInt8(ascii: "0")) {
            position += 1
        } else {
            guard digits() > 0 else { throw error("数字格式无效") }
        }
        if peek(UInt8(ascii: ".")) {
            position += 1
            guard digits() > 0 else { throw error("小数点之后应有数字") }
        }
        if peek(UInt8(ascii: "e")) || peek(UInt8(ascii: "E")) {
            position += 1
            if peek(UInt8(ascii: "+")) || peek(UInt8(ascii: "-")) { position += 1 }
            guard digits() > 0 else { throw error("指数之后应有数字") }
        }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    private mutating func digits() -> Int {
        let start = position
        while position < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position]) {
            position += 1
        }
        return position - start
    }

    private mutating func literal(_ word: StaticString) throws(FeedJSONSyntaxError) {
        let matches = word.withUTF8Buffer { expected in
            bytes.count - position >= expected.count
                && bytes[position..<position + expected.count].elementsEqual(expected)
        }
        guard matches else { throw error("此处应为值（对象、数组、字符串、数字、true、false 或 null）") }
        position += word.utf8CodeUnitCount
    }

    private func peek(_ byte: UInt8) -> Bool { position < bytes.count && bytes[position] == byte }

    private mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"): position += 1
            default: return
            }
        }
    }

    /// An error at the current position, counting lines and characters (not bytes) before it.
    private func error(_ message: String) -> FeedJSONSyntaxError {
        let end = min(position, bytes.count)
        var line = 1
        var column = 1
        for byte in bytes[..<end] {
            if byte == 0x0A {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return FeedJSONSyntaxError(line: line, column: column, message: message)
    }
}
