import JiuzhuDomain
import Testing

/// Which deadline a case shows, on the shipped calendars.
@Suite struct CaseDeadlineTests {
    static func day(_ text: String) -> CivilDate { WorkingCalendarTests.day(text) }

    static func clocks() throws -> CaseClocks {
        CaseClocks(limits: CaseWorkflowTests.clocks.limits, calendar: try WorkingCalendarTests.shipped())
    }

    static let delegated = CaseRequirements(
        appraisal: false, economicCheck: true, publicNotice: true, decisionLevel: .township, emergency: false)

    @Test func anApplicationAcceptedBeforeTheSpringFestival() throws {
        let clocks = try Self.clocks()
        let clerk = CaseActor(role: .townshipClerk, node: CaseWorkflowTests.township)
        let opened = CaseState.opened(
            kind: .application, village: CaseWorkflowTests.village, requirements: Self.delegated,
            on: Self.day("2026-02-11"))
        // Acceptance: 3 working days from Wednesday 11 Feb → 12, 13, 14 (a worked Saturday).
        #expect(opened.currentDeadline(clocks: clocks)?.dueOn == Self.day("2026-02-14"))
        var state = try CaseWorkflow.apply(
            CaseAction(.accept), by: clerk, on: Self.day("2026-02-13"), to: opened, clocks: clocks)
        // The investigation is due on 25 Feb; the decision 20 working days after acceptance, 19 March.
        #expect(state.currentDeadline(clocks: clocks)?.dueOn == Self.day("2026-02-25"))
        #expect(state.decisionDeadline(clocks: clocks)?.dueOn == Self.day("2026-03-19"))
        // Documents asked for on 24 Feb and brought on 3 March: 25 Feb to 3 March do not count.
        let specialist = CaseActor(role: .villageSpecialist, node: CaseWorkflowTests.village)
        state = try CaseWorkflow.apply(
            CaseAction(.requestDocuments, reason: "请补交低保申请书"), by: specialist, on: Self.day("2026-02-24"),
            to: state, clocks: clocks)
        #expect(state.currentDeadline(clocks: clocks) == nil)
        state = try CaseWorkflow.apply(
            CaseAction(.receiveDocuments), by: specialist, on: Self.day("2026-03-03"), to: state, clocks: clocks)
        #expect(state.stage == .investigating)
        // 14 Feb and 24 Feb counted before the pause; 4 March is the third working day.
        #expect(state.currentDeadline(clocks: clocks)?.dueOn == Self.day("2026-03-04"))
        // The decision moves by the six working days paused (25, 26, 27, 28 Feb, 2 and 3 March).
        #expect(state.decisionDeadline(clocks: clocks)?.dueOn == Self.day("2026-03-27"))
        // Extended: 45 working days from acceptance, plus the pause.
        let approver = CaseActor(role: .townshipApprover, node: CaseWorkflowTests.township)
        state = try CaseWorkflow.apply(
            CaseAction(.extendDecision, reason: "核对结果待复核"), by: approver, on: Self.day("2026-03-04"), to: state,
            clocks: clocks)
        #expect(state.decisionDeadline(clocks: clocks)?.dueOn == Self.day("2026-05-07"))
    }

    @Test func aDeathRecheckIsDueInThreeMonths() throws {
        let clocks = try Self.clocks()
        let state = CaseState.opened(
            kind: .deathRecheck, village: CaseWorkflowTests.village, requirements: Self.delegated,
            on: Self.day("2026-07-03"))
        // 3 October falls in the National Day holiday: due on Thursday 8 October; the
        // investigation's own 3 working days come first.
        #expect(state.decisionDeadline(clocks: clocks)?.dueOn == Self.day("2026-10-08"))
        #expect(state.currentDeadline(clocks: clocks)?.dueOn == Self.day("2026-07-08"))
    }
}
