/// How a department wrote its file: rows of a CSV table, or records of a JSON array.
public enum FeedFileFormat: String, Sendable, Hashable {
    /// Chinese column headers, one row per record; a row is named by its line in the file.
    case csv
    /// English camelCase keys, one object per record; a record is named by its index in the array.
    case json
}

/// One thing wrong in one record of a feed file, where the department will look for it: the
/// CSV line and the column as the file's header writes it, or the JSON array index and key.
///
/// ```swift
/// FeedRowError(format: .csv, row: 12, field: "公民身份号码", message: "公民身份号码校验位错误：应为 X")
///     .description  // 第 12 行，“公民身份号码”列：公民身份号码校验位错误：应为 X
/// ```
public struct FeedRowError: Error, Sendable, Hashable, CustomStringConvertible {
    public let format: FeedFileFormat
    /// The 1-based line on which the CSV row starts, or the 0-based index of the JSON record.
    public let row: Int
    /// The column's header (CSV) or the key (JSON).
    public let field: String
    /// What is wrong, in Chinese.
    public let message: String

    public init(format: FeedFileFormat, row: Int, field: String, message: String) {
        self.format = format
        self.row = row
        self.field = field
        self.message = message
    }

    public var description: String {
        switch format {
        case .csv: "第 \(row) 行，“\(field)”列：\(message)"
        case .json: "第 \(row + 1) 条记录（下标 \(row)），“\(field)”字段：\(message)"
        }
    }
}

/// Why a feed file was refused as a whole; none of its records is taken.
///
/// ```swift
/// do { _ = try FeedFile.decode(data, feed: .medical, today: today) } catch {
///     print(error)  // 第 3 行，“个人自付”列：个人自付 500.00元 超过医疗总费用 300.00元
/// }
/// ```
public enum FeedFileError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file cannot be read as a whole: its encoding, its CSV or JSON syntax, a missing
    /// column, a feed other than the one sent, no records or too many.
    case unreadable(String)
    /// Records are wrong: the first ``FeedFile/listedErrors`` problems in file order, and how
    /// many more were found after them.
    case invalidRows([FeedRowError], more: Int)

    /// The problems with rows, empty when the file could not be read at all.
    public var rowErrors: [FeedRowError] {
        if case .invalidRows(let errors, _) = self { return errors }
        return []
    }

    /// One problem a line, ending with how many were not listed.
    public var description: String {
        switch self {
        case .unreadable(let message):
            return message
        case .invalidRows(let errors, let more):
            let lines = errors.map(\.description) + (more > 0 ? ["另有 \(more) 处问题未列出"] : [])
            return lines.joined(separator: "\n")
        }
    }
}
