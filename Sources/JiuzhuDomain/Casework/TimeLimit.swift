/// How long a step may take: a number of working days, calendar days or months.
///
/// Limits are policy parameters, dated and set per jurisdiction; this is one value of one.
///
/// ```swift
/// TimeLimit(count: 3, unit: .workingDays).chineseDescription   // "3 个工作日"
/// ```
public struct TimeLimit: Sendable, Hashable, Codable, CustomStringConvertible {
    /// What the count counts.
    public enum Unit: String, CaseIterable, Sendable, Hashable, Codable {
        /// Working days on the working-day calendar (调休 included).
        case workingDays
        /// Calendar days; a period ending on a day off ends on the next working day.
        case calendarDays
        /// Calendar months, to the same day of the month (or the month's last day).
        case months

        /// The Chinese unit, as limits are written on pages.
        public var chineseName: String {
            switch self {
            case .workingDays: "个工作日"
            case .calendarDays: "日"
            case .months: "个月"
            }
        }
    }

    /// The most any limit may count, in its unit: longer limits are a mistake in a policy file,
    /// and the bound keeps every deadline computation short.
    public static let maximumCount = 400

    /// How many units, 1 to ``maximumCount``.
    public let count: Int
    public let unit: Unit

    /// Creates a limit; a count outside 1 … ``maximumCount`` is refused.
    public init(count: Int, unit: Unit) throws(TimeLimitError) {
        guard (1...Self.maximumCount).contains(count) else { throw TimeLimitError(count: count) }
        self.count = count
        self.unit = unit
    }

    /// "3 个工作日", "7 日", "3 个月".
    public var chineseDescription: String { "\(count) \(unit.chineseName)" }

    public var description: String { chineseDescription }

    private enum CodingKeys: String, CodingKey { case count, unit }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let count = try container.decode(Int.self, forKey: .count)
        let unit = try container.decode(Unit.self, forKey: .unit)
        do {
            try self.init(count: count, unit: unit)
        } catch {
            throw DecodingError.dataCorruptedError(forKey: .count, in: container, debugDescription: error.description)
        }
    }
}

/// A limit whose count is out of range.
public struct TimeLimitError: Error, Hashable, Sendable, CustomStringConvertible {
    public let count: Int
    public var description: String { "期限 \(count) 超出范围：应为 1 到 \(TimeLimit.maximumCount)" }
}

/// A stretch of days on which a case's clocks stand still: documents were asked for (补正)
/// on `from` and arrived on `until` (still awaited when nil). The request day itself counts;
/// the days after it, up to and including the day they arrived, do not.
public struct ClockPause: Sendable, Hashable, Codable {
    public let from: CivilDate
    public let until: CivilDate?

    public init(from: CivilDate, until: CivilDate?) {
        self.from = from
        self.until = until
    }

    /// Whether the clock stands still on `date`.
    func stops(_ date: CivilDate) -> Bool {
        date > from && (until.map { date <= $0 } ?? true)
    }
}

/// The last day on which a step may be done, and which calendars said so.
public struct Deadline: Sendable, Hashable, Codable {
    /// The last day; the step is overdue from the start of the next day in Beijing.
    public let dueOn: CivilDate
    /// The calendar versions of the years the count crossed, e.g. ["2026.1"].
    public let calendarVersions: [String]
    /// Whether the count crossed a year with no published calendar (counted Monday to Friday).
    public let provisional: Bool

    public init(dueOn: CivilDate, calendarVersions: [String], provisional: Bool) {
        self.dueOn = dueOn
        self.calendarVersions = calendarVersions
        self.provisional = provisional
    }

    /// The instant the step becomes overdue: midnight at the end of `dueOn`, Beijing time.
    public var overdueFromMilliseconds: Int64 {
        (dueOn.daysSince1970 + 1) * 86_400_000 - 8 * 3_600_000
    }
}

extension WorkingCalendar {
    /// The last day of a period of `limit` that starts after `start`, skipping the days the
    /// clock is paused; nil while a pause is still open before the period ends.
    ///
    /// The start day is not counted (民法典 第二百零一条). A period in calendar days or months
    /// whose last day is not a working day ends on the next working day (第二百零三条); a period
    /// in months ends on the same day of the month, or the month's last day (第二百零二条).
    ///
    /// ```swift
    /// calendar.deadline(after: try CivilDate("2026-02-13"), limit: try TimeLimit(count: 3, unit: .workingDays))
    /// // due 2026-02-25: 14 Feb (a worked Saturday), then 24 and 25 Feb
    /// ```
    public func deadline(after start: CivilDate, limit: TimeLimit, pauses: [ClockPause] = []) -> Deadline? {
        var day = start
        var provisional = false
        var counted = 0
        switch limit.unit {
        case .workingDays, .calendarDays:
            while counted < limit.count {
                guard let next = nextDay(after: day, pauses: pauses) else { return nil }
                day = next
                if limit.unit == .calendarDays || isWorkingDay(day) {
                    counted += 1
                    provisional = provisional || (limit.unit == .workingDays && !covers(day))
                }
            }
        case .months:
            // Months run on the calendar; paused days are added on at the end.
            let end = start.adding(months: limit.count)
            var stopped = 0
            for pause in pauses where pause.from < end {
                guard let until = pause.until else { return nil }
                stopped += max(0, Int(until.daysSince1970 - pause.from.daysSince1970))
            }
            day = end.adding(days: stopped)
        }
        if limit.unit != .workingDays {
            guard let working = firstWorkingDay(onOrAfter: day) else { return nil }
            provisional = provisional || !covers(day) || !covers(working)
            day = working
        }
        return Deadline(dueOn: day, calendarVersions: versions(from: start, through: day), provisional: provisional)
    }

    /// The day after `day` on which the clock runs, or nil when it is stopped for good or the
    /// calendar ends.
    private func nextDay(after day: CivilDate, pauses: [ClockPause]) -> CivilDate? {
        var next = day.adding(days: 1)
        while let pause = pauses.first(where: { $0.stops(next) }) {
            guard let until = pause.until else { return nil }
            next = until.adding(days: 1)
        }
        return next > day ? next : nil
    }

    /// `day` itself when worked, else the next working day; nil past year 9999.
    private func firstWorkingDay(onOrAfter day: CivilDate) -> CivilDate? {
        var current = day
        while !isWorkingDay(current) {
            let next = current.adding(days: 1)
            guard next > current else { return nil }
            current = next
        }
        return current
    }
}
