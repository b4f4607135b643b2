import JiuzhuDomain
import Testing

/// The case state machine, every stage × every step × every role at every level, against a
/// table written here from the workflow as the issue states it, not from the code.
@Suite struct CaseWorkflowTests {
    static func code(_ text: String) -> DivisionCode { (try? DivisionCode(text)) ?? CaseWorkflowTests.city }
    static let city = (try? DivisionCode("321200"))!
    static let village = code("321281001001")
    static let township = code("321281001")
    static let county = code("321281")
    /// Nodes of the same levels that do not hold the village.
    static let otherVillage = code("321281001002")
    static let otherTownship = code("321281100")
    static let otherCounty = code("321283")

    static let start = (try? CivilDate("2026-03-02"))!

    static func limit(_ count: Int, _ unit: TimeLimit.Unit) -> [DatedTimeLimit] {
        [DatedTimeLimit(from: .earliest, limit: (try? TimeLimit(count: count, unit: unit))!)]
    }

    static let clocks = CaseClocks(
        limits: [
            .acceptance: limit(3, .workingDays), .investigation: limit(3, .workingDays),
            .checkStart: limit(3, .workingDays), .publicNotice: limit(7, .calendarDays),
            .decisionDelegated: limit(20, .workingDays), .decisionCounty: limit(30, .workingDays),
            .decisionExtended: limit(45, .workingDays), .refusalReasons: limit(3, .workingDays),
            .deathRecheck: limit(3, .months), .gradualExit: limit(6, .months),
            .reverificationStable: limit(12, .months), .reverificationIrregular: limit(6, .months),
        ], calendar: .weekdaysOnly)

    /// Short names for the holders in the table: V village specialist, C township clerk,
    /// A township approver, K county officer, D whoever decides (A where delegated, else K).
    static let expected: [CaseStage: [CaseActionKind: (holders: String, next: CaseStage?)]] = [
        .awaitingAcceptance: [
            .accept: ("VC", .investigating), .refuseAcceptance: ("VC", .notAccepted),
            .requestDocuments: ("VC", .awaitingDocuments),
        ],
        .investigating: [
            .recordInvestigation: ("V", nil), .requestDocuments: ("V", .awaitingDocuments),
            .extendDecision: ("D", .investigating), .payFirst: ("D", .investigating),
        ],
        .awaitingAppraisal: [
            .recordAppraisal: ("V", nil), .requestDocuments: ("V", .awaitingDocuments),
            .extendDecision: ("D", .awaitingAppraisal), .payFirst: ("D", .awaitingAppraisal),
        ],
        .awaitingCheck: [
            .startCheck: ("K", .checking), .requestDocuments: ("K", .awaitingDocuments),
            .extendDecision: ("D", .awaitingCheck), .payFirst: ("D", .awaitingCheck),
        ],
        .checking: [
            .recordCheck: ("K", .awaitingReview), .returnForInvestigation: ("K", .investigating),
            .requestDocuments: ("K", .awaitingDocuments), .extendDecision: ("D", .checking),
            .payFirst: ("D", .checking),
        ],
        .awaitingReview: [
            .recordReview: ("A", nil), .returnForInvestigation: ("A", .investigating),
            .requestDocuments: ("A", .awaitingDocuments), .extendDecision: ("D", .awaitingReview),
            .payFirst: ("D", .awaitingReview),
        ],
        .awaitingNotice: [
            .postNotice: ("V", .inNotice), .extendDecision: ("D", .awaitingNotice), .payFirst: ("D", .awaitingNotice),
        ],
        .inNotice: [
            .lodgeObjection: ("VC", .investigating), .closeNotice: ("V", .awaitingDecision),
            .extendDecision: ("D", .inNotice), .payFirst: ("D", .inNotice),
        ],
        .awaitingDecision: [
            .decide: ("D", nil), .returnForInvestigation: ("D", .investigating),
            .requestDocuments: ("D", .awaitingDocuments), .extendDecision: ("D", .awaitingDecision),
            .payFirst: ("D", .awaitingDecision),
        ],
        // Receiving documents is held by whoever holds the stage paused: see `resumeHolders`.
        .awaitingDocuments: [
            .receiveDocuments: ("*", nil), .extendDecision: ("D", .awaitingDocuments),
            .payFirst: ("D", .awaitingDocuments),
        ],
        .refusalDue: [.serveRefusal: ("D", .refused)],
        .notAccepted: [:], .decided: [:], .refused: [:],
    ]

    static let resumeHolders: [CaseStage: String] = [
        .awaitingAcceptance: "VC", .investigating: "V", .awaitingAppraisal: "V", .awaitingCheck: "K", .checking: "K",
        .awaitingReview: "A", .awaitingDecision: "D",
    ]

    struct Actor {
        let role: OperatorRole
        let node: DivisionCode
        let letter: Character?
    }

    /// Every role at every level it can have, in the case's jurisdiction, with its letter.
    static let actors: [Actor] = OperatorRole.allCases.flatMap { role in
        role.levels.sorted().map { level in
            let node: DivisionCode =
                switch level {
                case .city: city
                case .county: county
                case .township: township
                case .village: village
                }
            let letter: Character? =
                switch role {
                case .villageSpecialist: "V"
                case .townshipClerk: "C"
                case .townshipApprover: "A"
                case .countyOfficer: "K"
                default: nil
                }
            return Actor(role: role, node: node, letter: letter)
        }
    }

    static let requirementVariants: [CaseRequirements] = [false, true].flatMap { appraisal in
        [false, true].flatMap { check in
            [false, true].flatMap { notice in
                [DivisionLevel.township, .county].flatMap { level in
                    [false, true].map { emergency in
                        CaseRequirements(
                            appraisal: appraisal, economicCheck: check, publicNotice: notice, decisionLevel: level,
                            emergency: emergency)
                    }
                }
            }
        }
    }

    static func actorFor(_ letter: Character, _ requirements: CaseRequirements) -> CaseActor {
        switch letter {
        case "V": CaseActor(role: .villageSpecialist, node: village)
        case "C": CaseActor(role: .townshipClerk, node: township)
        case "A": CaseActor(role: .townshipApprover, node: township)
        case "K": CaseActor(role: .countyOfficer, node: county)
        default: actorFor(requirements.decisionLevel == .township ? "A" : "K", requirements)
        }
    }

    static func action(_ kind: CaseActionKind, for caseKind: CaseKind) -> CaseAction {
        switch kind {
        case .decide: CaseAction(.decide, reason: "理由", outcome: caseKind.outcomes[0])
        case .refuseAcceptance, .returnForInvestigation, .lodgeObjection, .extendDecision, .requestDocuments:
            CaseAction(kind, reason: "写明的理由")
        default: CaseAction(kind)
        }
    }

    /// Every state a case of `kind` can reach, by taking the workflow's own steps, day by day.
    static func reachableStates(_ kind: CaseKind, _ requirements: CaseRequirements) throws -> [CaseState] {
        var states: [CaseState] = []
        var state = CaseState.opened(kind: kind, village: village, requirements: requirements, on: start)
        var date = start
        func take(_ letter: Character, _ action: CaseAction) throws {
            date = date.adding(days: action.kind == .closeNotice ? 30 : 1)
            state = try CaseWorkflow.apply(
                action, by: actorFor(letter, requirements), on: date, to: state, clocks: clocks)
            states.append(state)
        }
        states.append(state)
        if kind == .application {
            let refused = try CaseWorkflow.apply(
                CaseAction(.refuseAcceptance, reason: "不属于救助范围"), by: actorFor("C", requirements), on: start,
                to: state, clocks: clocks)
            states.append(refused)
            try take("C", CaseAction(.accept))
        }
        try take("V", CaseAction(.recordInvestigation))
        if requirements.appraisal { try take("V", CaseAction(.recordAppraisal)) }
        if requirements.economicCheck {
            try take("K", CaseAction(.startCheck))
            try take("K", CaseAction(.recordCheck))
        }
        try take("A", CaseAction(.recordReview))
        if requirements.publicNotice {
            try take("V", CaseAction(.postNotice))
            try take("V", CaseAction(.closeNotice))
        }
        #expect(state.stage == .awaitingDecision)
        let deciding = state
        try take("D", CaseAction(.decide, outcome: kind.outcomes[0]))
        state = deciding
        try take("D", CaseAction(.decide, reason: "收入超过标准", outcome: kind.outcomes.last))
        try take("D", CaseAction(.serveRefusal))
        // A pause for documents from every stage that allows one.
        for open in states where CaseWorkflowTests.resumeHolders[open.stage] != nil {
            let letter = resumeHolders[open.stage]?.first ?? "D"
            states.append(
                try CaseWorkflow.apply(
                    CaseAction(.requestDocuments, reason: "请补交收入证明"), by: actorFor(letter, requirements),
                    on: open.stageEnteredOn.adding(days: 1), to: open, clocks: clocks))
        }
        return states
    }

    @Test func everyStageEveryStepEveryRole() throws {
        var checked = 0
        var stagesSeen: Set<CaseStage> = []
        for kind in CaseKind.allCases {
            for requirements in Self.requirementVariants {
                for state in try Self.reachableStates(kind, requirements) {
                    stagesSeen.insert(state.stage)
                    let date = state.stageEnteredOn.adding(days: 40)
                    for actionKind in CaseActionKind.allCases {
                        let row = Self.expected[state.stage]?[actionKind]
                        var holders = row?.holders ?? ""
                        if holders == "*" { holders = Self.resumeHolders[state.workingStage] ?? "" }
                        let decider: Character = requirements.decisionLevel == .township ? "A" : "K"
                        holders = holders.replacingOccurrences(of: "D", with: String(decider))
                        let possible = row != nil && (actionKind != .payFirst || requirements.emergency)
                        for actor in Self.actors {
                            checked += 1
                            let mayAct = possible && actor.letter.map { holders.contains($0) } == true
                            let action = Self.action(actionKind, for: kind)
                            let who = CaseActor(role: actor.role, node: actor.node)
                            let label = "\(kind) \(state.stage) \(actionKind) \(actor.role)@\(actor.node)"
                            do {
                                let next = try CaseWorkflow.apply(
                                    action, by: who, on: date, to: state, clocks: Self.clocks)
                                #expect(mayAct, "\(label) was allowed")
                                if let expectedNext = row?.next {
                                    #expect(next.stage == expectedNext, "\(label) → \(next.stage)")
                                }
                            } catch {
                                #expect(!mayAct, "\(label) refused: \(error)")
                                #expect(!error.description.isEmpty)
                                if state.stage.isClosed {
                                    #expect(error == .closed(state.stage), "\(label): \(error)")
                                } else if actionKind == .payFirst, !requirements.emergency {
                                    #expect(error == .notEmergency, "\(label): \(error)")
                                } else if row == nil {
                                    #expect(error == .notNow(action: actionKind, stage: state.stage), "\(label)")
                                } else if case .wrongHolder = error {
                                } else {
                                    Issue.record("\(label): unexpected \(error)")
                                }
                            }
                        }
                    }
                }
            }
        }
        #expect(stagesSeen == Set(CaseStage.allCases))
        #expect(checked > 40_000)
    }

    /// The holder of a step at a node that does not hold the case's village is refused.
    @Test func theRightRoleOutsideTheJurisdictionIsRefused() throws {
        let requirements = Self.requirementVariants[0]
        let state = CaseState.opened(
            kind: .application, village: Self.village, requirements: requirements, on: Self.start)
        for (role, node) in [
            (OperatorRole.villageSpecialist, Self.otherVillage), (.townshipClerk, Self.otherTownship),
        ] {
            #expect(throws: CaseRefusal.outsideJurisdiction(node: node, village: Self.village)) {
                try CaseWorkflow.apply(
                    CaseAction(.accept), by: CaseActor(role: role, node: node), on: Self.start, to: state,
                    clocks: Self.clocks)
            }
        }
    }

    @Test func theRoutesThroughTheStepsFollowTheRequirements() throws {
        for requirements in Self.requirementVariants {
            let stages = try Self.reachableStates(.application, requirements).map(\.stage)
            #expect(stages.contains(.awaitingAppraisal) == requirements.appraisal)
            #expect(stages.contains(.checking) == requirements.economicCheck)
            #expect(stages.contains(.inNotice) == requirements.publicNotice)
        }
    }

    @Test func reasonsAndOutcomesAreChecked() throws {
        let requirements = CaseRequirements(
            appraisal: false, economicCheck: false, publicNotice: false, decisionLevel: .county, emergency: true)
        let opened = CaseState.opened(
            kind: .application, village: Self.village, requirements: requirements, on: Self.start)
        let clerk = CaseActor(role: .townshipClerk, node: Self.township)
        let officer = CaseActor(role: .countyOfficer, node: Self.county)
        #expect(throws: CaseRefusal.reasonRequired(.refuseAcceptance)) {
            try CaseWorkflow.apply(
                CaseAction(.refuseAcceptance), by: clerk, on: Self.start, to: opened, clocks: Self.clocks)
        }
        #expect(throws: CaseRefusal.reasonRequired(.refuseAcceptance)) {
            try CaseWorkflow.apply(
                CaseAction(.refuseAcceptance, reason: " \n\t"), by: clerk, on: Self.start, to: opened,
                clocks: Self.clocks)
        }
        #expect(throws: CaseRefusal.reasonTooLong(count: 501)) {
            try CaseWorkflow.apply(
                CaseAction(.refuseAcceptance, reason: String(repeating: "理", count: 501)), by: clerk, on: Self.start,
                to: opened, clocks: Self.clocks)
        }
        #expect(throws: CaseRefusal.outcomeOnlyForDecision(.accept)) {
            try CaseWorkflow.apply(
                CaseAction(.accept, outcome: .enrol), by: clerk, on: Self.start, to: opened, clocks: Self.clocks)
        }
        var state = try CaseWorkflow.apply(
            CaseAction(.accept), by: clerk, on: Self.start, to: opened, clocks: Self.clocks)
        state = try CaseWorkflow.apply(
            CaseAction(.payFirst), by: officer, on: Self.start, to: state, clocks: Self.clocks)
        #expect(state.paidFirst)
        #expect(throws: CaseRefusal.alreadyPaidFirst) {
            try CaseWorkflow.apply(CaseAction(.payFirst), by: officer, on: Self.start, to: state, clocks: Self.clocks)
        }
        state = try CaseWorkflow.apply(
            CaseAction(.extendDecision, reason: "需要补充核对"), by: officer, on: Self.start, to: state, clocks: Self.clocks)
        #expect(state.decisionExtended)
        #expect(throws: CaseRefusal.alreadyExtended) {
            try CaseWorkflow.apply(
                CaseAction(.extendDecision, reason: "再延"), by: officer, on: Self.start, to: state, clocks: Self.clocks)
        }
        state = try CaseWorkflow.apply(
            CaseAction(.recordInvestigation), by: CaseActor(role: .villageSpecialist, node: Self.village),
            on: Self.start, to: state, clocks: Self.clocks)
        state = try CaseWorkflow.apply(
            CaseAction(.recordReview), by: CaseActor(role: .townshipApprover, node: Self.township), on: Self.start,
            to: state, clocks: Self.clocks)
        #expect(throws: CaseRefusal.outcomeRequired(kind: .application)) {
            try CaseWorkflow.apply(CaseAction(.decide), by: officer, on: Self.start, to: state, clocks: Self.clocks)
        }
        #expect(throws: CaseRefusal.outcomeNotForKind(.gradualExit, .application)) {
            try CaseWorkflow.apply(
                CaseAction(.decide, outcome: .gradualExit), by: officer, on: Self.start, to: state, clocks: Self.clocks)
        }
        #expect(throws: CaseRefusal.reasonRequired(.decide)) {
            try CaseWorkflow.apply(
                CaseAction(.decide, outcome: .refuse), by: officer, on: Self.start, to: state, clocks: Self.clocks)
        }
    }

    @Test func theNoticeClosesOnlyAfterItsPeriod() throws {
        let requirements = CaseRequirements(
            appraisal: false, economicCheck: false, publicNotice: true, decisionLevel: .township, emergency: false)
        var state = CaseState.opened(
            kind: .reverification, village: Self.village, requirements: requirements, on: Self.start)
        let specialist = CaseActor(role: .villageSpecialist, node: Self.village)
        state = try CaseWorkflow.apply(
            CaseAction(.recordInvestigation), by: specialist, on: Self.start, to: state, clocks: Self.clocks)
        state = try CaseWorkflow.apply(
            CaseAction(.recordReview), by: CaseActor(role: .townshipApprover, node: Self.township), on: Self.start,
            to: state, clocks: Self.clocks)
        // Posted Tuesday 3 March; seven days end on Tuesday 10 March.
        let posted = Self.start.adding(days: 1)
        state = try CaseWorkflow.apply(
            CaseAction(.postNotice), by: specialist, on: posted, to: state, clocks: Self.clocks)
        #expect(state.noticeEndsOn(clocks: Self.clocks) == posted.adding(days: 7))
        #expect(throws: CaseRefusal.noticeNotOver(endsOn: posted.adding(days: 7))) {
            try CaseWorkflow.apply(
                CaseAction(.closeNotice), by: specialist, on: posted.adding(days: 7), to: state, clocks: Self.clocks)
        }
        let closed = try CaseWorkflow.apply(
            CaseAction(.closeNotice), by: specialist, on: posted.adding(days: 8), to: state, clocks: Self.clocks)
        #expect(closed.stage == .awaitingDecision)
        // An objection during notice sends the case back to the home investigation.
        let objected = try CaseWorkflow.apply(
            CaseAction(.lodgeObjection, reason: "村民反映其有经营收入"), by: specialist, on: posted.adding(days: 2),
            to: state, clocks: Self.clocks)
        #expect(objected.stage == .investigating)
        #expect(objected.noticePostedOn == nil)
    }

    /// A fuzzy application names no programme: acceptance must choose one, and only acceptance may.
    @Test func aFuzzyApplicationIsAcceptedForAProgramme() throws {
        let opened = CaseState.opened(kind: .application, village: Self.village, requirements: nil, on: Self.start)
        let clerk = CaseActor(role: .townshipClerk, node: Self.township)
        #expect(throws: CaseRefusal.programmeRequired) {
            try CaseWorkflow.apply(CaseAction(.accept), by: clerk, on: Self.start, to: opened, clocks: Self.clocks)
        }
        let chosen = Self.requirementVariants[5]
        let accepted = try CaseWorkflow.apply(
            CaseAction(.accept, requirements: chosen), by: clerk, on: Self.start, to: opened, clocks: Self.clocks)
        #expect(accepted.requirements == chosen)
        #expect(accepted.decisionLevel == chosen.decisionLevel)
        #expect(throws: CaseRefusal.requirementsOnlyOnAcceptance(.recordInvestigation)) {
            try CaseWorkflow.apply(
                CaseAction(.recordInvestigation, requirements: chosen),
                by: CaseActor(role: .villageSpecialist, node: Self.village), on: Self.start, to: accepted,
                clocks: Self.clocks)
        }
    }
}
