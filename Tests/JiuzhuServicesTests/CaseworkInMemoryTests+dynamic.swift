import Foundation
import JiuzhuDomain
import JiuzhuPolicy
import JiuzhuRegistry
import JiuzhuServices
import Testing

@testable import JiuzhuStorage

/// Dynamic management over the same four databases: the end of a gradual exit.
extension CaseworkInMemoryTests {
    static let spouseID = citizenID(born: "19820505", sequence: "022")
    static let householdKey = "321281001001-000001"

    /// The applicant and his wife, who cannot work: 150 yuan a head, under the dibao standard;
    /// his wages `irregular` or not.
    static func couple(irregular: Bool = false) throws -> HouseholdRecord {
        try HouseholdRecord(
            json: Data(
                """
                {"village":"321281001001","address":"兴化市昭阳街道海池社区 8 号","registration":"urban",
                 "members":[{"citizenID":"\(applicantID)","name":"王建国","sex":"male",
                   "birthDate":"1980-03-01","relation":"applicant","seriousIllness":false,"ableToWork":true},
                  {"citizenID":"\(spouseID)","name":"李秀英","sex":"female",
                   "birthDate":"1982-05-05","relation":"spouse","seriousIllness":true,"ableToWork":false}],
                 "incomes":[{"type":"wages","monthly":30000,"irregular":\(irregular),"declaredOn":"2026-02-01"}],
                 "enrolments":[]}
                """.utf8))
    }

    static var specialist: CaseOperator { CaseOperator(name: "专员", role: .villageSpecialist, node: village) }
    static let village = (try? DivisionCode("321281001001"))!

    /// Takes a case from where it stands to its decision by each step's holder, syncing between
    /// levels and waiting out the notice; serves the written reasons of a termination. Without
    /// an outcome, stops where the decision is due.
    @discardableResult
    static func decide(
        _ caseID: String, in city: City, outcome: DecisionOutcome?, months: Int? = nil, reason: String? = nil
    ) async throws -> CaseFile {
        let clerk = try staff(.villageSpecialist, "321281001001")
        let officer = try staff(.countyOfficer, "321281")
        let approver = try staff(.townshipApprover, "321281001")
        let investigation = InvestigationRecord(
            investigators: ["李四", "张三"], commitmentSigned: true, authorisationSigned: true, findings: "与登记一致")
        for _ in 0..<20 {
            try await city.sync()
            let file = try #require(try await city.village.cases.file(caseID))
            let after = file.lastStep
            switch file.state.stage {
            case .awaitingAcceptance:
                try await city.village.cases.take(
                    .init(.accept, programme: .dibao), on: caseID, after: after, by: clerk)
            case .investigating:
                try await city.village.cases.take(
                    .init(.recordInvestigation, investigation: investigation, photos: [photo]), on: caseID,
                    after: after, by: clerk)
            case .awaitingAppraisal:
                try await city.village.cases.take(.init(.recordAppraisal), on: caseID, after: after, by: clerk)
            case .awaitingCheck:
                try await city.county.cases.take(.init(.startCheck), on: caseID, after: after, by: officer)
            case .checking:
                try await city.county.cases.take(.init(.recordCheck), on: caseID, after: after, by: officer)
            case .awaitingReview:
                try await city.township.cases.take(.init(.recordReview), on: caseID, after: after, by: approver)
            case .awaitingNotice:
                try await city.village.cases.take(.init(.postNotice), on: caseID, after: after, by: clerk)
            case .inNotice:
                city.advance(days: 9)
                try await city.village.cases.take(.init(.closeNotice), on: caseID, after: after, by: clerk)
            case .awaitingDecision:
                guard let outcome else { return file }
                try await city.township.cases.take(
                    .init(.decide, reason: reason, outcome: outcome, gradualExitMonths: months), on: caseID,
                    after: after, by: approver)
            case .refusalDue:
                try await city.township.cases.take(.init(.serveRefusal), on: caseID, after: after, by: approver)
            case .decided, .refused, .notAccepted, .awaitingDocuments:
                return file
            }
        }
        Issue.record("case \(caseID) did not reach its decision")
        return try #require(try await city.village.cases.file(caseID))
    }

    /// A city with the couple registered and enrolled in dibao at their village.
    static func recipients(irregular: Bool = false) async throws -> City {
        let city = try City()
        try await city.publishRules()
        _ = try await city.village.registration.register(try couple(irregular: irregular), by: .commandLine)
        try await city.sync()
        let opened = try await city.village.cases.apply(
            CaseService.ApplicationRequest(
                applicant: CaseApplicant(name: "王建国", citizenID: applicantID), situation: "妻子重病，收入很少"),
            by: .staff(specialist))
        let file = try await decide(opened.caseID, in: city, outcome: .enrol)
        #expect(file.state.outcome == .enrol)
        try await city.sync()
        return city
    }

    @Test func aGradualExitIsFollowedUpOnTheDayItEndsAndNotReverified() async throws {
        // Irregular wages and a member who can work: re-verified every six months.
        let city = try await Self.recipients(irregular: true)
        city.advance(days: 190)
        let reverification = try #require(try await city.village.reverification.schedule().first)
        // Bring it to the decision, then check the months the decision must carry.
        var file = try await Self.decide(reverification, in: city, outcome: nil)
        #expect(file.state.stage == .awaitingDecision && file.opened.kind == .reverification)
        let approver = try Self.staff(.townshipApprover, "321281001")
        let after = file.lastStep
        let refusals: [(DecisionOutcome, Int?)] = [
            (.gradualExit, nil), (.gradualExit, 7), (.gradualExit, 0), (.continueAssistance, 3),
        ]
        for (outcome, months) in refusals {
            let refused = await #expect(throws: InputError.self) {
                try await city.township.cases.take(
                    .init(.decide, outcome: outcome, gradualExitMonths: months), on: reverification, after: after,
                    by: approver)
            }
            #expect(refused?.field == "gradualExitMonths", "\(outcome) \(months ?? -1)")
        }
        file = try await city.township.cases.take(
            .init(.decide, outcome: .gradualExit, gradualExitMonths: 6), on: reverification, after: after,
            by: approver)
        let decidedOn = try #require(file.state.decidedOn)
        #expect(file.timeline.last?.step.enrolment?.gradualExitMonths == 6)
        try await city.sync()
        #expect(
            try await city.village.cases.receivedProgrammes(of: Self.householdKey) == [.dibao], "paid until it ends")

        // Six months paid from the month after the decision. Six months after the decision the
        // half-yearly re-verification would be due: a gradual exit is not re-verified.
        let lastDay = GradualExit(decidedOn: decidedOn, months: 6).lastDay
        #expect(lastDay.day == CivilDate.daysInMonth(year: lastDay.year, month: lastDay.month))
        #expect(lastDay > decidedOn.adding(months: 6))
        func days(until day: CivilDate) -> Int { Int(day.daysSince1970 - city.time.clock.today().daysSince1970) }
        city.advance(days: days(until: decidedOn.adding(months: 6)) + 1)
        #expect(try await city.village.reverification.schedule().isEmpty)
        city.advance(days: days(until: lastDay) - 1)
        #expect(try await city.village.reverification.schedule().isEmpty, "the day before it ends")

        // On its last day the village opens the follow-up, once.
        city.advance(days: 1)
        let due = try await city.village.reverification.schedule()
        #expect(due.count == 1)
        let followUpID = try #require(due.first)
        let followUp = try #require(try await city.village.cases.file(followUpID))
        #expect(followUp.opened.kind == .change && followUp.programme == .dibao)
        #expect(followUp.opened.situation.contains("渐退期满") && followUp.opened.channel == .system)
        #expect(followUp.state.stage == .investigating)
        #expect(try await city.village.reverification.schedule().isEmpty)
        city.advance(days: 200)
        #expect(try await city.village.reverification.schedule().isEmpty, "open already: nothing beside it")
    }
}
