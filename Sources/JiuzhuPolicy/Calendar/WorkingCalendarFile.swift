import Foundation
import JiuzhuDomain
import Yams

/// A working-day calendar file: one year's holidays and worked weekend days, as the city
/// publishes it (`calendar/2026.yaml`).
///
/// ```yaml
/// year: 2026
/// version: "2026.1"
/// source: 国务院办公厅关于2026年部分节假日安排的通知（2025年11月4日）
/// holidays:
///   - name: 春节
///     off: [2026-02-15, 2026-02-23]
///     worked: [2026-02-14, 2026-02-28]
/// ```
///
/// ```swift
/// let year = try WorkingCalendarFile.load(yaml: text, file: "2026.yaml")
/// ```
public enum WorkingCalendarFile {
    /// The most days off one year may list: China's schedules give about 30, and a bound
    /// keeps a mistaken file from making every day a holiday.
    public static let maximumDaysOff = 60

    /// Loads and validates one year, refusing anything doubtful with the file's line: dates
    /// outside the year, a range that ends before it starts or runs over 10 days, a worked day
    /// that is not a Saturday or Sunday, a day both off and worked, a version that does not
    /// begin with the year.
    public static func load(yaml text: String, file: String) throws(PolicyFileError) -> WorkingCalendar.Year {
        let reader = PolicyFileReader(file: file)
        return try reader.calendarYear(try reader.compose(text))
    }

    /// Loads every `*.yaml` file in `folder`, in name order.
    public static func loadAll(in folder: URL) throws(PolicyFileError) -> [WorkingCalendar.Year] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".yaml") }
                .sorted()
        } catch {
            throw PolicyFileError(file: folder.lastPathComponent, line: 0, message: "无法读取日历目录：\(error)")
        }
        var years: [WorkingCalendar.Year] = []
        for name in names {
            let text: String
            do {
                text = try String(contentsOf: folder.appending(path: name), encoding: .utf8)
            } catch {
                throw PolicyFileError(file: name, line: 0, message: "无法读取文件：\(error.localizedDescription)")
            }
            years.append(try load(yaml: text, file: name))
        }
        return years
    }
}

extension PolicyFileReader {
    func calendarYear(_ root: Node) throws(PolicyFileError) -> WorkingCalendar.Year {
        let pairs = try mapping(
            root, "日历文件", allowed: ["year", "version", "source", "provisional", "holidays"],
            required: ["year", "version", "source", "holidays"])
        var year = 0
        var version = ""
        var source = ""
        var provisional = false
        var holidaysNode: Node?
        for (key, _, value) in pairs {
            switch key {
            case "year":
                let text = try scalar(value, "year")
                guard let number = Int(text), (2000...2100).contains(number) else {
                    throw fail(value, "year“\(text)”无效：应为 2000 到 2100 之间的年份")
                }
                year = number
            case "version": version = try scalar(value, "version")
            case "source": source = try scalar(value, "source")
            case "provisional":
                switch try scalar(value, "provisional") {
                case "true": provisional = true
                case "false": provisional = false
                default: throw fail(value, "provisional 应为 true 或 false")
                }
            default: holidaysNode = value
            }
        }
        let versionNode = pairs.first { $0.key == "version" }?.value
        guard version.hasPrefix("\(year)."), version.count <= 32,
            version.dropFirst(5).allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") })
        else { throw fail(versionNode, "version“\(version)”无效：应以年份开头，如 \(year).1") }
        guard !source.isEmpty, source.count <= 200 else { throw fail(root, "source 应写明依据的文件，200 字以内") }
        var daysOff: Set<CivilDate> = []
        var worked: Set<CivilDate> = []
        for holiday in try sequence(holidaysNode ?? root, "holidays") {
            let fields = try mapping(holiday, "节日", allowed: ["name", "off", "worked"], required: ["name", "off"])
            for (key, _, value) in fields {
                switch key {
                case "off":
                    let ends = try sequence(value, "off")
                    guard ends.count == 2 else {
                        throw fail(value, "off 应写放假的第一天和最后一天，如 [\(year)-10-01, \(year)-10-07]")
                    }
                    let first = try date(ends[0], in: year)
                    let last = try date(ends[1], in: year)
                    let length = last.daysSince1970 - first.daysSince1970 + 1
                    guard (1...10).contains(length) else { throw fail(value, "放假 \(first) 至 \(last) 无效：应为 1 到 10 天") }
                    for offset in 0..<Int(length) {
                        let day = first.adding(days: offset)
                        guard daysOff.insert(day).inserted else { throw fail(value, "\(day) 重复列为放假") }
                    }
                case "worked":
                    for node in try sequence(value, "worked") {
                        let day = try date(node, in: year)
                        guard day.isWeekend else { throw fail(node, "\(day) 是\(day.chineseWeekday)，调休上班日应为周六或周日") }
                        guard worked.insert(day).inserted else { throw fail(node, "\(day) 重复列为调休上班") }
                    }
                default:
                    guard !(try scalar(value, "name")).isEmpty else { throw fail(value, "节日名称不能为空") }
                }
            }
        }
        if let both = daysOff.intersection(worked).min() {
            throw fail(holidaysNode, "\(both) 既列为放假又列为调休上班")
        }
        guard daysOff.count <= WorkingCalendarFile.maximumDaysOff else {
            throw fail(holidaysNode, "放假天数 \(daysOff.count) 超过上限 \(WorkingCalendarFile.maximumDaysOff)")
        }
        return WorkingCalendar.Year(
            year: year, version: version, source: source, daysOff: daysOff, workedWeekendDays: worked,
            provisional: provisional)
    }

    private func date(_ node: Node, in year: Int) throws(PolicyFileError) -> CivilDate {
        let text = try scalar(node, "日期")
        let day: CivilDate
        do {
            day = try CivilDate(text)
        } catch {
            throw fail(node, error.description)
        }
        guard day.year == year else { throw fail(node, "\(day) 不在 \(year) 年内") }
        return day
    }
}
