/// The sex encoded in a citizen ID number (the parity of the 17th character).
public enum CitizenSex: Sendable, Hashable {
    /// Odd 17th digit.
    case male
    /// Even 17th digit.
    case female
}

/// Why a text is not a valid 18-character citizen ID number.
///
/// ```swift
/// do { _ = try CitizenID("123", today: (2025, 1, 1)) } catch { print(error) }  // 公民身份号码应为 18 位，实际为 3 位
/// ```
public enum CitizenIDError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The trimmed text is not 18 characters long; carries the actual length.
    case wrongLength(Int)
    /// A character is not an ASCII digit (or `X` in the last position); carries the 1-based position.
    case invalidCharacter(position: Int)
    /// The first two digits are not a province-level code in GB/T 2260.
    case unknownProvince(String)
    /// Digits 7–14 are not a real calendar date.
    case impossibleBirthDate(String)
    /// Digits 7–14 are a real date, but before ``CitizenID/earliestBirthYear``: nobody
    /// alive was born then, so the number is mistyped (the standard's own example, born
    /// 1880, is one).
    case implausibleBirthYear(String)
    /// Digits 7–14 are a date after the reference date.
    case birthDateInFuture(String)
    /// The 18th character does not match ISO 7064 MOD 11-2; carries the expected character.
    case checkDigitMismatch(expected: Character)

    /// A Chinese message for the person who typed or imported the number.
    public var description: String {
        switch self {
        case .wrongLength(let length):
            "公民身份号码应为 18 位，实际为 \(length) 位"
        case .invalidCharacter(let position):
            "公民身份号码第 \(position) 位含有非法字符（前 17 位须为数字，第 18 位为数字或 X）"
        case .unknownProvince(let code):
            "公民身份号码前两位 \(code) 不是有效的省级行政区划代码"
        case .impossibleBirthDate(let date):
            "公民身份号码中的出生日期 \(date) 不是有效日期"
        case .implausibleBirthYear(let date):
            "公民身份号码中的出生日期 \(date) 早于 \(CitizenID.earliestBirthYear) 年：本系统不受理 \(CitizenID.earliestBirthYear) 年以前出生的人，请核对号码"
        case .birthDateInFuture(let date):
            "公民身份号码中的出生日期 \(date) 晚于当前日期"
        case .checkDigitMismatch(let expected):
            "公民身份号码校验位错误：应为 \(expected)"
        }
    }
}

/// A validated 18-character citizen ID number (公民身份号码) per GB 11643-1999.
///
/// Validation covers length, characters, the province-level code (first two digits), the birth
/// date and the ISO 7064 MOD 11-2 check character. The full six-digit county code is *not*
/// checked against GB/T 2260: the code list changes every year and old codes stay valid in
/// numbers issued earlier, so a stale table would reject real people.
///
/// The reference date is passed in rather than read from a clock so that validation is
/// deterministic and testable.
///
/// ```swift
/// let id = try CitizenID(" 11010519491231002x ", today: (year: 2025, month: 6, day: 1))
/// id.normalized  // "11010519491231002X"
/// id.masked      // "110105********002X"
/// id.sex         // .female
/// ```
public struct CitizenID: Sendable, Hashable, CustomStringConvertible {
    /// The 18 characters, uppercase `X` if present.
    public let normalized: String
    /// Year of birth from digits 7–10.
    public let birthYear: Int
    /// Month of birth from digits 11–12.
    public let birthMonth: Int
    /// Day of birth from digits 13–14.
    public let birthDay: Int
    /// Sex from the parity of digit 17.
    public let sex: CitizenSex

    /// Province-level codes (first two digits) of GB/T 2260, including Taiwan, Hong Kong and Macao.
    public static let provinceCodes: Set<String> = [
        "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41", "42",
        "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "71", "81", "82",
    ]

    /// The earliest year of birth accepted: a real date before it is refused with its own
    /// reason (``CitizenIDError/implausibleBirthYear(_:)``), not as an impossible date.
    public static let earliestBirthYear = 1900

    /// ISO 7064 MOD 11-2 weights for the first 17 digits (2^(18-i) mod 11).
    static let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    /// Check character for each remainder 0...10.
    static let checkCharacters: [Character] = ["1", "0", "X", "9", "8", "7", "6", "5", "4", "3", "2"]

    /// Parses and validates a citizen ID number.
    ///
    /// Surrounding whitespace is trimmed and a lowercase `x` is accepted as the check character.
    /// Full-width digits are rejected: silently converting them would hide a data-entry problem.
    ///
    /// ```swift
    /// let id = try CitizenID("11010519491231002X", today: (year: 2025, month: 6, day: 1))
    /// ```
    /// - Parameters:
    ///   - text: The number as typed or imported.
    ///   - today: The reference date; a birth date after it is rejected.
    /// - Throws: ``CitizenIDError`` naming the first problem found.
    public init(_ text: String, today: (year: Int, month: Int, day: Int)) throws(CitizenIDError) {
        let trimmed = Array(text.unicodeScalars).trimmingWhitespace()
        guard trimmed.count == 18 else { throw .wrongLength(trimmed.count) }
        var digits: [Int] = []
        digits.reserveCapacity(17)
        for (index, scalar) in trimmed.prefix(17).enumerated() {
            guard let digit = scalar.asciiDigitValue else { throw .invalidCharacter(position: index + 1) }
            digits.append(digit)
        }
        let last = trimmed[17]
        let check: Character
        if last.asciiDigitValue != nil {
            check = Character(last)
        } else if last == "X" || last == "x" {
            check = "X"
        } else {
            throw .invalidCharacter(position: 18)
        }

        let province = "\(digits[0])\(digits[1])"
        guard Self.provinceCodes.contains(province) else { throw .unknownProvince(province) }

        let year = digits[6..<10].reduce(0) { $0 * 10 + $1 }
        let month = digits[10] * 10 + digits[11]
        let day = digits[12] * 10 + digits[13]
        var dateText: String { String(decoding: trimmed[6..<14].map { UInt8($0.value) }, as: UTF8.self) }
        guard year >= 1, (1...12).contains(month), (1...Self.daysIn(month: month, year: year)).contains(day)
        else { throw .impossibleBirthDate(dateText) }
        guard year >= Self.earliestBirthYear else { throw .implausibleBirthYear(dateText) }
        guard (year, month, day) <= (today.year, today.month, today.day) else {
            throw .birthDateInFuture(dateText)
        }

        let expected = Self.checkCharacter(for: digits)
        guard check == expected else { throw .checkDigitMismatch(expected: expected) }

        self.normalized = String(
            decoding: digits.map { UInt8(48 + $0) } + [UInt8(check.asciiValue ?? 0)], as: UTF8.self)
        self.birthYear = year
        self.birthMonth = month
        self.birthDay = day
        self.sex = digits[16] % 2 == 1 ? .male : .female
    }

    /// The issuing region code (digits 1–6), e.g. `"321202"` for 海陵区.
    public var regionCode: String { String(normalized.prefix(6)) }

    /// The number with the birth date and sequence hidden, for lists and logs: first 6, eight `*`, last 4.
    public var masked: String { String(normalized.prefix(6)) + "********" + String(normalized.suffix(4)) }

    /// The masked form, so that interpolating an ID into a log line does not leak it.
    public var description: String { masked }

    /// Computes the ISO 7064 MOD 11-2 check character for 17 digits.
    ///
    /// ```swift
    /// CitizenID.checkCharacter(for: [1, 1, 0, 1, 0, 5, 1, 9, 4, 9, 1, 2, 3, 1, 0, 0, 2])  // "X"
    /// ```
    /// - Parameter digits: Exactly 17 values in 0...9; extra values are ignored.
    public static func checkCharacter(for digits: [Int]) -> Character {
        let sum = zip(digits, weights).reduce(0) { $0 + $1.0 * $1.1 }
        return checkCharacters[sum % 11]
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2:
            let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
            return leap ? 29 : 28
        case 4, 6, 9, 11:
            return 30
        default:
            return 31
        }
    }
}

extension Unicode.Scalar {
    /// The value of an ASCII digit; `nil` for anything else, including full-width digits.
    fileprivate var asciiDigitValue: Int? {
        (48...57).contains(value) ? Int(value) - 48 : nil
    }
}

extension Array where Element == Unicode.Scalar {
    fileprivate func trimmingWhitespace() -> [Unicode.Scalar] {
        let isSpace: (Unicode.Scalar) -> Bool = { $0.properties.isWhitespace }
        guard let start = firstIndex(where: { !isSpace($0) }), let end = lastIndex(where: { !isSpace($0) }) else {
            return []
        }
        return Array(self[start...end])
    }
}
