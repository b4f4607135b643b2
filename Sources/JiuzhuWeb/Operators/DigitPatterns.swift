import JiuzhuDomain
import JiuzhuPolicy

/// Regular expressions for numbers within a range, so a schema can state a bound on text that
/// is read as a number (a query parameter, a date) exactly.
enum DigitPatterns {
    /// Matches the decimal digits of every number in `range` written with exactly `width`
    /// digits (zero-padded), and nothing else.
    ///
    /// ```swift
    /// DigitPatterns.fixedWidth(1...12, width: 2)  // "(0[1-9]|1[0-2])"
    /// ```
    static func fixedWidth(_ range: ClosedRange<Int64>, width: Int) -> String {
        func padded(_ value: Int64) -> [Character] {
            let digits = String(value)
            return Array(String(repeating: "0", count: max(0, width - digits.count)) + digits)
        }
        return "(" + alternatives(padded(range.lowerBound)[...], padded(range.upperBound)[...]).joined(separator: "|")
            + ")"
    }

    /// Matches every number in `range` (not negative) written without leading zeros.
    static func canonical(_ range: ClosedRange<Int64>) -> String {
        var parts: [String] = []
        var low = range.lowerBound
        while low <= range.upperBound {
            let width = String(low).count
            let widest = width >= 19 ? Int64.max : Int64(pow10(width)) - 1
            let high = min(range.upperBound, widest)
            parts.append(fixedWidth(low...high, width: width))
            if high == Int64.max { break }
            low = high + 1
        }
        return "(" + parts.joined(separator: "|") + ")"
    }

    /// Text as `Int(text)` reads it into `range`, or blank (read as absent): an optional `+`
    /// (or `-` before a zero) and leading zeros are accepted, as Swift accepts them.
    static func integerText(_ range: ClosedRange<Int64>) -> String {
        let signed = "\\+?0*" + canonical(range)
        let zero = range.contains(0) ? "|-0+" : ""
        return "^(" + signed + zero + ")?$"
    }

    /// `YYYY-MM-DD` on or after `first` (whether the date exists is left to `format: date`).
    static func dateOnOrAfter(_ first: CivilDate) -> String {
        let year = Int64(first.year)
        let month = Int64(first.month)
        let day = Int64(first.day)
        let anyMonth = "(0[1-9]|1[0-2])"
        let anyDay = "(0[1-9]|[12][0-9]|3[01])"
        var parts = [
            "\(fixedWidth(year...year, width: 4))-\(fixedWidth(month...month, width: 2))-"
                + fixedWidth(day...31, width: 2)
        ]
        if month < 12 {
            parts.append("\(fixedWidth(year...year, width: 4))-\(fixedWidth((month + 1)...12, width: 2))-\(anyDay)")
        }
        if year < 9999 { parts.append("\(fixedWidth((year + 1)...9999, width: 4))-\(anyMonth)-\(anyDay)") }
        return "^(" + parts.joined(separator: "|") + ")$"
    }

    private static func pow10(_ exponent: Int) -> Double {
        var value = 1.0
        for _ in 0..<exponent { value *= 10 }
        return value
    }

    /// Alternatives matching every digit string from `low` to `high`, both of one length.
    private static func alternatives(_ low: ArraySlice<Character>, _ high: ArraySlice<Character>) -> [String] {
        guard let a = low.first, let b = high.first else { return [""] }
        if low == high { return [String(low)] }
        let restLow = low.dropFirst()
        let restHigh = high.dropFirst()
        if a == b { return alternatives(restLow, restHigh).map { String(a) + $0 } }
        let length = restLow.count
        let nines = ArraySlice(repeating: Character("9"), count: length)
        let zeros = ArraySlice(repeating: Character("0"), count: length)
        var parts: [String] = []
        var first = digit(a)
        var last = digit(b)
        if restLow != zeros {
            parts += alternatives(restLow, nines).map { String(a) + $0 }
            first += 1
        }
        var tail: [String] = []
        if restHigh != nines {
            tail = alternatives(zeros, restHigh).map { String(b) + $0 }
            last -= 1
        }
        if first <= last {
            let head = first == last ? "\(first)" : "[\(first)-\(last)]"
            parts.append(head + (length == 0 ? "" : "[0-9]{\(length)}"))
        }
        return parts + tail
    }

    private static func digit(_ character: Character) -> Int { character.wholeNumberValue ?? 0 }
}
