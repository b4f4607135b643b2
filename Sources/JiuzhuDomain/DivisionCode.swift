/// An administrative division code (行政区划代码) that names a node and its jurisdiction.
///
/// The code follows GB/T 2260 and the statistical extension below county level:
/// six digits for a prefecture city or a county-level unit, nine for a township
/// (street), twelve for a village (residents' committee).
///
/// ```swift
/// let xinghua = try DivisionCode("321281")
/// xinghua.level            // .county
/// try DivisionCode("321281100").isWithin(xinghua)  // true
/// ```
public struct DivisionCode: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The code's digits, exactly as written.
    public let digits: String

    /// Parses a division code, refusing anything that is not one of the node levels.
    public init(_ text: String) throws(DivisionCodeError) {
        // Bytes, not Characters: codes are checked for every replicated change.
        guard !text.isEmpty, text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else {
            throw .notDigits(text)
        }
        switch text.utf8.count {
        case 6:
            if text.hasSuffix("0000") { throw .provinceLevel(text) }
        case 9, 12:
            break
        default:
            throw .wrongLength(text)
        }
        self.digits = text
    }

    /// The level of the division, derived from the code's shape.
    public var level: DivisionLevel {
        let utf8 = digits.utf8
        return switch utf8.count {
        // Bytes, not `hasSuffix`, which compares Characters: levels are asked for every change.
        case 6: utf8.dropFirst(4).allSatisfy({ $0 == UInt8(ascii: "0") }) ? .city : .county
        case 9: .township
        default: .village
        }
    }

    /// The leading digits that every code inside this division shares.
    ///
    /// A prefecture city's codes share its first four digits (3212 for 321200 泰州市);
    /// a county's share all six, a township's all nine.
    public var jurisdictionPrefix: Substring { digits.prefix(prefixLength) }

    /// How many leading digits ``jurisdictionPrefix`` holds (codes are ASCII digits, so
    /// characters and bytes count alike).
    private var prefixLength: Int { level == .city ? 4 : digits.utf8.count }

    /// Whether this code lies inside `ancestor`'s jurisdiction (a code lies inside itself).
    public func isWithin(_ ancestor: DivisionCode) -> Bool {
        // Bytes of the two strings, not Characters nor a substring's view (which is not
        // specialised across modules): every replicated change is checked, several times per hop.
        let (mine, theirs, length) = (digits.utf8, ancestor.digits.utf8, ancestor.prefixLength)
        guard mine.count >= length else { return false }
        var (index, other) = (mine.startIndex, theirs.startIndex)
        for _ in 0..<length {
            guard mine[index] == theirs[other] else { return false }
            mine.formIndex(after: &index)
            theirs.formIndex(after: &other)
        }
        return true
    }

    public var description: String { digits }

    public static func < (lhs: DivisionCode, rhs: DivisionCode) -> Bool {
        (lhs.digits.utf8.count, lhs.digits) < (rhs.digits.utf8.count, rhs.digits)
    }
}

extension DivisionCode: Codable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            try self.init(text)
        } catch {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: error.description)
            )
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(digits)
    }
}

/// Why a text is not a usable division code.
public enum DivisionCodeError: Error, Equatable, Sendable, CustomStringConvertible {
    case notDigits(String)
    case wrongLength(String)
    case provinceLevel(String)

    public var description: String {
        switch self {
        case .notDigits(let text): "行政区划代码“\(text)”只能由数字组成"
        case .wrongLength(let text): "行政区划代码“\(text)”应为 6、9 或 12 位数字"
        case .provinceLevel(let text): "行政区划代码“\(text)”是省级代码，不能作为节点"
        }
    }
}
