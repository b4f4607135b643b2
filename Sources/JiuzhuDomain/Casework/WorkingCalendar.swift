/// Which days are worked, year by year, on the State Council's yearly holiday schedule
/// (国务院办公厅关于某年部分节假日安排的通知), including the weekend days that are worked (调休).
///
/// A year with no published schedule counts Monday to Friday as working days; a provisional
/// one only its statutory holidays. Every deadline computed over such a day says so (``Deadline/provisional``), so it can be
/// recomputed when the year's calendar is published.
///
/// ```swift
/// let calendar = WorkingCalendar(years: [year2026])
/// calendar.isWorkingDay(try CivilDate("2026-02-14"))   // true: a Saturday worked for the Spring Festival
/// calendar.isWorkingDay(try CivilDate("2026-02-16"))   // false
/// ```
public struct WorkingCalendar: Sendable, Hashable {
    /// The published schedule of one year.
    public struct Year: Sendable, Hashable, Codable {
        /// The calendar year.
        public let year: Int
        /// The version published, e.g. "2026.1": a corrected schedule gets a new one.
        public let version: String
        /// Where the schedule comes from (the notice and its date).
        public let source: String
        /// Days off that would otherwise be working days (holidays and the days moved into them).
        public let daysOff: Set<CivilDate>
        /// Saturdays and Sundays that are worked (调休上班).
        public let workedWeekendDays: Set<CivilDate>
        /// Whether the schedule is only the statutory holidays, before the State Council's
        /// notice for the year: deadlines counted over it are provisional.
        public let provisional: Bool

        /// Creates a year's schedule; ``WorkingCalendarFile`` validates one read from a file.
        public init(
            year: Int, version: String, source: String, daysOff: Set<CivilDate>, workedWeekendDays: Set<CivilDate>,
            provisional: Bool = false
        ) {
            self.year = year
            self.version = version
            self.source = source
            self.daysOff = daysOff
            self.workedWeekendDays = workedWeekendDays
            self.provisional = provisional
        }

        /// "2026.1", as the timeline of a case names the calendar it counted on.
        public var label: String { version }
    }

    /// The published years, by year.
    public let years: [Int: Year]

    /// A calendar from published years; a later entry for the same year replaces an earlier one.
    public init(years: [Year]) {
        var byYear: [Int: Year] = [:]
        for year in years { byYear[year.year] = year }
        self.years = byYear
    }

    /// A calendar with no published year: Monday to Friday, everything provisional.
    public static let weekdaysOnly = WorkingCalendar(years: [])

    /// Whether `date` is a working day.
    public func isWorkingDay(_ date: CivilDate) -> Bool {
        guard let year = years[date.year] else { return !date.isWeekend }
        if year.workedWeekendDays.contains(date) { return true }
        if year.daysOff.contains(date) { return false }
        return !date.isWeekend
    }

    /// Whether the year of `date` has a published, final schedule.
    public func covers(_ date: CivilDate) -> Bool { years[date.year].map { !$0.provisional } ?? false }

    /// The versions of the years from `start` to `end`, in order; years with none are left out.
    public func versions(from start: CivilDate, through end: CivilDate) -> [String] {
        guard start.year <= end.year else { return [] }
        return (start.year...end.year).compactMap { years[$0]?.version }
    }
}

extension CivilDate {
    /// ISO weekday: Monday 1 … Sunday 7. 1970-01-01 was a Thursday.
    public var isoWeekday: Int {
        let days = daysSince1970
        return Int(((days % 7) + 7 + 3) % 7) + 1
    }

    /// Saturday or Sunday.
    public var isWeekend: Bool { isoWeekday >= 6 }

    /// The date `days` later (earlier when negative), clamped to years 1–9999.
    public func adding(days: Int) -> CivilDate {
        CivilDate(daysSince1970: daysSince1970 + Int64(days))
    }

    /// The same day `months` later, or the month's last day when it is shorter (31 Jan + 1 → 28/29 Feb).
    public func adding(months: Int) -> CivilDate {
        let index = year * 12 + (month - 1) + months
        let newYear = min(max(index / 12, 1), 9999)
        let newMonth = index % 12 + 1
        return CivilDate(
            uncheckedYear: newYear, month: newMonth,
            day: min(day, CivilDate.daysInMonth(year: newYear, month: newMonth)))
    }

    /// The Chinese name of the weekday, 星期一 … 星期日.
    public var chineseWeekday: String {
        ["星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日"][isoWeekday - 1]
    }
}
