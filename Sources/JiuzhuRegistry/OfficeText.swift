import JiuzhuDomain

/// Cells as office software writes them: Excel on Chinese Windows saves full-width digits
/// typed with a Chinese input method, thousands separators in amounts (`1,200.00`), and
/// long numbers such as citizen IDs in scientific notation (`3.21281E+17`) when the column was
/// not formatted as text.
enum OfficeText {
    /// Full-width digits, point, comma and minus as their ASCII forms (`１２００．５` → `1200.5`).
    static func halfWidth(_ text: String) -> String {
        // Most cells are ASCII already, and no full-width form is.
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return text }
        return String(
            String.UnicodeScalarView(
                text.unicodeScalars.map { scalar in
                    switch scalar.value {
                    case 0xFF10...0xFF19: Unicode.Scalar(scalar.value - 0xFF10 + 0x30) ?? scalar
                    case 0xFF0E: "."
                    case 0xFF0C: ","
                    case 0xFF0D: "-"
                    default: scalar
                    }
                }))
    }

    /// An amount with its thousands separators taken out, when they stand where separators
    /// stand (`1,200.00`, `12,345,678`); other text is returned as it is, for the amount's own
    /// check to refuse.
    static func amount(_ text: String) -> String {
        let text = halfWidth(text)
        let unsigned = text.hasPrefix("-") ? String(text.dropFirst()) : text
        let whole = unsigned.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)[0]
        let groups = whole.split(separator: ",", omittingEmptySubsequences: false)
        guard groups.count > 1, (1...3).contains(groups[0].count), groups.dropFirst().allSatisfy({ $0.count == 3 }),
            groups.allSatisfy({ $0.allSatisfy(\.isASCIIDigitCharacter) })
        else { return text }
        return text.replacingOccurrences(of: ",", with: "")
    }

    /// Whether `text` is a number Excel wrote in scientific notation (`3.21281E+17`): the
    /// digits after the sixth are lost, and only the cell's format can keep them.
    static func isScientificNotation(_ text: String) -> Bool {
        // No exponent without an E (a full-width Ｅ is not read as one either).
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "E") || $0 == UInt8(ascii: "e") }) else { return false }
        let parts = halfWidth(text).uppercased().split(separator: "E", omittingEmptySubsequences: false)
        guard parts.count == 2, let mantissa = Double(parts[0]), mantissa > 0,
            Int(parts[1].hasPrefix("+") ? String(parts[1].dropFirst()) : String(parts[1])) != nil
        else { return false }
        return true
    }
}

extension Character {
    fileprivate var isASCIIDigitCharacter: Bool { ("0"..."9").contains(self) }

    fileprivate var asciiDigitValue: Int? {
        guard let ascii = asciiValue, (48...57).contains(ascii) else { return nil }
        return Int(ascii - 48)
    }
}

/// A cell an office file got wrong, in words for the person who fixes the file; whoever
/// catches it names the row and the column.
struct OfficeCellProblem: Error, Equatable, Sendable {
    let message: String

    init(_ message: String) { self.message = message }
}

extension OfficeText {
    /// A citizen ID as an office file holds it: full-width digits are read as ASCII, and a number
    /// Excel wrote in scientific notation is refused with its cause and its cure, since its
    /// last digits are gone and no check could name the real problem.
    static func citizenID(_ text: String, today: CivilDate) throws(OfficeCellProblem) -> CitizenID {
        let text = halfWidth(text)
        if isScientificNotation(text) {
            throw OfficeCellProblem(
                "“\(text)”是 Excel 把身份证号当作数字保存的科学计数法，后几位已经丢失：请把该列设置为“文本”格式，重新录入号码后再导出")
        }
        do { return try CitizenID(text, today: (today.year, today.month, today.day)) } catch {
            throw OfficeCellProblem(error.description)
        }
    }

    /// An amount in yuan as an office file writes it (`1,200.00`, `１２００．５`), within
    /// ``InputBounds/amountFen``.
    static func yuan(_ text: String) throws(OfficeCellProblem) -> Fen {
        guard let amount = try? Fen(yuan: Self.amount(text)), amount >= .zero else {
            throw OfficeCellProblem("“\(text)”不是有效金额（元，不能为负，至多两位小数）")
        }
        if let implausible = amount.implausibility { throw OfficeCellProblem("“\(text)”元：\(implausible)") }
        return amount
    }

    /// Yes or no as registers, department systems and Excel write it; nil for anything else.
    static func yesNo(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "是", "有", "y", "yes", "true", "1": true
        case "否", "无", "n", "no", "false", "0": false
        default: nil
        }
    }

    /// A day as offices write it: `2026-03-01`, `2026/3/1`, `2026.3.1`, `2026年3月1日` or
    /// `20260301`, with half- or full-width digits; nil for anything else or a day that does
    /// not exist.
    static func date(_ text: String) -> CivilDate? {
        guard let parts = DateParts(halfWidth(text)) else { return nil }
        switch (parts.numbers.count, parts.separators) {
        case (1, []) where parts.digits == [8]:
            let n = parts.numbers[0]
            return try? CivilDate(year: n / 10000, month: n / 100 % 100, day: n % 100)
        case (3, ["-", "-"]), (3, ["/", "/"]), (3, [".", "."]), (3, ["年", "月", "日"]):
            guard parts.digits[0] == 4, parts.digits[1] <= 2, parts.digits[2] <= 2 else { return nil }
            return try? CivilDate(year: parts.numbers[0], month: parts.numbers[1], day: parts.numbers[2])
        default:
            return nil
        }
    }

    /// A month as offices write it (`2026-10`, `2026/10`, `2026年10月`, `202610`), or any day
    /// ``date(_:)`` reads, as the first day of the month.
    static func month(_ text: String) -> CivilDate? {
        if let day = date(text) { return day.firstOfMonth }
        guard let parts = DateParts(halfWidth(text)) else { return nil }
        switch (parts.numbers.count, parts.separators) {
        case (1, []) where parts.digits == [6]:
            let n = parts.numbers[0]
            return try? CivilDate(year: n / 100, month: n % 100, day: 1)
        case (2, ["-"]), (2, ["/"]), (2, ["."]), (2, ["年", "月"]):
            guard parts.digits[0] == 4, parts.digits[1] <= 2 else { return nil }
            return try? CivilDate(year: parts.numbers[0], month: parts.numbers[1], day: 1)
        default:
            return nil
        }
    }

    /// Whether `text` holds a character no one can see or type into a form: control and
    /// format characters, line and paragraph separators, private-use and unassigned code points.
    static func hasInvisibleCharacter(_ text: String) -> Bool {
        text.unicodeScalars.contains { scalar in
            // Printable ASCII, most of any cell, is none of these.
            if (0x20...0x7E).contains(scalar.value) { return false }
            return switch scalar.properties.generalCategory {
            case .control, .format, .lineSeparator, .paragraphSeparator, .privateUse, .surrogate, .unassigned: true
            default: false
            }
        }
    }
}

/// A date's text as runs of ASCII digits and the characters between them; the digit runs
/// are short enough (at most 8) that their values fit any integer.
private struct DateParts {
    var numbers: [Int] = []
    var digits: [Int] = []
    var separators: [Character] = []

    init?(_ text: String) {
        var run = 0
        var value = 0
        for character in text {
            if let digit = character.asciiDigitValue {
                run += 1
                guard run <= 8 else { return nil }
                value = value * 10 + digit
                continue
            }
            // Every separator follows a run of digits: "2026--3" and "-3" are not dates.
            guard run > 0 else { return nil }
            numbers.append(value)
            digits.append(run)
            separators.append(character)
            run = 0
            value = 0
        }
        if run > 0 {
            numbers.append(value)
            digits.append(run)
        }
        guard !numbers.isEmpty else { return nil }
    }
}
