/// One logical CSV row and where it starts in the file.
public struct CSVRow: Sendable, Hashable {
    /// 1-based physical line on which the row starts; a quoted field with line breaks makes
    /// the next row start further down.
    public let line: Int
    /// The field values, unquoted and unescaped.
    public let fields: [String]

    /// Creates a row.
    /// - Parameters:
    ///   - line: 1-based physical line of the row start.
    ///   - fields: The values.
    public init(line: Int, fields: [String]) {
        self.line = line
        self.fields = fields
    }
}

/// Why a CSV text could not be read as a table.
public enum CSVError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A quoted field opened on `line` never closes.
    case unterminatedQuote(line: Int)
    /// The text has no rows at all, so there is no header.
    case missingHeader
    /// Required columns are not in the header; carries their names in the order asked for.
    case missingColumns([String])
    /// A required column name appears more than once in the header, so the value would be ambiguous.
    case duplicateColumn(String)

    /// A Chinese message for the person importing the file.
    public var description: String {
        switch self {
        case .unterminatedQuote(let line):
            "第 \(line) 行：双引号未闭合，从此处到文件结尾都没有找到结束的双引号"
        case .missingHeader:
            "文件为空，缺少表头行"
        case .missingColumns(let names):
            "缺少必需的列：" + names.map { "“\($0)”" }.joined(separator: "、")
        case .duplicateColumn(let name):
            "表头中“\(name)”列出现多次，无法确定使用哪一列"
        }
    }
}

/// Splits CSV text (RFC 4180) into rows.
///
/// Comma separator; fields may be enclosed in double quotes, inside which `""` stands for one
/// quote and commas and line breaks are data. CRLF, LF and bare CR all end a row. Lines with
/// no characters at all are skipped, which also means a trailing line break adds no row.
///
/// Two deliberate leniencies, matching what Excel does when it opens such files, so that a
/// hand-edited file still imports: a quote inside an unquoted field is kept as a character,
/// and text after a closing quote (`"ab"c`) is appended to the field.
///
/// ```swift
/// let rows = try CSVReader.rows(in: "姓名,住址\r\n张三,\"泰州市,海陵区\"\r\n")
/// rows[1].fields  // ["张三", "泰州市,海陵区"]
/// rows[1].line    // 2
/// ```
public enum CSVReader {
    /// Parses the whole text.
    /// - Parameter text: Decoded file contents, e.g. from ``RegistryFileDecoder``.
    /// - Throws: ``CSVError/unterminatedQuote(line:)`` naming the line where the open quote is.
    public static func rows(in text: String) throws(CSVError) -> [CSVRow] {
        var parser = Parser()
        // UTF-8 bytes, not Characters: Swift treats "\r\n" as a single Character, and a quote
        // followed by a combining mark would otherwise hide the quote. The separators are ASCII,
        // and no byte of a longer UTF-8 sequence is, so bytes split exactly as scalars would.
        for byte in text.utf8 {
            parser.consume(byte)
        }
        return try parser.finish()
    }

    private struct Parser {
        enum State {
            case fieldStart
            case unquoted
            case quoted
            /// Just saw a quote inside a quoted field: either an escaped quote or the end of the field.
            case quoteInQuoted
        }

        var rows: [CSVRow] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var state = State.fieldStart
        var line = 1
        var rowStartLine = 1
        var quoteOpenedLine = 1
        /// Whether the current row has any character, so that empty lines can be skipped.
        var rowHasContent = false
        /// The previous scalar was a CR, so an LF now completes the same line break.
        var afterCR = false

        mutating func consume(_ byte: UInt8) {
            if afterCR {
                afterCR = false
                if byte == UInt8(ascii: "\n") {
                    // Second half of a CRLF: the line was already counted; inside quotes it is data.
                    if state == .quoted { field.append(byte) }
                    return
                }
            }
            switch state {
            case .quoted:
                if byte == UInt8(ascii: "\"") {
                    state = .quoteInQuoted
                } else {
                    if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") { newPhysicalLine(byte) }
                    field.append(byte)
                }
                return
            case .quoteInQuoted:
                if byte == UInt8(ascii: "\"") {
                    field.append(byte)
                    state = .quoted
                    return
                }
                state = .unquoted
            case .fieldStart:
                if byte == UInt8(ascii: "\"") {
                    state = .quoted
                    quoteOpenedLine = line
                    rowHasContent = true
                    return
                }
            case .unquoted:
                break
            }
            switch byte {
            case UInt8(ascii: ","):
                rowHasContent = true
                endField()
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                newPhysicalLine(byte)
                endRow()
            default:
                rowHasContent = true
                field.append(byte)
                state = .unquoted
            }
        }

        mutating func newPhysicalLine(_ byte: UInt8) {
            line += 1
            afterCR = byte == UInt8(ascii: "\r")
        }

        mutating func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            state = .fieldStart
        }

        mutating func endRow() {
            if rowHasContent {
                endField()
                rows.append(CSVRow(line: rowStartLine, fields: fields))
            }
            fields = []
            field.removeAll(keepingCapacity: true)
            state = .fieldStart
            rowHasContent = false
            rowStartLine = line
        }

        mutating func finish() throws(CSVError) -> [CSVRow] {
            if state == .quoted { throw .unterminatedQuote(line: quoteOpenedLine) }
            endRow()
            return rows
        }
    }
}

/// A CSV file whose first row is the header: values are looked up by column name.
///
/// Header names are trimmed of whitespace (and a stray byte-order mark), because Excel users
/// often type "姓名 " and a BOM can survive a copy-and-paste.
///
/// ```swift
/// let table = try CSVTable(text: csv)
/// try table.requireColumns(["姓名", "公民身份号码"])
/// for record in table.records {
///     let id = record["公民身份号码"] ?? ""
///     print("第 \(record.line) 行：\(id)")
/// }
/// ```
public struct CSVTable: Sendable, Hashable {
    /// The trimmed column names, in file order.
    public let header: [String]
    /// 1-based line of the header row.
    public let headerLine: Int
    /// The data rows, in file order.
    public let records: [CSVRecord]

    /// Builds a table from rows; the first row is the header.
    /// - Parameter rows: Rows from ``CSVReader/rows(in:)``.
    /// - Throws: ``CSVError/missingHeader`` when there are no rows.
    public init(rows: [CSVRow]) throws(CSVError) {
        guard let first = rows.first else { throw .missingHeader }
        let header = first.fields.map(Self.normalizedName)
        var columns: [String: Int] = [:]
        // The first occurrence wins for lookups; requireColumns reports duplicates of names that matter.
        for (index, name) in header.enumerated() where !name.isEmpty && columns[name] == nil {
            columns[name] = index
        }
        self.header = header
        self.headerLine = first.line
        // A row of empty cells (Excel writes them below the data) is no record.
        self.records = rows.dropFirst().filter { !Self.isBlank($0) }.map {
            CSVRecord(line: $0.line, fields: $0.fields, columns: columns)
        }
    }

    /// Builds a table whose header is the first of the first `searched` rows that names every
    /// column in `required` (or, when none does, names most of them): the rows above it — a
    /// register's title, its date — are not read.
    ///
    /// ```swift
    /// // 海池社区困难家庭花名册（2026年11月）
    /// // 原户号,村居代码,…
    /// let table = try CSVTable(text: register, headerNaming: RegistryCSV.requiredColumns)
    /// ```
    public init(text: String, headerNaming required: [String], searched: Int = 10) throws(CSVError) {
        let rows = try CSVReader.rows(in: text)
        let wanted = Set(required.map(Self.normalizedName))
        let candidates = rows.prefix(searched).indices
        let named = { (index: Int) in Set(rows[index].fields.map(Self.normalizedName)).intersection(wanted).count }
        let best = candidates.first { named($0) == wanted.count } ?? candidates.max { named($0) < named($1) }
        try self.init(rows: Array(rows[(best ?? 0)...]))
    }

    private static func isBlank(_ row: CSVRow) -> Bool {
        row.fields.allSatisfy { normalizedName($0).isEmpty }
    }

    /// Parses text and builds a table; the first row is the header.
    /// - Parameter text: Decoded file contents.
    /// - Throws: ``CSVError``.
    public init(text: String) throws(CSVError) {
        try self.init(rows: CSVReader.rows(in: text))
    }

    /// The 0-based index of a column, by trimmed name.
    /// - Parameter name: The column name; surrounding whitespace is ignored.
    public func columnIndex(named name: String) -> Int? {
        header.firstIndex(of: Self.normalizedName(name))
    }

    /// Checks that every named column is present exactly once.
    ///
    /// All missing names are reported together so the user can fix the header in one go.
    /// - Parameter names: The columns the import needs.
    /// - Throws: ``CSVError/missingColumns(_:)`` or ``CSVError/duplicateColumn(_:)``.
    public func requireColumns(_ names: [String]) throws(CSVError) {
        let wanted = names.map(Self.normalizedName)
        let missing = wanted.filter { !header.contains($0) }
        guard missing.isEmpty else { throw .missingColumns(missing) }
        if let duplicate = wanted.first(where: { name in header.count(where: { $0 == name }) > 1 }) {
            throw .duplicateColumn(duplicate)
        }
    }

    static func normalizedName(_ name: String) -> String {
        let scalars = name.unicodeScalars
        guard let first = scalars.firstIndex(where: { !isIgnorable($0) }),
            let last = scalars.lastIndex(where: { !isIgnorable($0) })
        else { return "" }
        return String(scalars[first...last])
    }

    private static func isIgnorable(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isWhitespace || scalar == "\u{FEFF}"
    }
}

/// One data row of a ``CSVTable``, with values by column name.
public struct CSVRecord: Sendable, Hashable {
    /// 1-based physical line on which the row starts, for messages like "第 N 行".
    public let line: Int
    /// The raw values in file order; may be shorter or longer than the header.
    public let fields: [String]
    let columns: [String: Int]

    /// The value in the named column.
    ///
    /// Returns `nil` when the header has no such column, and `""` when the column exists but this
    /// row is shorter than the header (Excel drops trailing empty cells in some exports).
    /// - Parameter column: The column name; surrounding whitespace is ignored.
    public subscript(column: String) -> String? {
        guard let index = columns[CSVTable.normalizedName(column)] else { return nil }
        return index < fields.count ? fields[index] : ""
    }

    /// All values keyed by column name (first occurrence of a repeated name wins).
    public var valuesByColumn: [String: String] {
        columns.mapValues { $0 < fields.count ? fields[$0] : "" }
    }
}
