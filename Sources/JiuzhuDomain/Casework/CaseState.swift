/// A case as its steps have left it: the stage it waits in and the dates its clocks count from.
///
/// A case's state is never stored on its own: it is replayed from the case's steps with
/// ``CaseWorkflow/apply(_:by:on:to:clocks:)``, at every node that holds them, so every level
/// sees the same case.
public struct CaseState: Sendable, Hashable, Codable {
    public let kind: CaseKind
    /// The village that owns the household (属地).
    public let village: DivisionCode
    /// The steps the case takes and who decides it; nil for a fuzzy application until it is
    /// accepted for a programme.
    public internal(set) var requirements: CaseRequirements?
    /// The day the application was made or the task opened.
    public let openedOn: CivilDate
    public internal(set) var stage: CaseStage
    /// The day the current stage began (a pause for documents does not restart it).
    public internal(set) var stageEnteredOn: CivilDate
    /// The stage a case waiting for documents returns to.
    public internal(set) var resumeStage: CaseStage?
    /// The day the case was accepted; the decision clock counts from it.
    public internal(set) var acceptedOn: CivilDate?
    /// Every request for documents, in order; the last may still be open.
    public internal(set) var pauses: [ClockPause]
    /// The day the current public notice was posted.
    public internal(set) var noticePostedOn: CivilDate?
    public internal(set) var decidedOn: CivilDate?
    public internal(set) var outcome: DecisionOutcome?
    /// Whether the decision limit was extended (to the longer limit, with a recorded reason).
    public internal(set) var decisionExtended: Bool
    /// Whether emergency assistance was paid before the papers (先行救助).
    public internal(set) var paidFirst: Bool
    /// The earliest death of a member recorded on the case: the household must be re-checked,
    /// and the case decided, within the policy's `deathRecheck` limit counted from that day,
    /// whatever the case's kind. Nil when no death is recorded (and in states kept before it was).
    public internal(set) var deathOn: CivilDate?

    /// A new case: an application waits for acceptance; a re-verification, re-check or change
    /// opened by the system starts at the home investigation, its clock running from `date`.
    /// `deathOn` is the earliest death recorded on it, which its decision must follow within
    /// the re-check limit.
    public static func opened(
        kind: CaseKind, village: DivisionCode, requirements: CaseRequirements?, on date: CivilDate,
        deathOn: CivilDate? = nil
    ) -> CaseState {
        let isApplication = kind == .application
        return CaseState(
            kind: kind, village: village, requirements: requirements, openedOn: date,
            stage: isApplication ? .awaitingAcceptance : .investigating, stageEnteredOn: date, resumeStage: nil,
            acceptedOn: isApplication ? nil : date, pauses: [], noticePostedOn: nil, decidedOn: nil, outcome: nil,
            decisionExtended: false, paidFirst: false, deathOn: deathOn)
    }

    /// The level that decides the case (the county until a programme is chosen).
    public var decisionLevel: DivisionLevel { requirements?.decisionLevel ?? .county }

    /// The stage whose holders act on the case now: the paused stage while documents are awaited.
    public var workingStage: CaseStage { stage == .awaitingDocuments ? (resumeStage ?? stage) : stage }
}
