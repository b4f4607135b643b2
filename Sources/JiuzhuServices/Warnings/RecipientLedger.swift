import JiuzhuDomain
import JiuzhuPolicy
import JiuzhuStorage

/// Who receives what in a jurisdiction, as the node holds it: a household receives a programme
/// its record lists as enrolled (an imported register) or that its latest decision enrolled,
/// continued or began to phase out; a latest decision that terminated it ends it either way.
public struct RecipientLedger: Sendable {
    /// The programmes each recipient household receives.
    public private(set) var programmes: [String: Set<Programme>] = [:]
    /// Each household's village.
    public private(set) var villages: [String: String] = [:]
    /// Every decision to grant temporary assistance, by household: day decided and case.
    public private(set) var temporaryGrants: [String: [(decidedOn: CivilDate, caseID: String)]] = [:]

    public init(enrolments: [EnrolmentFact], decisions: [CaseSummaryRow]) {
        for enrolment in enrolments {
            guard let programme = Programme(rawValue: enrolment.programme) else { continue }
            programmes[enrolment.household, default: []].insert(programme)
            villages[enrolment.household] = enrolment.village
        }
        var latest: [HouseholdProgramme: CaseSummaryRow] = [:]
        for summary in decisions {
            guard let household = summary.household, let decidedOn = summary.decidedOn,
                let programme = Programme(rawValue: summary.programme)
            else { continue }
            if programme == .temporaryAssistance, summary.outcome == DecisionOutcome.enrol.rawValue {
                temporaryGrants[household, default: []].append((decidedOn, summary.caseID))
            }
            let key = HouseholdProgramme(household: household, programme: programme)
            if let known = latest[key], let knownOn = known.decidedOn,
                (knownOn, known.openedOn, known.caseID) >= (decidedOn, summary.openedOn, summary.caseID)
            {
                continue
            }
            latest[key] = summary
        }
        for (key, summary) in latest where key.programme != .temporaryAssistance {
            villages[key.household] = summary.village.digits
            if summary.outcome.map(CaseService.continuing.contains) == true {
                programmes[key.household, default: []].insert(key.programme)
            } else {
                programmes[key.household]?.remove(key.programme)
                if programmes[key.household]?.isEmpty == true { programmes[key.household] = nil }
            }
        }
    }

    /// The programmes `household` receives, in catalogue order.
    public func received(by household: String) -> [Programme] {
        (programmes[household] ?? []).sorted { $0.index < $1.index }
    }

    /// Whether `household` receives anything.
    public func isRecipient(_ household: String) -> Bool { !(programmes[household]?.isEmpty ?? true) }
}
