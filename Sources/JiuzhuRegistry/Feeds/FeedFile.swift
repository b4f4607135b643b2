import Foundation
import JiuzhuDomain

/// A department's feed file read into records: all of them, or every problem found and none.
///
/// A file is CSV or JSON, told apart by its first character that is not blank: `[` or `{`
/// starts JSON, anything else is CSV.
///
/// - CSV: UTF-8 (with or without a byte-order mark) or GB18030, as Excel saves it; the header
///   is the first of the first 10 rows naming every required column (a title row above it is
///   skipped); columns are found by their Chinese header, and columns the feed does not know
///   are ignored. A problem is named by the row's line and the column's header.
/// - JSON: an array of records, or `{"feed": "medical", "records": [...]}`; keys are English
///   camelCase, a key the feed does not know is refused. Values are strings, numbers, `true`,
///   `false` or `null` (as if left out); an amount may be a number (`1200.50`) or a string. A
///   problem is named by the record's array index and the key.
///
/// Both name the same columns, ``DepartmentFeed/columns``; `feeds/README.md` documents each
/// feed's and `feeds/examples/` holds a file of each.
///
/// ```swift
/// let records = try FeedFile.decode(data, feed: .medical, today: try CivilDate("2026-11-29"))
/// ```
public enum FeedFile {
    /// The most records one file may hold.
    public static let maximumRecords = 1_000_000
    /// The most row problems an error lists; the rest are counted.
    public static let listedErrors = 200

    /// Reads every record of `data` as records of `feed`, checked against the day `today`.
    ///
    /// - Throws: ``FeedFileError/unreadable(_:)`` when the file cannot be read as a whole, or
    ///   ``FeedFileError/invalidRows(_:more:)`` listing every record's problems, when any
    ///   record has one (a record number sent twice in the file is one).
    public static func decode(_ data: Data, feed: DepartmentFeed, today: CivilDate) throws(FeedFileError)
        -> [FeedRecord]
    {
        let text: String
        do { text = try RegistryFileDecoder.decode(data).text } catch { throw .unreadable(error.description) }
        let format = format(of: text)
        let rows =
            switch format {
            case .csv: try csvRows(text, feed: feed)
            case .json: try jsonRows(text, feed: feed)
            }
        guard !rows.isEmpty else { throw .unreadable("文件中没有记录") }

        var records: [FeedRecord] = []
        records.reserveCapacity(rows.count)
        var errors: [FeedRowError] = []
        var unlisted = 0
        func report(_ error: FeedRowError) {
            if errors.count < listedErrors { errors.append(error) } else { unlisted += 1 }
        }
        // Each row is read on its own, on every core; problems and repeated numbers are then
        // gathered in the file's order.
        let read = rows.concurrentMap { source in
            var reader = FeedRowReader(feed: feed, format: format, source: source, today: today)
            let record = reader.record()
            return (source: source, record: record, errors: reader.errors, recordID: reader.recordID)
        }
        var firstRows: [String: Int] = [:]
        for (source, record, rowErrors, recordID) in read {
            source.problems.forEach(report)
            rowErrors.forEach(report)
            if let id = recordID {
                if let first = firstRows[id] {
                    report(
                        FeedRowError(
                            format: format, row: source.row, field: FeedColumn.recordID.label(in: format),
                            message: "“\(id)”与\(rowName(first, in: format))重复：同一文件中记录编号不得重复"))
                } else {
                    firstRows[id] = source.row
                }
            }
            if let record, errors.isEmpty { records.append(record) }
        }
        guard errors.isEmpty else { throw .invalidRows(errors, more: unlisted) }
        return records
    }

    /// JSON when the first character that is not blank opens an array or an object.
    static func format(of text: String) -> FeedFileFormat {
        let first = text.unicodeScalars.first { !$0.properties.isWhitespace && $0 != "\u{FEFF}" }
        return first == "[" || first == "{" ? .json : .csv
    }

    /// Refuses a file of more than ``maximumRecords`` records before any is read.
    static func checkCount(_ count: Int) throws(FeedFileError) {
        guard count <= maximumRecords else {
            throw .unreadable("文件中有 \(count) 条记录，超过每个文件 \(maximumRecords) 条的上限：请拆分为多个文件报送")
        }
    }

    static func rowName(_ row: Int, in format: FeedFileFormat) -> String {
        switch format {
        case .csv: "第 \(row) 行"
        case .json: "第 \(row + 1) 条记录（下标 \(row)）"
        }
    }

    // MARK: CSV

    static func csvRows(_ text: String, feed: DepartmentFeed) throws(FeedFileError) -> [FeedSourceRow] {
        let columns = feed.columns
        let required = columns.filter(\.isRequired).map(\.header)
        let table: CSVTable
        do {
            table = try CSVTable(text: text, headerNaming: required)
            // An optional column named twice is as ambiguous as a required one.
            try table.requireColumns(columns.map(\.header).filter { table.columnIndex(named: $0) != nil })
            try table.requireColumns(required)
        } catch {
            throw .unreadable("\(error.description)（本文件应为“\(feed.chineseName)”数据，列名见 feeds/README.md）")
        }
        try checkCount(table.records.count)
        // Each column's index found once, not once a row.
        let indices = columns.compactMap { column in table.columnIndex(named: column.header).map { (column.key, $0) } }
        return table.records.concurrentMap { record in
            var cells: [String: String] = [:]
            for (key, index) in indices where index < record.fields.count {
                let value = record.fields[index].trimmingWhitespace
                if !value.isEmpty { cells[key] = value }
            }
            return FeedSourceRow(row: record.line, cells: cells)
        }
    }

    // MARK: JSON

    static func jsonRows(_ text: String, feed: DepartmentFeed) throws(FeedFileError) -> [FeedSourceRow] {
        let document: FeedJSONValue
        do { document = try FeedJSONParser.parse(text) } catch { throw .unreadable(error.description) }
        let records: [FeedJSONValue]
        switch document {
        case .array(let elements):
            records = elements
        case .object(let members):
            records = try envelope(members, feed: feed)
        default:
            throw .unreadable("JSON 文件应为记录数组，或 {\"feed\": \"\(feed.rawValue)\", \"records\": [...]}")
        }
        try checkCount(records.count)
        let keys = Set(feed.columns.map(\.key))
        return records.enumerated().map { index, value in record(value, index: index, keys: keys, feed: feed) }
    }

    /// The records of `{"feed": …, "records": […]}`; a feed other than the one sent is refused.
    static func envelope(_ members: [FeedJSONMember], feed: DepartmentFeed) throws(FeedFileError) -> [FeedJSONValue] {
        var records: [FeedJSONValue]?
        var named = false
        for member in members {
            switch member.key {
            case "feed":
                guard !named else { throw .unreadable("顶层对象中“feed”字段出现多次") }
                named = true
                guard case .string(let name) = member.value, name == feed.rawValue || name == feed.chineseName else {
                    throw .unreadable("文件声明的数据项与本次报送的“\(feed.chineseName)”（\(feed.rawValue)）不符")
                }
            case "records":
                guard records == nil else { throw .unreadable("顶层对象中“records”字段出现多次") }
                guard case .array(let elements) = member.value else { throw .unreadable("“records”应为记录数组") }
                records = elements
            default:
                throw .unreadable("顶层对象中有未知字段“\(member.key)”（可用：feed、records）")
            }
        }
        guard let records else { throw .unreadable("顶层对象缺少“records”记录数组") }
        return records
    }

    static func record(_ value: FeedJSONValue, index: Int, keys: Set<String>, feed: DepartmentFeed) -> FeedSourceRow {
        var row = FeedSourceRow(row: index, cells: [:])
        func problem(_ field: String, _ message: String) {
            row.problems.append(FeedRowError(format: .json, row: index, field: field, message: message))
        }
        guard case .object(let members) = value else {
            problem("记录", "每条记录应为一个 JSON 对象")
            return row
        }
        var seen: Set<String> = []
        for member in members {
            guard keys.contains(member.key) else {
                problem(
                    member.key, "不是“\(feed.chineseName)”数据的字段（可用：\(feed.columns.map(\.key).joined(separator: "、"))）")
                continue
            }
            guard seen.insert(member.key).inserted else {
                problem(member.key, "同一条记录中出现多次")
                continue
            }
            switch member.value {
            case .string(let text):
                let text = text.trimmingWhitespace
                if !text.isEmpty { row.cells[member.key] = text }
            case .number(let text):
                row.cells[member.key] = text
            case .bool(let flag):
                row.cells[member.key] = flag ? "true" : "false"
            case .null:
                break
            case .array, .object:
                problem(member.key, "应为字符串、数字、true 或 false，而不是数组或对象")
            }
        }
        return row
    }
}
