import Foundation
import JiuzhuDomain
import JiuzhuPolicy
import Testing

/// The shipped calendars against the State Council's notices, written out here a second time
/// by hand, and the deadline arithmetic against a counter that knows nothing of ours.
@Suite struct WorkingCalendarTests {
    static let packageDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static func day(_ text: String) -> CivilDate { (try? CivilDate(text)) ?? .earliest }

    static func shipped() throws -> WorkingCalendar {
        WorkingCalendar(
            years: try WorkingCalendarFile.loadAll(in: packageDirectory.appending(path: "calendar")))
    }

    /// Days off and worked weekend days as the notices list them (国办发明电〔2024〕12号 for
    /// 2025, the notice of 2025-11-04 for 2026), and 2027's statutory days.
    static let noticeDaysOff: [String: [(String, String)]] = [
        "2025": [
            ("2025-01-01", "2025-01-01"), ("2025-01-28", "2025-02-04"), ("2025-04-04", "2025-04-06"),
            ("2025-05-01", "2025-05-05"), ("2025-05-31", "2025-06-02"), ("2025-10-01", "2025-10-08"),
        ],
        "2026": [
            ("2026-01-01", "2026-01-03"), ("2026-02-15", "2026-02-23"), ("2026-04-04", "2026-04-06"),
            ("2026-05-01", "2026-05-05"), ("2026-06-19", "2026-06-21"), ("2026-09-25", "2026-09-27"),
            ("2026-10-01", "2026-10-07"),
        ],
        "2027": [
            ("2027-01-01", "2027-01-01"), ("2027-02-05", "2027-02-08"), ("2027-04-05", "2027-04-05"),
            ("2027-05-01", "2027-05-02"), ("2027-06-09", "2027-06-09"), ("2027-09-15", "2027-09-15"),
            ("2027-10-01", "2027-10-03"),
        ],
    ]
    static let noticeWorkedDays = [
        "2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11",
        "2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10",
    ]

    /// Whether a day is worked, from the lists above and Foundation's Gregorian weekday.
    static func oracleIsWorking(_ date: Date, _ gregorian: Calendar, off: Set<String>, worked: Set<String>) -> Bool {
        let text = Self.text(date, gregorian)
        if worked.contains(text) { return true }
        if off.contains(text) { return false }
        let weekday = gregorian.component(.weekday, from: date)  // 1 Sunday … 7 Saturday
        return weekday != 1 && weekday != 7
    }

    static func text(_ date: Date, _ gregorian: Calendar) -> String {
        let parts = gregorian.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }

    static func expandedOff() -> Set<String> {
        var gregorian = Calendar(identifier: .gregorian)
        gregorian.timeZone = TimeZone(identifier: "Asia/Shanghai") ?? .gmt
        var off: Set<String> = []
        for ranges in noticeDaysOff.values {
            for (first, last) in ranges {
                let formatter = DateFormatter()
                formatter.calendar = gregorian
                formatter.timeZone = gregorian.timeZone
                formatter.dateFormat = "yyyy-MM-dd"
                guard var current = formatter.date(from: first), let end = formatter.date(from: last) else { continue }
                while current <= end {
                    off.insert(text(current, gregorian))
                    current = gregorian.date(byAdding: .day, value: 1, to: current) ?? end.addingTimeInterval(1)
                }
            }
        }
        return off
    }

    @Test func theShippedFilesAreTheNotices() throws {
        let calendar = try Self.shipped()
        #expect(calendar.years.keys.sorted() == [2025, 2026, 2027])
        #expect(calendar.years[2026]?.version == "2026.1")
        #expect(calendar.years[2027]?.provisional == true)
        #expect(calendar.years[2026]?.provisional == false)
        let off = Self.expandedOff()
        for year in 2025...2027 {
            let file = try #require(calendar.years[year])
            #expect(Set(file.daysOff.map(\.description)) == off.filter { $0.hasPrefix("\(year)") })
            #expect(
                Set(file.workedWeekendDays.map(\.description))
                    == Set(Self.noticeWorkedDays.filter { $0.hasPrefix("\(year)") }))
        }
    }

    @Test func theIssuesExampleEndsOnWednesday25February() throws {
        let deadline = try #require(
            try Self.shipped().deadline(after: Self.day("2026-02-13"), limit: TimeLimit(count: 3, unit: .workingDays)))
        #expect(deadline.dueOn == Self.day("2026-02-25"))
        #expect(deadline.calendarVersions == ["2026.1"])
        #expect(!deadline.provisional)
    }

    /// Every start day of 2025–2027 and every count from 1 to 25 working days, against a count
    /// made day by day with Foundation's calendar over the notices' lists: this crosses every
    /// holiday and every worked weekend day from both sides.
    @Test func everyWorkingDayCountOfThreeYearsAgreesWithTheNotices() throws {
        let calendar = try Self.shipped()
        var gregorian = Calendar(identifier: .gregorian)
        gregorian.timeZone = TimeZone(identifier: "Asia/Shanghai") ?? .gmt
        let off = Self.expandedOff()
        let worked = Set(Self.noticeWorkedDays)
        let start = try #require(gregorian.date(from: DateComponents(year: 2025, month: 1, day: 1, hour: 12)))
        var mismatches: [String] = []
        for offset in 0..<(365 + 365 + 300) {
            guard let first = gregorian.date(byAdding: .day, value: offset, to: start) else { continue }
            let startText = Self.text(first, gregorian)
            var current = first
            var counted = 0
            for count in 1...25 {
                repeat {
                    current = gregorian.date(byAdding: .day, value: 1, to: current) ?? current
                } while !Self.oracleIsWorking(current, gregorian, off: off, worked: worked)
                counted += 1
                let limit = try TimeLimit(count: count, unit: .workingDays)
                let ours = calendar.deadline(after: Self.day(startText), limit: limit)?.dueOn.description
                if ours != Self.text(current, gregorian) {
                    mismatches.append("\(startText) + \(count): \(ours ?? "nil") ≠ \(Self.text(current, gregorian))")
                }
            }
            #expect(counted == 25)
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
    }

    struct Example: CustomStringConvertible, Sendable {
        let start: String
        let count: Int
        let unit: TimeLimit.Unit
        let due: String
        let provisional: Bool
        var description: String { "\(start) + \(count) \(unit)" }
    }

    @Test(arguments: [
        // National Day: 1–7 Oct off, Saturday 10 Oct worked.
        Example(start: "2026-09-30", count: 3, unit: .workingDays, due: "2026-10-10", provisional: false),
        // Sunday 26 Jan 2025 is worked.
        Example(start: "2025-01-24", count: 1, unit: .workingDays, due: "2025-01-26", provisional: false),
        // Into 2027, whose calendar is provisional: 1 Jan off, then Mon 4 to Wed 6.
        Example(start: "2026-12-31", count: 3, unit: .workingDays, due: "2027-01-06", provisional: true),
        // Seven days of notice from Mon 28 Sep end on 5 Oct, a holiday: the next working day.
        Example(start: "2026-09-28", count: 7, unit: .calendarDays, due: "2026-10-08", provisional: false),
        // A notice ending on an ordinary Tuesday.
        Example(start: "2026-03-03", count: 7, unit: .calendarDays, due: "2026-03-10", provisional: false),
        // One month from 31 Jan: 28 Feb, a worked Saturday.
        Example(start: "2026-01-31", count: 1, unit: .months, due: "2026-02-28", provisional: false),
        // Three months from 30 Nov: Sunday 28 Feb 2027 → Monday 1 March, provisional.
        Example(start: "2026-11-30", count: 3, unit: .months, due: "2027-03-01", provisional: true),
        // Twenty working days from the last working day before the Spring Festival.
        Example(start: "2026-02-13", count: 20, unit: .workingDays, due: "2026-03-19", provisional: false),
    ])
    func examplesAroundHolidays(_ example: Example) throws {
        let limit = try TimeLimit(count: example.count, unit: example.unit)
        let deadline = try #require(try Self.shipped().deadline(after: Self.day(example.start), limit: limit))
        #expect(deadline.dueOn.description == example.due)
        #expect(deadline.provisional == example.provisional)
    }

    @Test func aRequestForDocumentsStopsTheClockUntilTheyArrive() throws {
        let calendar = try Self.shipped()
        let limit = try TimeLimit(count: 3, unit: .workingDays)
        // Mon 2 March: the request on Tue 3 counts; 4–10 March stand still; 11 and 12 count.
        let paused = ClockPause(from: Self.day("2026-03-03"), until: Self.day("2026-03-10"))
        #expect(
            calendar.deadline(after: Self.day("2026-03-02"), limit: limit, pauses: [paused])?.dueOn
                == Self.day("2026-03-12"))
        #expect(calendar.deadline(after: Self.day("2026-03-02"), limit: limit)?.dueOn == Self.day("2026-03-05"))
        // Still awaited: no deadline.
        let open = ClockPause(from: Self.day("2026-03-03"), until: nil)
        #expect(calendar.deadline(after: Self.day("2026-03-02"), limit: limit, pauses: [open]) == nil)
        // A pause after the period ends changes nothing.
        let late = ClockPause(from: Self.day("2026-04-01"), until: nil)
        #expect(
            calendar.deadline(after: Self.day("2026-03-02"), limit: limit, pauses: [late])?.dueOn
                == Self.day("2026-03-05"))
        // Months: the paused days are added on.
        let months = try TimeLimit(count: 3, unit: .months)
        #expect(
            calendar.deadline(after: Self.day("2026-03-02"), limit: months, pauses: [paused])?.dueOn
                == Self.day("2026-06-09"))
    }

    @Test func aYearWithoutACalendarCountsWeekdaysAndSaysSo() throws {
        let deadline = try #require(
            WorkingCalendar.weekdaysOnly.deadline(
                after: Self.day("2030-10-04"), limit: TimeLimit(count: 1, unit: .workingDays)))
        #expect(deadline.dueOn == Self.day("2030-10-07"))  // Friday → Monday
        #expect(deadline.provisional)
        #expect(deadline.calendarVersions.isEmpty)
    }

    @Test func overdueFromMidnightBeijingTimeAfterTheLastDay() {
        let deadline = Deadline(dueOn: Self.day("2026-02-25"), calendarVersions: [], provisional: false)
        // 2026-02-26T00:00+08:00 = 2026-02-25T16:00Z.
        #expect(deadline.overdueFromMilliseconds == 1_772_035_200_000)
        #expect(CivilDate(shanghaiAt: deadline.overdueFromMilliseconds) == Self.day("2026-02-26"))
        #expect(CivilDate(shanghaiAt: deadline.overdueFromMilliseconds - 1) == Self.day("2026-02-25"))
    }

    @Test func weekdaysAgreeWithFoundationFor1970To2100() throws {
        var gregorian = Calendar(identifier: .gregorian)
        gregorian.timeZone = .gmt
        for days in stride(from: Int64(0), to: 47_500, by: 1) {
            let date = CivilDate(daysSince1970: days)
            let foundation = gregorian.component(.weekday, from: Date(timeIntervalSince1970: Double(days) * 86_400))
            #expect(date.isoWeekday == (foundation + 5) % 7 + 1, "\(date)")
            if date.isoWeekday != (foundation + 5) % 7 + 1 { break }
        }
    }

    @Test func monthsEndOnTheMonthsLastDayWhenShorter() {
        #expect(Self.day("2024-01-31").adding(months: 1) == Self.day("2024-02-29"))
        #expect(Self.day("2025-01-31").adding(months: 1) == Self.day("2025-02-28"))
        #expect(Self.day("2025-08-31").adding(months: 6) == Self.day("2026-02-28"))
        #expect(Self.day("2025-11-15").adding(months: 3) == Self.day("2026-02-15"))
        #expect(Self.day("2026-03-31").adding(months: -1) == Self.day("2026-02-28"))
    }

    @Test(arguments: [
        (
            "year: 2026\nversion: \"2026.1\"\nsource: x\nholidays:\n  - name: 春节\n    off: [2026-02-15, 2026-02-23]\n    worked: [2026-02-16]\n",
            7, "星期一"
        ),
        (
            "year: 2026\nversion: \"2026.1\"\nsource: x\nholidays:\n  - name: 春节\n    off: [2026-02-23, 2026-02-15]\n",
            6, "应为 1 到 10 天"
        ),
        (
            "year: 2026\nversion: \"2026.1\"\nsource: x\nholidays:\n  - name: 元旦\n    off: [2025-12-31, 2026-01-01]\n",
            6, "不在 2026 年内"
        ),
        (
            "year: 2026\nversion: \"2026.1\"\nsource: x\nholidays:\n  - name: 元旦\n    off: [2026-01-01, 2026-01-03]\n    worked: [2026-01-03]\n",
            5, "既列为放假又列为调休上班"
        ),
        ("year: 2026\nversion: \"2025.1\"\nsource: x\nholidays: []\n", 2, "应以年份开头"),
        ("year: 2026\nversion: \"2026.1\"\nsource: x\nholiday: []\n", 4, "未知的键"),
        (
            "year: 2026\nversion: \"2026.1\"\nsource: x\nholidays:\n  - name: 元旦\n    off: [2026-02-30, 2026-03-01]\n",
            6, "无效"
        ),
        ("year: 99999999999999999999\nversion: \"2026.1\"\nsource: x\nholidays: []\n", 1, "年份"),
    ])
    func badFilesAreRefusedWithTheirLine(_ text: String, _ line: Int, _ words: String) {
        #expect {
            try WorkingCalendarFile.load(yaml: text, file: "bad.yaml")
        } throws: { error in
            guard let error = error as? PolicyFileError else { return false }
            return error.line == line && error.message.contains(words)
        }
    }

    @Test func tooManyDaysOffAreRefused() {
        let holidays = (1...7).map { month in
            "  - name: 假\(month)\n    off: [2026-\(month < 10 ? "0" : "")\(month)-01, 2026-\(month < 10 ? "0" : "")\(month)-10]\n"
        }.joined()
        let text = "year: 2026\nversion: \"2026.9\"\nsource: x\nholidays:\n" + holidays
        #expect(throws: PolicyFileError.self) { try WorkingCalendarFile.load(yaml: text, file: "many.yaml") }
    }
}
