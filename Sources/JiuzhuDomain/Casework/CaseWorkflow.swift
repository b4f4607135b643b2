/// The one workflow every case follows (申请—审核—认定研判—确认), as a pure function from a
/// case's state and a step to the next state, or a refusal that says why.
///
/// ```
/// 待受理 ─受理→ 待入户调查 ─→ [待民主评议] ─→ [待启动核对 ─→ 核对中] ─→ 待乡镇初审
///   ─→ [待张贴公示 ─→ 公示中] ─→ 待审批确认 ─┬→ 已决定
///                                          └→ 待送达书面理由 ─→ 不予批准（已送达）
/// ```
/// Bracketed steps apply where the case's ``CaseRequirements`` say so. A return, or an
/// objection during notice, sends the case back to investigation; a request for documents
/// pauses it where it stands.
///
/// ```swift
/// let next = try CaseWorkflow.apply(
///     CaseAction(.accept), by: CaseActor(role: .townshipClerk, node: township),
///     on: today, to: state, clocks: clocks)
/// ```
public enum CaseWorkflow {
    /// The longest reason a step may carry.
    public static let maximumReasonLength = 500

    /// Who may take `action` on a case in `state` now, or why no one may.
    public static func holders(of action: CaseActionKind, in state: CaseState) throws(CaseRefusal) -> [CaseHolder] {
        guard !state.stage.isClosed else { throw .closed(state.stage) }
        let decider = CaseHolder.decider(at: state.decisionLevel)
        let stage = state.stage
        let holders: [CaseHolder]?
        switch action {
        case .accept, .refuseAcceptance:
            holders = stage == .awaitingAcceptance ? [.villageSpecialist, .townshipClerk] : nil
        case .recordInvestigation:
            holders = stage == .investigating ? [.villageSpecialist] : nil
        case .recordAppraisal:
            holders = stage == .awaitingAppraisal ? [.villageSpecialist] : nil
        case .startCheck:
            holders = stage == .awaitingCheck ? [.countyOfficer] : nil
        case .recordCheck:
            holders = stage == .checking ? [.countyOfficer] : nil
        case .recordReview:
            holders = stage == .awaitingReview ? [.townshipApprover] : nil
        case .returnForInvestigation:
            holders =
                [.checking, .awaitingReview, .awaitingDecision].contains(stage) ? stageHolders(stage, state) : nil
        case .postNotice:
            holders = stage == .awaitingNotice ? [.villageSpecialist] : nil
        case .lodgeObjection:
            holders = stage == .inNotice ? [.villageSpecialist, .townshipClerk] : nil
        case .closeNotice:
            holders = stage == .inNotice ? [.villageSpecialist] : nil
        case .decide:
            holders = stage == .awaitingDecision ? [decider] : nil
        case .extendDecision:
            holders = Self.decisionClockRuns.contains(stage) ? [decider] : nil
        case .serveRefusal:
            holders = stage == .refusalDue ? [decider] : nil
        case .requestDocuments:
            holders = Self.documentsMayBeRequested.contains(stage) ? stageHolders(stage, state) : nil
        case .receiveDocuments:
            holders = stage == .awaitingDocuments ? stageHolders(state.workingStage, state) : nil
        case .payFirst:
            guard state.requirements?.emergency == true else { throw .notEmergency }
            holders = Self.decisionClockRuns.contains(stage) ? [decider] : nil
        }
        guard let holders else { throw .notNow(action: action, stage: stage) }
        return holders
    }

    /// Takes `action` on a case in `state`, by `actor`, on `date`; the new state, or a
    /// refusal that names the rule and changes nothing.
    ///
    /// Checked in order: the case is open; the step can be taken in this stage; the actor's
    /// role and level hold it; the case's village lies in the actor's jurisdiction; a reason is
    /// given where needed; the step's own rule (an outcome the case's kind allows, one
    /// extension, one payment first, the notice period over).
    public static func apply(
        _ action: CaseAction, by actor: CaseActor, on date: CivilDate, to state: CaseState, clocks: CaseClocks
    ) throws(CaseRefusal) -> CaseState {
        let holders = try holders(of: action.kind, in: state)
        let holder = CaseHolder(actor.role, at: actor.node.level)
        guard holders.contains(holder) else {
            throw .wrongHolder(action: action.kind, actor: holder, holders: holders)
        }
        guard state.village.isWithin(actor.node) else {
            throw .outsideJurisdiction(node: actor.node, village: state.village)
        }
        try checkReason(action)
        if action.kind != .decide, action.outcome != nil { throw .outcomeOnlyForDecision(action.kind) }
        if action.kind != .accept, action.requirements != nil { throw .requirementsOnlyOnAcceptance(action.kind) }
        var next = state
        func enter(_ stage: CaseStage) {
            next.stage = stage
            next.stageEnteredOn = date
        }
        switch action.kind {
        case .accept:
            guard let requirements = action.requirements ?? state.requirements else { throw .programmeRequired }
            next.requirements = requirements
            enter(.investigating)
            next.acceptedOn = date
        case .refuseAcceptance:
            enter(.notAccepted)
        case .recordInvestigation:
            enter(state.requirements?.appraisal == true ? .awaitingAppraisal : afterAppraisal(state))
        case .recordAppraisal:
            enter(afterAppraisal(state))
        case .startCheck:
            enter(.checking)
        case .recordCheck:
            enter(.awaitingReview)
        case .recordReview:
            enter(state.requirements?.publicNotice == false ? .awaitingDecision : .awaitingNotice)
        case .returnForInvestigation, .lodgeObjection:
            enter(.investigating)
            next.noticePostedOn = nil
        case .postNotice:
            enter(.inNotice)
            next.noticePostedOn = date
        case .closeNotice:
            if let end = state.noticeEndsOn(clocks: clocks), date <= end { throw .noticeNotOver(endsOn: end) }
            enter(.awaitingDecision)
        case .decide:
            guard let outcome = action.outcome else { throw .outcomeRequired(kind: state.kind) }
            guard state.kind.outcomes.contains(outcome) else { throw .outcomeNotForKind(outcome, state.kind) }
            enter(outcome.needsWrittenReasons ? .refusalDue : .decided)
            next.decidedOn = date
            next.outcome = outcome
        case .extendDecision:
            guard !state.decisionExtended else { throw .alreadyExtended }
            next.decisionExtended = true
        case .serveRefusal:
            enter(.refused)
        case .requestDocuments:
            next.resumeStage = state.stage
            next.stage = .awaitingDocuments
            next.pauses.append(ClockPause(from: date, until: nil))
        case .receiveDocuments:
            next.stage = state.workingStage
            next.resumeStage = nil
            if let open = next.pauses.popLast() { next.pauses.append(ClockPause(from: open.from, until: date)) }
        case .payFirst:
            guard !state.paidFirst else { throw .alreadyPaidFirst }
            next.paidFirst = true
        }
        return next
    }

    /// Stages in which the decision clock runs: from acceptance to the decision.
    static let decisionClockRuns: Set<CaseStage> = [
        .investigating, .awaitingAppraisal, .awaitingCheck, .checking, .awaitingReview, .awaitingNotice, .inNotice,
        .awaitingDecision, .awaitingDocuments,
    ]

    /// Stages whose holder may ask for documents (not during notice, which runs on its own).
    static let documentsMayBeRequested: Set<CaseStage> = [
        .awaitingAcceptance, .investigating, .awaitingAppraisal, .awaitingCheck, .checking, .awaitingReview,
        .awaitingDecision,
    ]

    /// Who does a stage's own step.
    static func stageHolders(_ stage: CaseStage, _ state: CaseState) -> [CaseHolder] {
        holders(ofStage: stage, decisionLevel: state.decisionLevel)
    }

    /// Who does the step a case in `stage` waits for, when `decisionLevel` decides it: what a
    /// to-do list asks of each case without replaying it.
    public static func holders(ofStage stage: CaseStage, decisionLevel: DivisionLevel) -> [CaseHolder] {
        switch stage {
        case .awaitingAcceptance: [.villageSpecialist, .townshipClerk]
        case .investigating, .awaitingAppraisal, .awaitingNotice, .inNotice: [.villageSpecialist]
        case .awaitingCheck, .checking: [.countyOfficer]
        case .awaitingReview: [.townshipApprover]
        case .awaitingDecision, .refusalDue, .awaitingDocuments, .notAccepted, .decided, .refused:
            [.decider(at: decisionLevel)]
        }
    }

    private static func afterAppraisal(_ state: CaseState) -> CaseStage {
        state.requirements?.economicCheck == false ? .awaitingReview : .awaitingCheck
    }

    private static func checkReason(_ action: CaseAction) throws(CaseRefusal) {
        guard let reason = action.reason else {
            if action.needsReason { throw .reasonRequired(action.kind) }
            return
        }
        if action.needsReason, reason.allSatisfy(\.isWhitespace) { throw .reasonRequired(action.kind) }
        guard reason.count <= maximumReasonLength else { throw .reasonTooLong(count: reason.count) }
    }
}

/// Why a step on a case is refused; the case is unchanged.
public enum CaseRefusal: Error, Hashable, Sendable, CustomStringConvertible {
    case closed(CaseStage)
    case notNow(action: CaseActionKind, stage: CaseStage)
    case wrongHolder(action: CaseActionKind, actor: CaseHolder, holders: [CaseHolder])
    case outsideJurisdiction(node: DivisionCode, village: DivisionCode)
    case reasonRequired(CaseActionKind)
    case reasonTooLong(count: Int)
    case outcomeRequired(kind: CaseKind)
    case outcomeNotForKind(DecisionOutcome, CaseKind)
    case outcomeOnlyForDecision(CaseActionKind)
    case alreadyExtended
    case alreadyPaidFirst
    case notEmergency
    case noticeNotOver(endsOn: CivilDate)
    case programmeRequired
    case requirementsOnlyOnAcceptance(CaseActionKind)

    public var description: String {
        switch self {
        case .closed(let stage): "本案已办结（\(stage.chineseName)），不能再办理"
        case .notNow(let action, let stage): "本案当前环节为“\(stage.chineseName)”，不能“\(action.chineseName)”"
        case .wrongHolder(let action, let actor, let holders):
            "“\(action.chineseName)”只能由\(holders.map(\.description).joined(separator: "或"))办理，\(actor)不能办理"
        case .outsideJurisdiction(let node, let village): "本案属地 \(village) 不在节点 \(node) 的辖区内"
        case .reasonRequired(let action): "“\(action.chineseName)”必须写明理由"
        case .reasonTooLong(let count): "理由 \(count) 字，超过上限 \(CaseWorkflow.maximumReasonLength) 字"
        case .outcomeRequired(let kind): "审批确认必须选择结果（\(kind.outcomes.map(\.chineseName).joined(separator: "、"))）"
        case .outcomeNotForKind(let outcome, let kind):
            "\(kind.chineseName)不能作出“\(outcome.chineseName)”的决定（可选：\(kind.outcomes.map(\.chineseName).joined(separator: "、"))）"
        case .outcomeOnlyForDecision(let action): "“\(action.chineseName)”不是审批确认，不能带决定结果"
        case .alreadyExtended: "审批期限已经延长过一次，不能再延长"
        case .alreadyPaidFirst: "本案已经先行救助过"
        case .notEmergency: "本案不是急难型临时救助，不能先行救助"
        case .noticeNotOver(let end): "公示期到 \(end) 结束，期满后才能办理"
        case .programmeRequired: "受理时必须确定申请的救助项目"
        case .requirementsOnlyOnAcceptance(let action): "“\(action.chineseName)”不能改变案件的救助项目和办理环节"
        }
    }
}
