/// A calendar date without a time or a time zone (a civil date in Asia/Shanghai).
///
/// Written and encoded as "YYYY-MM-DD". Ages are counted in completed years on a date; a person
/// born on 29 February completes a year on 1 March in a common year.
///
/// ```swift
/// let birth = try CivilDate("1966-03-01")
/// birth.age(on: try CivilDate("2026-02-28"))  // 59
/// birth.age(on: try CivilDate("2026-03-01"))  // 60
/// ```
public struct CivilDate: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The year, 1 to 9999.
    public let year: Int
    /// The month, 1 to 12.
    public let month: Int
    /// The day of the month, 1 to the month's length.
    public let day: Int

    /// Creates a date, refusing a day that does not exist (2026-02-29, 2026-04-31).
    public init(year: Int, month: Int, day: Int) throws(CivilDateError) {
        guard (1...9999).contains(year), (1...12).contains(month),
            day >= 1, day <= CivilDate.daysInMonth(year: year, month: month)
        else { throw CivilDateError(text: "\(year)-\(month)-\(day)") }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses exactly "YYYY-MM-DD" (ten characters, zero-padded).
    public init(_ text: String) throws(CivilDateError) {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else {
            throw CivilDateError(text: text)
        }
        func number(_ range: Range<Int>) throws(CivilDateError) -> Int {
            var value = 0
            for byte in bytes[range] {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { throw CivilDateError(text: text) }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        do {
            try self.init(year: number(0..<4), month: number(5..<7), day: number(8..<10))
        } catch {
            throw CivilDateError(text: text)
        }
    }

    /// The date as one integer YYYYMMDD, ordered like the dates themselves.
    ///
    /// Completed years between two dates are `(later.ordinal - earlier.ordinal) / 10000`,
    /// which is how the calculator counts ages in its hot loop without calendar arithmetic.
    @inlinable
    public var ordinal: Int32 { Int32(year * 10000 + month * 100 + day) }

    /// Completed years of a person born on this date, on `date`; negative before birth.
    public func age(on date: CivilDate) -> Int {
        Int(CivilDate.completedYears(from: ordinal, to: date.ordinal))
    }

    /// Completed years between two YYYYMMDD ordinals.
    ///
    /// Subtracting ordinals compares month and day as a number, so a birthday on 29 February
    /// is completed on 1 March of a common year (0301 > 0229 > 0228).
    /// Counted in `Int64`: a compact member's ordinal is any `Int32` (replicated or made by
    /// hand), and the difference of two of them does not fit in one.
    @inlinable
    public static func completedYears(from birth: Int32, to date: Int32) -> Int32 {
        let difference = Int64(date) - Int64(birth)
        return Int32(difference >= 0 ? difference / 10000 : -((-difference + 9999) / 10000))
    }

    /// 0001-01-01, the earliest date there is.
    public static let earliest = CivilDate(uncheckedYear: 1, month: 1, day: 1)

    /// Creates a date the caller knows to exist.
    init(uncheckedYear year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// The first day of this date's month.
    public var firstOfMonth: CivilDate {
        CivilDate(uncheckedYear: year, month: month, day: 1)
    }

    /// Whether `year` has a 29 February.
    public static func isLeapYear(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    /// The number of days in a month.
    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// "YYYY-MM-DD".
    public var description: String {
        func padded(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(padded(year, 4))-\(padded(month, 2))-\(padded(day, 2))"
    }

    public static func < (lhs: CivilDate, rhs: CivilDate) -> Bool { lhs.ordinal < rhs.ordinal }

    /// Decodes "YYYY-MM-DD"; anything else is a data error naming the text.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            try self.init(text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    /// Encodes as "YYYY-MM-DD".
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// Text that is not a valid date written as "YYYY-MM-DD".
public struct CivilDateError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The text that was refused.
    public var text: String

    public var description: String { "日期“\(text)”无效：应为存在的日期，格式 YYYY-MM-DD" }
}

extension CivilDate {
    /// The date a `yyyymmdd` number stands for (as ``ordinal`` writes it), nil when it is none.
    public init?(ordinal: Int32) {
        try? self.init(year: Int(ordinal / 10000), month: Int(ordinal / 100 % 100), day: Int(ordinal % 100))
    }
}
