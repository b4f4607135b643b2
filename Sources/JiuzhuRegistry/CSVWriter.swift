import JiuzhuDomain

/// Writes rows as a CSV file that Excel on Chinese Windows opens correctly.
///
/// Output is UTF-8 with a byte-order mark (without it Excel assumes GBK and garbles Chinese),
/// CRLF line endings, and RFC 4180 quoting: a field is quoted when it contains a comma, a double
/// quote, CR or LF, or starts or ends with a space (which some readers would trim); inner quotes
/// are doubled.
///
/// Two protections for fields that Excel would otherwise interpret, both on by default:
///
/// - **Formula injection.** A field starting with `=`, `+`, `-`, `@`, tab, CR or NUL is prefixed
///   with a single quote `'`, as OWASP and ASVS 5.0 (1.2.10) recommend, so that a name such as
///   `=HYPERLINK(...)` typed into an application form cannot run when a clerk opens the export.
///   Negative decimal numbers such as `-12.5` are left alone: Excel reads them as numbers, not
///   formulas, and adjustments in payment lists can be negative. The apostrophe *is* visible
///   in the cell and in any program that reads the file as data; that is the accepted cost of
///   the mitigation.
/// - **Long digit strings.** A field of more than 11 ASCII digits (bank card numbers, 12-digit
///   village division codes, citizen IDs ending in a digit) gets a trailing tab. Excel stores
///   numbers as doubles: from 12 digits it displays `3.21202E+17`, and after 15 digits it
///   silently replaces the rest with zeros, destroying the number if the file is saved again.
///   A cell that is not a pure number stays text. The tab is invisible in the cell, is removed by
///   any reader that trims whitespace (``CitizenID`` does), and does not start the field, so it is
///   not itself a formula trigger. The alternatives were rejected: `="…"` is a formula, which
///   the first protection exists to forbid; a leading `'` would show in the data; a leading tab
///   is on the formula-trigger list, so security scanners and other sanitisers flag or escape it.
///   The cost: the cell value really contains a tab (a formula such as `LEN` counts it, and
///   copying the cell copies it).
///
/// ```swift
/// let writer = CSVWriter()
/// let bytes = writer.bytes(for: [["姓名", "公民身份号码"], ["张三", "321202198501010019"]])
/// try Data(bytes).write(to: url)
/// ```
public struct CSVWriter: Sendable, Hashable {
    /// Whether fields that start with a formula trigger get a leading `'`.
    public var neutralizesFormulas: Bool
    /// Whether fields of more than 11 digits get a trailing tab so Excel keeps them as text.
    public var keepsLongDigitStringsAsText: Bool

    /// The characters that make Excel, LibreOffice or Sheets treat a cell as a formula.
    public static let formulaTriggers: Set<Unicode.Scalar> = ["=", "+", "-", "@", "\t", "\r", "\0"]
    /// Digit strings longer than this are protected; Excel shows up to 11 digits in full.
    public static let longestSafeDigitString = 11

    /// Creates a writer.
    ///
    /// Turn the protections off only for files meant for another program rather than a person
    /// with Excel, e.g. a data exchange with a provincial system that wants raw values.
    /// - Parameters:
    ///   - neutralizesFormulas: Prefix formula-like fields with `'`.
    ///   - keepsLongDigitStringsAsText: Append a tab to digit strings longer than 11 characters.
    public init(neutralizesFormulas: Bool = true, keepsLongDigitStringsAsText: Bool = true) {
        self.neutralizesFormulas = neutralizesFormulas
        self.keepsLongDigitStringsAsText = keepsLongDigitStringsAsText
    }

    /// The complete file: UTF-8 byte-order mark followed by ``text(for:)``.
    /// - Parameter rows: The rows, header first if there is one.
    public func bytes(for rows: [[String]]) -> [UInt8] {
        TextEncodingDetector.utf8BOM + Array(text(for: rows).utf8)
    }

    /// The rows as CSV text, each ended by CRLF, without the byte-order mark.
    /// - Parameter rows: The rows.
    public func text(for rows: [[String]]) -> String {
        rows.map { line(for: $0) }.joined()
    }

    /// One row, ended by CRLF.
    /// - Parameter fields: The values.
    public func line(for fields: [String]) -> String {
        fields.map { field($0) }.joined(separator: ",") + "\r\n"
    }

    /// One field, protected and quoted as needed.
    ///
    /// ```swift
    /// CSVWriter().field("=1+1")                // "'=1+1"
    /// CSVWriter().field("321202198501010019")  // "321202198501010019\t"
    /// CSVWriter().field("泰州市,海陵区")          // "\"泰州市,海陵区\""
    /// ```
    /// - Parameter value: The raw value.
    public func field(_ value: String) -> String {
        var value = value
        if neutralizesFormulas, let first = value.unicodeScalars.first, Self.formulaTriggers.contains(first),
            !Self.isPlainDecimal(value)
        {
            value = "'" + value
        } else if keepsLongDigitStringsAsText, value.unicodeScalars.count > Self.longestSafeDigitString,
            value.unicodeScalars.allSatisfy(Self.isASCIIDigit)
        {
            value += "\t"
        }
        return Self.quotedIfNeeded(value)
    }

    static func quotedIfNeeded(_ value: String) -> String {
        let scalars = value.unicodeScalars
        let needsQuotes =
            scalars.contains { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" }
            || scalars.first == " " || scalars.last == " "
        guard needsQuotes else { return value }
        return "\"" + value.replacing("\"", with: "\"\"") + "\""
    }

    /// `-12`, `-0.5`: a number Excel parses as such, with no way to call a function.
    ///
    /// A leading `+` is not exempt: `+8613800000000` is a phone number that Excel would turn into
    /// `8.6138E+12`, so it is better off with the apostrophe.
    static func isPlainDecimal(_ value: String) -> Bool {
        var scalars = Substring(value).unicodeScalars
        if scalars.first == "-" { scalars.removeFirst() }
        let parts = scalars.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        return parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(isASCIIDigit) }
    }

    static func isASCIIDigit(_ scalar: Unicode.Scalar) -> Bool {
        ("0"..."9").contains(scalar)
    }
}
