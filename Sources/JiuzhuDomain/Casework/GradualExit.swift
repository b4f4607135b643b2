/// A gradual exit (渐退期) as a decision sets it: the benefit goes on for a number of months,
/// paid like every decision from the month after it, and the village acts when it ends.
///
/// ```swift
/// GradualExit(decidedOn: try CivilDate("2026-03-10"), months: 3).lastDay   // 2026-06-30
/// ```
public struct GradualExit: Sendable, Hashable {
    /// The day of the decision.
    public let decidedOn: CivilDate
    /// The months the benefit goes on, 1 to the policy's `gradualExit` limit.
    public let months: Int

    public init(decidedOn: CivilDate, months: Int) {
        self.decidedOn = decidedOn
        self.months = months
    }

    /// The first month paid: the month after the decision.
    public var firstMonth: CivilDate { decidedOn.firstOfMonth.adding(months: 1) }

    /// The last day of the last month paid: the day the period ends, on which the village
    /// opens the follow-up that stops or continues the assistance.
    public var lastDay: CivilDate { firstMonth.adding(months: months).adding(days: -1) }
}
