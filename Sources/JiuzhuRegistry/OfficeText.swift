/// Cells as office software writes them: Excel on Chinese Windows saves full-width digits
/// typed with a Chinese input method, thousands separators in amounts (`1,200.00`), and
/// long numbers such as citizen IDs in scientific notation (`3.21281E+17`) when the column was
/// not formatted as text.
enum OfficeText {
    /// Full-width digits, point, comma and minus as their ASCII forms (`１２００．５` → `1200.5`).
    static func halfWidth(_ text: String) -> String {
        String(
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
        let parts = halfWidth(text).uppercased().split(separator: "E", omittingEmptySubsequences: false)
        guard parts.count == 2, let mantissa = Double(parts[0]), mantissa > 0,
            Int(parts[1].hasPrefix("+") ? String(parts[1].dropFirst()) : String(parts[1])) != nil
        else { return false }
        return true
    }
}

extension Character {
    fileprivate var isASCIIDigitCharacter: Bool { ("0"..."9").contains(self) }
}
