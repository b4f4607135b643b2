import Foundation
import JiuzhuDomain
import JiuzhuPolicy
import JiuzhuServices
import JiuzhuStorage

/// A case as the API returns it and the case page shows it: the application, where it
/// stands and until when, its whole timeline, photos and escalations, and the steps the
/// operator looking at it may take now. Citizen IDs are masked for roles that do not need them.
struct CaseView: Encodable {
    struct DeadlineView: Encodable {
        let dueOn: String
        let provisional: Bool
        let calendarVersions: [String]
        let overdue: Bool
    }

    struct StepView: Encodable {
        let n: Int
        let kind: String
        let name: String
        let operatorName: String
        let role: String
        let node: String
        let on: String
        let at: String
        let effective: Bool
        let note: String?
        let reason: String?
        let outcome: String?
        /// The programme an acceptance chose (named apart from the case's own, which a page's
        /// template would otherwise find for every step).
        let acceptedProgramme: String?
        let investigation: InvestigationRecord?
        let enrolment: EnrolmentView?
        let paidFirst: String?
        let photos: [String]
        let remark: String?
        let policyVersion: String
        let calendarVersions: [String]
    }

    /// An enrolment with its amount also as yuan, for pages.
    struct EnrolmentView: Encodable {
        let programme: Programme
        let amount: Fen
        let amountText: String
        let period: String
        let policyVersion: String
        let paymentFrom: String
        let gradualExitMonths: Int?
        let explanation: [String]

        init(_ record: EnrolmentRecord) {
            programme = record.programme
            amount = record.amount
            amountText = record.amount.yuanText
            period = record.period
            policyVersion = record.policyVersion
            paymentFrom = record.paymentFrom
            gradualExitMonths = record.gradualExitMonths
            explanation = record.explanation
        }
    }

    struct PhotoView: Encodable {
        let sha256: String
        let contentType: String
        let complete: Bool
    }

    /// A member's death recorded on the case.
    struct DeathView: Encodable {
        let name: String
        let citizenID: String
        let relation: String
        let diedOn: String
        let note: String?
        let recordedBy: String
        let recordedOn: String
    }

    struct EscalationView: Encodable {
        let stage: String
        let dueOn: String
        let escalatedAt: String
        let node: String
    }

    let caseID: String
    let kind: String
    let kindName: String
    let programme: String?
    let programmeName: String?
    let village: String
    let villageName: String
    let stage: String
    let stageName: String
    let holderLevel: String?
    let decisionLevel: String?
    let deadline: DeadlineView?
    let decisionDeadline: DeadlineView?
    let noticeEndsOn: String?
    let lastStep: Int
    let applicant: CaseApplicant
    let situation: String
    let household: String?
    /// Deaths of members recorded on the case, in the order recorded.
    let deaths: [DeathView]
    let channel: String
    let takenAt: String
    let takenBy: String
    let openedOn: String
    let emergency: Bool
    let policyVersion: String
    let candidates: [CaseCandidate]
    let timeline: [StepView]
    let waitingSteps: Int
    let photos: [PhotoView]
    let escalations: [EscalationView]
    /// The steps the operator asking may take now.
    let allowedSteps: [String]

    init(
        _ file: CaseFile, current: CaseworkRulesService.Current?, viewer: CaseOperator?, fullIDs: Bool,
        villageName: String, now: Int64
    ) {
        let state = file.state
        let clocks = current?.clocks(for: state.village) ?? CaseClocks(limits: [:], calendar: .weekdaysOnly)
        func shown(_ deadline: Deadline?) -> DeadlineView? {
            deadline.map {
                DeadlineView(
                    dueOn: $0.dueOn.description, provisional: $0.provisional, calendarVersions: $0.calendarVersions,
                    overdue: $0.overdueFromMilliseconds <= now)
            }
        }
        caseID = file.opened.caseID
        kind = file.opened.kind.rawValue
        kindName = file.opened.kind.chineseName
        programme = file.programme?.rawValue
        programmeName = file.programme?.chineseName
        village = state.village.digits
        self.villageName = villageName
        stage = state.stage.rawValue
        stageName = state.stage.chineseName
        holderLevel = file.holderLevel?.rawValue
        decisionLevel = state.requirements?.decisionLevel.rawValue
        deadline = shown(state.currentDeadline(clocks: clocks))
        decisionDeadline = shown(state.decisionDeadline(clocks: clocks))
        noticeEndsOn = state.noticeEndsOn(clocks: clocks)?.description
        lastStep = file.lastStep
        var applicant = file.opened.applicant
        if !fullIDs {
            applicant.citizenID = CitizenIDMask.masked(applicant.citizenID)
            applicant.phone = applicant.phone.map { String($0.prefix(3)) + "****" + String($0.suffix(4)) }
        }
        self.applicant = applicant
        situation = file.opened.situation
        household = file.household
        deaths = (file.opened.deaths ?? []).map {
            DeathView(
                name: $0.name, citizenID: fullIDs ? $0.citizenID : CitizenIDMask.masked($0.citizenID),
                relation: $0.relation, diedOn: $0.diedOn.description, note: $0.note, recordedBy: $0.recordedBy,
                recordedOn: $0.recordedOn.description)
        }
        channel = file.opened.channel.chineseName
        takenAt = file.opened.takenAt
        takenBy = file.opened.takenBy
        openedOn = file.opened.openedOn.description
        emergency = file.opened.emergency
        policyVersion = file.opened.policyVersion
        candidates = file.opened.candidates
        timeline = file.timeline.map { entry in
            let step = entry.step
            return StepView(
                n: step.n, kind: step.action.kind.rawValue, name: step.action.kind.chineseName,
                operatorName: step.operatorName, role: step.actor.role.chineseName, node: entry.origin.digits,
                on: step.on.description, at: ShanghaiTime.format(Date(timeIntervalSince1970: Double(step.at) / 1000)),
                effective: entry.effective,
                note: step.note, reason: step.action.reason, outcome: step.action.outcome?.chineseName,
                acceptedProgramme: step.programme?.chineseName, investigation: step.investigation,
                enrolment: step.enrolment.map(EnrolmentView.init),
                paidFirst: step.paidFirst?.yuanText, photos: step.photos, remark: entry.note,
                policyVersion: step.policyVersion, calendarVersions: step.calendarVersions)
        }
        waitingSteps = file.waiting.count
        photos = file.photos.map { PhotoView(sha256: $0.sha256, contentType: $0.contentType, complete: $0.complete) }
        escalations = file.escalations.map {
            EscalationView(
                stage: $0.stage.chineseName, dueOn: $0.dueOn.description,
                escalatedAt: ShanghaiTime.format(Date(timeIntervalSince1970: Double($0.escalatedAt) / 1000)),
                node: $0.node)
        }
        allowedSteps =
            viewer.map { viewer in
                CaseActionKind.allCases.filter { kind in
                    guard let holders = try? CaseWorkflow.holders(of: kind, in: state) else { return false }
                    return holders.contains(CaseHolder(viewer.actor.role, at: viewer.actor.node.level))
                        && state.village.isWithin(viewer.actor.node)
                }.map(\.rawValue)
            } ?? []
    }
}

/// One row of a queue.
struct CaseListItem: Encodable {
    let caseID: String
    let village: String
    let villageName: String
    let applicant: String
    let kindName: String
    let programmeName: String
    let stage: String
    let stageName: String
    let holderLevel: String?
    let dueOn: String?
    let overdue: Bool
    let escalated: Bool
    let provisional: Bool
    let openedOn: String

    init(_ row: CaseSummaryRow, villageName: String, now: Int64) {
        caseID = row.caseID
        village = row.village.digits
        self.villageName = villageName
        applicant = row.applicant
        kindName = CaseKind(rawValue: row.kind)?.chineseName ?? row.kind
        programmeName = Programme(rawValue: row.programme)?.chineseName ?? "待受理时确定"
        stage = row.stage
        stageName = CaseStage(rawValue: row.stage)?.chineseName ?? row.stage
        holderLevel = row.holderLevel?.rawValue
        dueOn = row.dueOn?.description
        overdue = row.overdueFrom.map { $0 <= now } ?? false
        escalated = row.escalated
        provisional = row.provisional
        openedOn = row.openedOn.description
    }
}
