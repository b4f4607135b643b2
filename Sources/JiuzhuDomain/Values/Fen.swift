/// An amount of money in fen (分), the smallest unit of the renminbi: 100 fen make one yuan.
///
/// Money is never a floating-point number: every amount is a whole number of fen, parsed
/// from text exactly and encoded in JSON as an integer.
///
/// ```swift
/// let standard = try Fen(yuan: "710")      // 71000 fen
/// let half = try Fen(yuan: "355.50")      // 35550 fen
/// standard.yuanText                        // "710.00"
/// let total = try Fen.checkedSum([standard, half], field: "incomes")  // 106550 fen
/// ```
///
/// There is no `+` or `-`: a sum of amounts someone else typed can leave `Int64`, and a
/// trapping operator would end the process. ``adding(_:field:)``, ``subtracting(_:field:)``
/// and ``checkedSum(_:field:)`` report that as an ``AmountOverflowError`` naming the field.
public struct Fen: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The amount in fen.
    public var rawValue: Int64

    /// Wraps an amount already counted in fen.
    @inlinable
    public init(_ rawValue: Int64) { self.rawValue = rawValue }

    /// Parses an amount written in yuan: "710", "710.5", "710.50" or "-3.20".
    ///
    /// At most two decimals are accepted; "710.505" is refused rather than rounded, so that a
    /// reviewed figure is never silently changed.
    public init(yuan text: String) throws(FenParseError) {
        var bytes = Substring(text).utf8[...]
        var negative = false
        if bytes.first == UInt8(ascii: "-") {
            negative = true
            bytes = bytes.dropFirst()
        }
        var whole: Int64 = 0
        var fraction: Int64 = 0
        var fractionDigits = 0
        var wholeDigits = 0
        var seenPoint = false
        for byte in bytes {
            if byte == UInt8(ascii: ".") {
                guard !seenPoint else { throw FenParseError(text: text) }
                seenPoint = true
                continue
            }
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { throw FenParseError(text: text) }
            let digit = Int64(byte - UInt8(ascii: "0"))
            if seenPoint {
                fractionDigits += 1
                guard fractionDigits <= 2 else { throw FenParseError(text: text) }
                fraction = fraction * 10 + digit
            } else {
                wholeDigits += 1
                // 15 digits of yuan keep the fen value far inside Int64.
                guard wholeDigits <= 15 else { throw FenParseError(text: text) }
                whole = whole * 10 + digit
            }
        }
        guard wholeDigits > 0, !seenPoint || fractionDigits > 0 else { throw FenParseError(text: text) }
        if fractionDigits == 1 { fraction *= 10 }
        let value = whole * 100 + fraction
        self.rawValue = negative ? -value : value
    }

    /// Zero fen.
    public static let zero = Fen(0)

    /// The amount in yuan with exactly two decimals, e.g. "710.00" or "-3.20".
    public var yuanText: String { text(unit: false) }

    /// Writes the digits into a stack buffer: explanations print dozens of amounts, and string
    /// interpolation was a visible share of their time.
    private func text(unit: Bool) -> String {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { buffer in
            var magnitude = rawValue.magnitude
            var end = 32
            if unit {
                // "元" in UTF-8: E5 85 83.
                buffer[29] = 0xE5
                buffer[30] = 0x85
                buffer[31] = 0x83
                end = 29
            }
            var position = end
            var digits = 0
            repeat {
                if digits == 2 {
                    position -= 1
                    buffer[position] = UInt8(ascii: ".")
                }
                position -= 1
                buffer[position] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                digits += 1
            } while magnitude > 0 || digits < 3
            if rawValue < 0 {
                position -= 1
                buffer[position] = UInt8(ascii: "-")
            }
            return String(decoding: UnsafeBufferPointer(rebasing: buffer[position..<32]), as: UTF8.self)
        }
    }

    /// The amount followed by the unit, e.g. "710.00元", as shown to users.
    public var description: String { text(unit: true) }

    @inlinable
    public static func < (lhs: Fen, rhs: Fen) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The sum, or an error naming `field` when it does not fit in `Int64`.
    @inlinable
    public func adding(_ other: Fen, field: String) throws(AmountOverflowError) -> Fen {
        let (sum, overflow) = rawValue.addingReportingOverflow(other.rawValue)
        guard !overflow else { throw AmountOverflowError(field: field) }
        return Fen(sum)
    }

    /// The difference, or an error naming `field` when it does not fit in `Int64`.
    @inlinable
    public func subtracting(_ other: Fen, field: String) throws(AmountOverflowError) -> Fen {
        let (difference, overflow) = rawValue.subtractingReportingOverflow(other.rawValue)
        guard !overflow else { throw AmountOverflowError(field: field) }
        return Fen(difference)
    }

    /// The sum of `amounts`, or an error naming `field` when a partial sum leaves `Int64`.
    ///
    /// ```swift
    /// let counted = try Fen.checkedSum(record.incomes.map(\.monthly), field: "incomes")
    /// ```
    @inlinable
    public static func checkedSum(_ amounts: some Sequence<Fen>, field: String) throws(AmountOverflowError) -> Fen {
        var total = Fen.zero
        for amount in amounts { total = try total.adding(amount, field: field) }
        return total
    }

    /// The amount shared among `count` (at least 1), rounded toward zero: a per-capita figure.
    /// Division cannot overflow here (the divisor is positive), so it needs no error.
    @inlinable
    public func perCapita(_ count: Int) -> Fen { Fen(rawValue / Int64(max(1, count))) }

    /// Encodes the amount as a bare JSON integer of fen.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    /// Decodes a bare integer of fen; a string or a fractional number is a type error.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        self.rawValue = try container.decodeInteger(Int64.self)
    }
}

/// A sum or difference of money that does not fit in `Int64` (about ±9.2 × 10¹⁸ fen): the
/// inputs were not plausible amounts. Names the field or figure, in Chinese or as a path.
///
/// ```swift
/// do { _ = try Fen(.max).adding(Fen(1), field: "incomes") } catch { print(error) }
/// // 字段 incomes：金额合计超出可计算的范围（溢出）
/// ```
public struct AmountOverflowError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The field (`incomes`, `members[0]`) or figure (`计入收入`) whose arithmetic overflowed.
    public var field: String

    /// Names the field whose arithmetic overflowed.
    @inlinable
    public init(field: String) { self.field = field }

    /// What is wrong, without the field.
    public var message: String { "金额合计超出可计算的范围（溢出）" }

    public var description: String { "字段 \(field)：\(message)" }
}

/// Text that is not an amount in yuan with at most two decimals.
public struct FenParseError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The text that was refused.
    public var text: String

    public var description: String { "金额“\(text)”无效：应为元，最多两位小数，例如 710 或 710.50" }
}
