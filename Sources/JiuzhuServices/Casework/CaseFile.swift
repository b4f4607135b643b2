import Foundation
import JiuzhuDomain
import JiuzhuPolicy
import JiuzhuStorage

/// A case as replayed from its rows: the application, every step in order (those that took
/// effect and those that did not, with why), escalations and photos, and the state they leave.
///
/// Every node that holds a case's rows replays them the same way, so the village, the
/// township, the county and the city see one case. Steps are ordered by their number, then
/// by their hybrid clock: of two steps taken at once on different nodes with the same number,
/// the earlier takes effect and the other is shown as not in effect.
public struct CaseFile: Sendable {
    /// One step in the timeline.
    public struct Entry: Sendable {
        public let step: CaseStepRecord
        /// The node that wrote the step.
        public let origin: DivisionCode
        /// Whether the step took effect; if not, `note` says why.
        public let effective: Bool
        public let note: String?
        /// The stage the case was in when the step was taken.
        public let stageBefore: CaseStage
    }

    /// A photo as its parts make it up.
    public struct Photo: Sendable, Equatable {
        public let sha256: String
        public let contentType: String
        public let parts: Int
        public let partsHeld: Int
        public var complete: Bool { partsHeld == parts }
    }

    public let opened: CaseOpenedRecord
    public let state: CaseState
    public let timeline: [Entry]
    /// Steps whose predecessor has not arrived here yet.
    public let waiting: [CaseStepRecord]
    public let escalations: [CaseEscalationRecord]
    public let photos: [Photo]

    /// The number of the last step in effect: a new step is this plus one.
    public var lastStep: Int { timeline.last { $0.effective }?.step.n ?? 0 }

    /// Replays a case from its rows; nil when the rows hold no valid opening for `caseID`.
    public init?(caseID: String, rows: [CaseRow], clocks: (DivisionCode) -> CaseClocks) {
        let decoder = JSONDecoder()
        guard
            let openingRow = rows.first(where: {
                $0.entity == RowOwnership.CaseworkEntity.caseOpened.rawValue && $0.key == caseID
            }),
            let opened = try? decoder.decode(CaseOpenedRecord.self, from: Data(openingRow.payload.utf8)),
            opened.caseID == caseID, let village = try? DivisionCode(opened.village), village.level == .village,
            let openedBy = try? DivisionCode(opened.takenAt), openedBy == openingRow.origin
        else { return nil }
        self.opened = opened
        let caseClocks = clocks(village)
        var steps: [(record: CaseStepRecord, row: CaseRow)] = []
        var escalations: [CaseEscalationRecord] = []
        var parts: [String: (type: String, parts: Int, held: Set<Int>)] = [:]
        for row in rows where row.key != caseID {
            let data = Data(row.payload.utf8)
            switch RowOwnership.CaseworkEntity(rawValue: row.entity) {
            case .caseStep:
                if let step = try? decoder.decode(CaseStepRecord.self, from: data), step.caseID == caseID {
                    steps.append((step, row))
                }
            case .caseEscalation:
                if let escalation = try? decoder.decode(CaseEscalationRecord.self, from: data),
                    escalation.caseID == caseID, escalation.node == row.origin.digits
                {
                    escalations.append(escalation)
                }
            case .casePhoto:
                if let part = try? decoder.decode(CasePhotoPart.self, from: data), part.caseID == caseID,
                    (1...CasePhotos.maximumParts).contains(part.parts), (0..<part.parts).contains(part.part)
                {
                    var photo = parts[part.photo] ?? (part.contentType, part.parts, [])
                    photo.held.insert(part.part)
                    parts[part.photo] = photo
                }
            default:
                continue
            }
        }
        steps.sort { ($0.record.n, $0.row.clock, $0.row.key) < ($1.record.n, $1.row.clock, $1.row.key) }
        var state = CaseState.opened(
            kind: opened.kind, village: village, requirements: opened.requirements, on: opened.openedOn,
            deathOn: opened.earliestDeath)
        var timeline: [Entry] = []
        var waiting: [CaseStepRecord] = []
        var expected = 1
        for (step, row) in steps {
            func record(_ effective: Bool, _ note: String?) {
                timeline.append(
                    Entry(step: step, origin: row.origin, effective: effective, note: note, stageBefore: state.stage))
            }
            if step.n > expected {
                waiting.append(step)
                continue
            }
            guard step.n == expected else {
                record(false, "与同时办理的另一环节冲突，未生效（以先办理者为准）")
                continue
            }
            guard step.actor.node == row.origin else {
                record(false, "办理节点 \(step.actor.node) 与写入节点 \(row.origin) 不符，未生效")
                continue
            }
            do {
                let next = try CaseWorkflow.apply(
                    step.action, by: step.actor, on: step.on, to: state, clocks: caseClocks)
                record(true, nil)
                state = next
                expected += 1
            } catch {
                record(false, "未生效：\(error.description)")
            }
        }
        self.state = state
        self.timeline = timeline
        self.waiting = waiting
        self.escalations = escalations.sorted { $0.escalatedAt < $1.escalatedAt }
        self.photos = parts.map {
            Photo(sha256: $0.key, contentType: $0.value.type, parts: $0.value.parts, partsHeld: $0.value.held.count)
        }
        .sorted { $0.sha256 < $1.sha256 }
    }

    /// The programme the case is for: the one applied for or accepted.
    public var programme: Programme? {
        opened.programme
            ?? timeline.first { $0.effective && $0.step.action.kind == .accept }?.step.programme
    }

    /// The registered household: as the last investigation found it, else as the application named it.
    public var household: String? {
        timeline.last { $0.effective && $0.step.investigation?.household != nil }?.step.investigation?.household
            ?? opened.household
    }

    /// Whether the overdue step the case waits in was escalated.
    public var isEscalated: Bool { escalations.contains { $0.n == lastStep && $0.stage == state.stage } }

    /// The level whose operators act next, nil when closed.
    public var holderLevel: DivisionLevel? {
        guard !state.stage.isClosed else { return nil }
        let holders = (try? CaseWorkflow.holders(of: Self.mainAction(state.workingStage), in: state)) ?? []
        return holders.first?.level
    }

    /// The step a stage waits for.
    static func mainAction(_ stage: CaseStage) -> CaseActionKind {
        switch stage {
        case .awaitingAcceptance: .accept
        case .investigating: .recordInvestigation
        case .awaitingAppraisal: .recordAppraisal
        case .awaitingCheck: .startCheck
        case .checking: .recordCheck
        case .awaitingReview: .recordReview
        case .awaitingNotice: .postNotice
        case .inNotice: .closeNotice
        case .awaitingDecision, .notAccepted, .decided, .refused: .decide
        case .awaitingDocuments: .receiveDocuments
        case .refusalDue: .serveRefusal
        }
    }
}
