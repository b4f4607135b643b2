/// The time limits of casework, each a dated policy parameter a city may set per jurisdiction.
public enum CaseTimeLimitKey: String, CaseIterable, Codable, Sendable {
    /// From an application to its acceptance or refusal.
    case acceptance
    /// From acceptance (or a return) to the home investigation: 3 working days.
    case investigation
    /// From the investigation (or appraisal) to the county starting the economic check: 3 working days.
    case checkStart
    /// How long the public notice stays up: 7 days.
    case publicNotice
    /// From acceptance to the decision where the township decides: 20 working days.
    case decisionDelegated
    /// From acceptance to the decision where the county decides: 30 working days.
    case decisionCounty
    /// From acceptance to the decision once extended, with a reason: 45 working days.
    case decisionExtended
    /// From a refusal to serving its written reasons: 3 working days.
    case refusalReasons
    /// From a death in a recipient household to its re-check: 3 months.
    case deathRecheck
    /// The longest gradual exit: 6 months.
    case gradualExit
    /// Between re-verifications of a stable household or a person in extreme poverty: 12 months.
    case reverificationStable
    /// Between re-verifications where income is irregular and members can work: 6 months.
    case reverificationIrregular

    public var chineseName: String {
        switch self {
        case .acceptance: "受理时限"
        case .investigation: "入户调查时限"
        case .checkStart: "启动经济状况核对时限"
        case .publicNotice: "公示期"
        case .decisionDelegated: "审批时限（委托乡镇审批）"
        case .decisionCounty: "审批时限（县级审批）"
        case .decisionExtended: "审批时限（延长后）"
        case .refusalReasons: "送达不予批准理由时限"
        case .deathRecheck: "死亡复查时限"
        case .gradualExit: "渐退期上限"
        case .reverificationStable: "定期复核间隔（收入稳定）"
        case .reverificationIrregular: "定期复核间隔（收入不稳定、有劳动能力）"
        }
    }
}

/// One dated value of a time limit: in force from `from` until the next value's date.
public struct DatedTimeLimit: Sendable, Hashable, Codable {
    public let from: CivilDate
    public let limit: TimeLimit

    public init(from: CivilDate, limit: TimeLimit) {
        self.from = from
        self.limit = limit
    }
}

/// The time limits in force for one jurisdiction (the city's, with the county's or township's
/// own where they set tighter ones), and the working-day calendar they count on.
public struct CaseClocks: Sendable {
    /// Each limit's dated values, in date order; the policy file guarantees every key has one.
    public let limits: [CaseTimeLimitKey: [DatedTimeLimit]]
    public let calendar: WorkingCalendar

    public init(limits: [CaseTimeLimitKey: [DatedTimeLimit]], calendar: WorkingCalendar) {
        self.limits = limits
        self.calendar = calendar
    }

    /// The limit in force on `date`: the latest value from on or before it, else the earliest.
    public func limit(_ key: CaseTimeLimitKey, on date: CivilDate) -> TimeLimit? {
        guard let values = limits[key], let first = values.first else { return nil }
        return (values.last { $0.from <= date } ?? first).limit
    }

    /// The deadline of a period of `key` counted after `start`, skipping `pauses`.
    public func deadline(_ key: CaseTimeLimitKey, after start: CivilDate, pauses: [ClockPause] = []) -> Deadline? {
        guard let limit = limit(key, on: start) else { return nil }
        return calendar.deadline(after: start, limit: limit, pauses: pauses)
    }
}

extension CaseState {
    /// The limit the decision must meet: the re-check limit for a death, else the decision
    /// limit of the level that decides, or the extended one.
    public var decisionLimitKey: CaseTimeLimitKey {
        if kind == .deathRecheck { return .deathRecheck }
        if decisionExtended { return .decisionExtended }
        return decisionLevel == .township ? .decisionDelegated : .decisionCounty
    }

    /// The last day for the decision, counted from acceptance with the pauses for documents,
    /// or the last day of the death re-check counted from the death, if that comes first; nil
    /// before acceptance, after the decision, and while documents are awaited.
    public func decisionDeadline(clocks: CaseClocks) -> Deadline? {
        guard let acceptedOn, decidedOn == nil, !stage.isClosed else { return nil }
        let decision = clocks.deadline(decisionLimitKey, after: acceptedOn, pauses: pauses)
        guard let deathOn else { return decision }
        return Self.earlier(decision, clocks.deadline(.deathRecheck, after: deathOn, pauses: pauses))
    }

    /// The current step's own limit, where it has one, and the day it counts from.
    public var stepLimit: (key: CaseTimeLimitKey, from: CivilDate)? {
        switch workingStage {
        case .awaitingAcceptance: (.acceptance, openedOn)
        case .investigating: (.investigation, stageEnteredOn)
        case .awaitingCheck: (.checkStart, stageEnteredOn)
        case .refusalDue: decidedOn.map { (.refusalReasons, $0) }
        default: nil
        }
    }

    /// The deadline of the step the case waits for: its own limit, or the decision's if that
    /// comes first; nil when closed or while documents are awaited (the clocks stand still).
    public func currentDeadline(clocks: CaseClocks) -> Deadline? {
        guard !stage.isClosed, stage != .awaitingDocuments else { return nil }
        let own = stepLimit.flatMap { clocks.deadline($0.key, after: $0.from, pauses: pauses) }
        return Self.earlier(own, decisionDeadline(clocks: clocks))
    }

    /// The deadline that comes first (the first of two on the same day), or the one there is.
    private static func earlier(_ first: Deadline?, _ second: Deadline?) -> Deadline? {
        switch (first, second) {
        case (let first?, let second?): first.dueOn <= second.dueOn ? first : second
        case (let first?, nil): first
        case (nil, let second): second
        }
    }

    /// The last day of the public notice in progress.
    public func noticeEndsOn(clocks: CaseClocks) -> CivilDate? {
        guard stage == .inNotice, let posted = noticePostedOn else { return nil }
        return clocks.deadline(.publicNotice, after: posted)?.dueOn
    }
}
