import Foundation
import JiuzhuDomain
import JiuzhuPolicy

/// The person who applies: identity is enough to start (一门受理，身份即可申请).
public struct CaseApplicant: Codable, Sendable, Hashable {
    public var name: String
    public var citizenID: String
    /// A mobile number, for online applicants (confirmed by a one-time code) and for notices.
    public var phone: String?

    public init(name: String, citizenID: String, phone: String? = nil) {
        self.name = name
        self.citizenID = citizenID
        self.phone = phone
    }
}

/// Where an application was taken.
public enum IntakeChannel: String, Codable, Sendable, CaseIterable {
    /// At a village station, by the livelihood specialist.
    case villageStation
    /// At a township window.
    case townshipWindow
    /// By the applicant on the phone page.
    case online
    /// At a county or city office, which routes it.
    case otherOffice
    /// Opened by the node itself: a re-verification due, a re-check after a death.
    case system

    public var chineseName: String {
        switch self {
        case .villageStation: "村（居）服务站"
        case .townshipWindow: "乡镇（街道）窗口"
        case .online: "网上申请（手机）"
        case .otherOffice: "县、市服务窗口"
        case .system: "系统按期生成"
        }
    }
}

/// A programme the calculator found the household may qualify for, with why.
public struct CaseCandidate: Codable, Sendable, Hashable {
    public var programme: Programme
    public var eligible: Bool
    /// The amount the calculator computed, in fen, for its period.
    public var amount: Fen
    public var period: String
    public var rule: String
    /// Each condition, with ✓ or ✗ in front.
    public var conditions: [String]
}

/// The row that opens a case (entity `caseOpened`), owned by the node that took it and
/// addressed to the household's village.
public struct CaseOpenedRecord: Codable, Sendable {
    public var caseID: String
    public var kind: CaseKind
    /// The programme applied for; nil for a fuzzy application until acceptance chooses one.
    public var programme: Programme?
    /// The household's village (属地).
    public var village: String
    /// The registered household's number, when there is one.
    public var household: String?
    public var applicant: CaseApplicant
    /// What the person said about their situation, in their words.
    public var situation: String
    /// The household as declared, when it is not registered.
    public var declared: HouseholdSituation?
    /// An emergency: pay first, papers after (急难型临时救助).
    public var emergency: Bool
    public var channel: IntakeChannel
    /// The node that took the application, and who took it.
    public var takenAt: String
    public var takenBy: String
    public var openedOn: CivilDate
    public var openedAt: Int64
    /// Set when the programme is known at opening (a task, or an application for a named programme).
    public var requirements: CaseRequirements?
    /// Every programme screened, eligible ones first.
    public var candidates: [CaseCandidate]
    /// The policy version the screening used.
    public var policyVersion: String
    /// Deaths of members recorded on the case, in the order recorded: the decision is due within
    /// the re-check limit from the earliest. Nil on cases without one (and on rows written before).
    public var deaths: [RecordedDeath]?

    public init(
        caseID: String, kind: CaseKind, programme: Programme?, village: String, household: String?,
        applicant: CaseApplicant, situation: String, declared: HouseholdSituation?, emergency: Bool,
        channel: IntakeChannel, takenAt: String, takenBy: String, openedOn: CivilDate, openedAt: Int64,
        requirements: CaseRequirements?, candidates: [CaseCandidate], policyVersion: String,
        deaths: [RecordedDeath]? = nil
    ) {
        self.caseID = caseID
        self.kind = kind
        self.programme = programme
        self.village = village
        self.household = household
        self.applicant = applicant
        self.situation = situation
        self.declared = declared
        self.emergency = emergency
        self.channel = channel
        self.takenAt = takenAt
        self.takenBy = takenBy
        self.openedOn = openedOn
        self.openedAt = openedAt
        self.requirements = requirements
        self.candidates = candidates
        self.policyVersion = policyVersion
        self.deaths = deaths
    }

    /// The earliest death recorded on the case, from which its re-check limit counts.
    public var earliestDeath: CivilDate? { deaths?.map(\.diedOn).min() }
}

/// A death of a household member, as the village recorded it (死亡登记): which member, when they
/// died, and who recorded it when.
public struct RecordedDeath: Codable, Sendable, Hashable {
    /// The member's citizen ID, as the household record holds it.
    public var citizenID: String
    public var name: String
    /// The member's relation to the applicant, in Chinese (户主、配偶 …).
    public var relation: String
    public var diedOn: CivilDate
    /// What the operator added (a death certificate's number, who reported it).
    public var note: String?
    /// The operator who recorded it, and the day.
    public var recordedBy: String
    public var recordedOn: CivilDate

    public init(
        citizenID: String, name: String, relation: String, diedOn: CivilDate, note: String?, recordedBy: String,
        recordedOn: CivilDate
    ) {
        self.citizenID = citizenID
        self.name = name
        self.relation = relation
        self.diedOn = diedOn
        self.note = note
        self.recordedBy = recordedBy
        self.recordedOn = recordedOn
    }
}

/// What an investigation recorded (入户调查).
public struct InvestigationRecord: Codable, Sendable, Hashable {
    /// The investigators at the home: at least two.
    public var investigators: [String]
    /// 诚信承诺书 signed.
    public var commitmentSigned: Bool
    /// 核对授权书 signed.
    public var authorisationSigned: Bool
    /// The registered household the investigation declared or corrected, and its version
    /// after: the village finds it by the applicant's ID when the application named none.
    public var household: String?
    public var householdVersion: Int64?
    /// What the investigators found, in their words.
    public var findings: String

    public init(
        investigators: [String], commitmentSigned: Bool, authorisationSigned: Bool, household: String? = nil,
        householdVersion: Int64? = nil, findings: String
    ) {
        self.investigators = investigators
        self.commitmentSigned = commitmentSigned
        self.authorisationSigned = authorisationSigned
        self.household = household
        self.householdVersion = householdVersion
        self.findings = findings
    }
}

/// What the decision enrols: the programme, the amount from the calculator and the policy
/// version it used, and the month payment starts.
public struct EnrolmentRecord: Codable, Sendable, Hashable {
    public var programme: Programme
    public var amount: Fen
    public var period: String
    public var policyVersion: String
    /// The first month paid ("2026-04"): the month after the decision.
    public var paymentFrom: String
    /// For a gradual exit: the months the benefit continues.
    public var gradualExitMonths: Int?
    public var explanation: [String]
}

/// One step taken on a case (entity `caseStep`), owned by the node that took it and
/// addressed to the case's village.
public struct CaseStepRecord: Codable, Sendable {
    public var caseID: String
    /// The step's place in the case: one more than the last step its taker saw.
    public var n: Int
    public var action: CaseAction
    public var actor: CaseActor
    /// The operator's account.
    public var operatorName: String
    /// The civil date the step counts from, at the acting node.
    public var on: CivilDate
    public var at: Int64
    /// For an acceptance: the programme accepted.
    public var programme: Programme?
    public var investigation: InvestigationRecord?
    public var enrolment: EnrolmentRecord?
    /// An emergency payment made first, in fen.
    public var paidFirst: Fen?
    /// Photos of signed papers attached with the step, by their SHA-256.
    public var photos: [String]
    /// Findings of a check or review, in words.
    public var note: String?
    public var policyVersion: String
    public var calendarVersions: [String]
}

/// An overdue step escalated to the level above (entity `caseEscalation`).
public struct CaseEscalationRecord: Codable, Sendable {
    public var caseID: String
    /// The step count when it was escalated: the overdue step follows step `n`.
    public var n: Int
    public var stage: CaseStage
    public var dueOn: CivilDate
    public var escalatedAt: Int64
    /// The node that escalated (the level above the step's holder).
    public var node: String
}

/// One part of a photo (entity `casePhoto`): photos are cut into parts that fit a replicated row.
public struct CasePhotoPart: Codable, Sendable {
    public var caseID: String
    /// SHA-256 of the whole photo, lowercase hex.
    public var photo: String
    public var part: Int
    public var parts: Int
    public var contentType: String
    /// The part's bytes, base64.
    public var data: String
}

extension JSONEncoder {
    /// Stable output for rows: sorted keys, so the same record is the same text everywhere.
    static let rows: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()
}
