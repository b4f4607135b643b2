import Foundation
import JiuzhuDomain
import JiuzhuPolicy
import JiuzhuRegistry
import JiuzhuStorage

/// A household and a programme: what a decision on a recipient is about, and what at most one
/// open task at a time is for.
public struct HouseholdProgramme: Hashable, Sendable, Comparable {
    public let household: String
    public let programme: Programme

    public init(household: String, programme: Programme) {
        self.household = household
        self.programme = programme
    }

    public static func < (lhs: HouseholdProgramme, rhs: HouseholdProgramme) -> Bool {
        (lhs.household, lhs.programme) < (rhs.household, rhs.programme)
    }
}

extension CaseService {
    /// The outcomes under which a household goes on receiving a programme.
    static let continuing: Set<String> = [
        DecisionOutcome.enrol.rawValue, DecisionOutcome.continueAssistance.rawValue,
        DecisionOutcome.gradualExit.rawValue,
    ]

    /// The latest decision on each household and programme of this village: enrolled,
    /// continued, in gradual exit or terminated (of two on one day, the later opened case's).
    func latestDecisions() async throws -> [HouseholdProgramme: CaseSummaryRow] {
        var latest: [HouseholdProgramme: CaseSummaryRow] = [:]
        for summary in try await store.decisions(village: node) {
            guard let household = summary.household, let decidedOn = summary.decidedOn,
                let programme = Programme(rawValue: summary.programme)
            else { continue }
            let key = HouseholdProgramme(household: household, programme: programme)
            if let known = latest[key], let knownOn = known.decidedOn,
                (knownOn, known.openedOn, known.caseID) >= (decidedOn, summary.openedOn, summary.caseID)
            {
                continue
            }
            latest[key] = summary
        }
        return latest
    }

    /// The programmes `household` receives at this village (``RecipientLedger``): those its
    /// record lists as enrolled (an imported register) or whose latest decision enrolled it,
    /// continued it or began a gradual exit, less those a latest decision terminated.
    ///
    /// ```swift
    /// try await services.cases.receivedProgrammes(of: "321281001001-000001")   // [.dibao]
    /// ```
    public func receivedProgrammes(of household: String) async throws -> [Programme] {
        var enrolments: [EnrolmentFact] = []
        if let stored = try await registry.household(household),
            let record = try? HouseholdRecord(json: Data(stored.payload.utf8))
        {
            enrolments = record.enrolments.map {
                EnrolmentFact(household: household, village: record.village.digits, programme: $0.rawValue)
            }
        }
        let decisions = try await store.decisions(village: node).filter { $0.household == household }
        return RecipientLedger(enrolments: enrolments, decisions: decisions).received(by: household)
    }

    /// The open cases of this village about a registered household and a known programme.
    func openCasesByHousehold() async throws -> [HouseholdProgramme: CaseSummaryRow] {
        var open: [HouseholdProgramme: CaseSummaryRow] = [:]
        for summary in try await store.summaries(CaseQuery(within: node, limit: 100_000)) {
            guard let household = summary.household, let programme = Programme(rawValue: summary.programme) else {
                continue
            }
            open[HouseholdProgramme(household: household, programme: programme)] = summary
        }
        return open
    }

    /// The household `key` as registered at this village, for an operator here who records a
    /// death or opens a change: refused at any other node, for an operator who does not handle
    /// cases, and for a household this village does not hold.
    func villageHousehold(_ key: String, by staff: CaseOperator) async throws -> HouseholdRecord {
        guard node.level == .village, staff.actor.node == node,
            AccessPolicy.allows(staff.actor.role, .handleCases)
        else {
            throw InputError(field: "household", "死亡登记、家庭情况变化和退出由家庭所在村（居）的民生专员办理")
        }
        guard let stored = try await registry.household(key),
            let record = try? HouseholdRecord(json: Data(stored.payload.utf8))
        else { throw InputError(field: "household", "本村（居）没有户编号为 \(key) 的家庭") }
        guard record.village == node else {
            throw InputError(field: "household", "家庭 \(key) 属于 \(record.village)，由该村（居）办理")
        }
        return record
    }
}
