import Foundation
import JiuzhuDomain
import JiuzhuPolicy
import JiuzhuRegistry
import JiuzhuServices
import Testing

@testable import JiuzhuStorage

/// Dynamic management over the same four databases: a death in a recipient household, a change
/// or an exit opened by the village, and the end of a gradual exit.
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

    @Test func aDeathInARecipientHouseholdOpensOneRecheckDueThreeMonthsAfterIt() async throws {
        let city = try City()
        try await city.publishRules()
        _ = try await city.village.registration.register(try Self.couple(), by: .commandLine)
        try await city.sync()
        let spouse = CaseService.DeathReport(citizenID: Self.spouseID, diedOn: "2026-03-01")
        // Not (yet) a recipient: nothing to re-check, and nothing written.
        let notRecipient = await #expect(throws: InputError.self) {
            try await city.village.cases.recordDeath(spouse, in: Self.householdKey, by: Self.specialist)
        }
        #expect(notRecipient?.field == "household" && notRecipient?.message.contains("没有享受救助") == true)
        #expect(try await city.village.database.casework.summaries(CaseQuery(within: Self.village)).isEmpty)

        let enrolled = try await Self.recipients()
        #expect(try await enrolled.village.cases.receivedProgrammes(of: Self.householdKey) == [.dibao])
        let today = enrolled.time.clock.today()
        let tomorrow = today.adding(days: 1).description
        let refusals: [(CaseService.DeathReport, CaseOperator, String)] = [
            (.init(citizenID: Self.spouseID, diedOn: tomorrow), Self.specialist, "diedOn"),
            (.init(citizenID: Self.spouseID, diedOn: "1982-05-04"), Self.specialist, "diedOn"),
            (.init(citizenID: Self.spouseID, diedOn: "2026-02-30"), Self.specialist, "diedOn"),
            (
                .init(citizenID: Self.citizenID(born: "19500101", sequence: "031"), diedOn: "2026-03-01"),
                Self.specialist, "citizenID"
            ),
            (.init(citizenID: "3212811980", diedOn: "2026-03-01"), Self.specialist, "citizenID"),
            // Another village's specialist, whatever node they reach.
            (spouse, try Self.staff(.villageSpecialist, "321281001002"), "household"),
        ]
        for (report, staff, field) in refusals {
            let refused = await #expect(throws: InputError.self) {
                try await enrolled.village.cases.recordDeath(report, in: Self.householdKey, by: staff)
            }
            #expect(refused?.field == field, "\(report) → \(refused?.description ?? "accepted")")
        }
        // At the township, which does not manage the household.
        await #expect(throws: InputError.self) {
            try await enrolled.township.cases.recordDeath(
                spouse, in: Self.householdKey, by: try Self.staff(.townshipClerk, "321281001"))
        }
        #expect(
            try await enrolled.village.database.casework.summaries(CaseQuery(within: Self.village)).isEmpty,
            "every refusal wrote nothing")

        // The wife died on 1 March: the re-check is due on 1 June, a Monday, whatever day it is recorded.
        let recorded = try await enrolled.village.cases.recordDeath(spouse, in: Self.householdKey, by: Self.specialist)
        #expect(recorded.rechecks.count == 1 && recorded.rechecks[0].opened)
        #expect(recorded.rechecks[0].kind == .deathRecheck && recorded.rechecks[0].programme == .dibao)
        #expect(recorded.dueOn == (try CivilDate("2026-06-01")) && !recorded.overdue)
        #expect(recorded.message.contains("2026-06-01"))
        let caseID = recorded.rechecks[0].caseID
        var file = try #require(try await enrolled.village.cases.file(caseID))
        let firstOfMarch = try CivilDate("2026-03-01")
        let clocks = try await enrolled.village.caseRules.current().clocks(for: Self.village)
        #expect(file.state.stage == .investigating && file.state.deathOn == firstOfMarch)
        #expect(file.state.decisionDeadline(clocks: clocks)?.dueOn == (try CivilDate("2026-06-01")))
        #expect(file.opened.channel == .villageStation && file.opened.takenBy == "专员")
        #expect(file.opened.deaths?.map(\.name) == ["李秀英"])
        let audit = try await enrolled.village.database.operators.auditEntries(AuditQuery(limit: 50))
        #expect(audit.contains { $0.action == "casework.death" && $0.target == caseID })

        // The same death again is refused; another death while the re-check is open joins it.
        let again = await #expect(throws: InputError.self) {
            try await enrolled.village.cases.recordDeath(spouse, in: Self.householdKey, by: Self.specialist)
        }
        #expect(again?.field == "citizenID" && again?.message.contains(caseID) == true)
        let second = try await enrolled.village.cases.recordDeath(
            .init(citizenID: Self.applicantID, diedOn: today.description, note: "死亡证明 A123"), in: Self.householdKey,
            by: Self.specialist)
        #expect(second.rechecks.map(\.caseID) == [caseID] && !second.rechecks[0].opened)
        file = try #require(try await enrolled.village.cases.file(caseID))
        #expect(file.opened.deaths?.count == 2 && file.opened.situation.contains("王建国（申请人）"))
        #expect(file.state.deathOn == firstOfMarch, "the earlier death sets the clock")
        let open = try await enrolled.village.database.casework.summaries(CaseQuery(within: Self.village))
        #expect(open.map(\.caseID) == [caseID], "one open re-check for the household")

        // The re-check travels up and shows the same at the county.
        try await enrolled.sync()
        let atCounty = try #require(try await enrolled.county.cases.file(caseID))
        #expect(atCounty.opened.deaths?.count == 2 && atCounty.state.deathOn == file.state.deathOn)
        let summary = try #require(try await enrolled.county.database.casework.summary(ofCase: caseID))
        #expect(summary.kind == "deathRecheck" && summary.household == Self.householdKey)
    }

    @Test func aDeathRecordedLateOpensARecheckThatIsAlreadyOverdue() async throws {
        let city = try await Self.recipients()
        city.advance(days: 120)
        let today = city.time.clock.today()
        let diedOn = today.adding(days: -100)
        let recorded = try await city.village.cases.recordDeath(
            .init(citizenID: Self.spouseID, diedOn: diedOn.description), in: Self.householdKey, by: Self.specialist)
        #expect(recorded.overdue && recorded.message.contains("复查已逾期"), "\(recorded.message)")
        let due = try #require(recorded.dueOn)
        #expect(due < today && due >= diedOn.adding(months: 3))
        let summary = try #require(
            try await city.village.database.casework.summary(ofCase: recorded.rechecks[0].caseID))
        #expect(summary.dueOn == due && (summary.overdueFrom ?? .max) <= city.time.clock.now())
    }

    @Test func aChangeOrExitIsOpenedOnlyForARecipientAndOnlyOnce() async throws {
        let city = try await Self.recipients()
        let change = CaseService.ChangeReport(programme: .dibao, reason: "长子就业，月工资 4000 元")
        let refusals: [(CaseService.ChangeReport, CaseOperator, String)] = [
            (.init(programme: .dibao, reason: "  "), Self.specialist, "reason"),
            (.init(programme: .extremePoverty, reason: "主动申请退出", exit: true), Self.specialist, "programme"),
            (change, try Self.staff(.villageSpecialist, "321281001002"), "household"),
        ]
        for (report, staff, field) in refusals {
            let refused = await #expect(throws: InputError.self) {
                try await city.village.cases.openChange(report, in: Self.householdKey, by: staff)
            }
            #expect(refused?.field == field, "\(refused?.description ?? "accepted")")
        }
        await #expect(throws: InputError.self) {
            try await city.village.cases.openChange(change, in: "321281001001-000099", by: Self.specialist)
        }
        #expect(try await city.village.database.casework.summaries(CaseQuery(within: Self.village)).isEmpty)

        let opened = try await city.village.cases.openChange(change, in: Self.householdKey, by: Self.specialist)
        #expect(opened.kind == .change && opened.programme == .dibao)
        let file = try #require(try await city.village.cases.file(opened.caseID))
        #expect(file.state.stage == .investigating && file.opened.situation.hasPrefix("【家庭情况变化】"))
        let duplicate = await #expect(throws: CaseAlreadyOpen.self) {
            try await city.village.cases.openChange(
                .init(programme: .dibao, reason: "主动申请退出", exit: true), in: Self.householdKey, by: Self.specialist)
        }
        #expect(duplicate?.caseID == opened.caseID)
        // The scheduler does not add a re-verification beside it, even when one is due.
        city.advance(days: 400)
        #expect(try await city.village.reverification.schedule().isEmpty)

        // Through review and notice to a termination: the household no longer receives dibao,
        // so nothing is re-verified and a later change is refused.
        let ended = try await Self.decide(opened.caseID, in: city, outcome: .terminate, reason: "收入超过低保标准")
        #expect(ended.state.stage == .refused && ended.state.outcome == .terminate)
        #expect(ended.timeline.contains { $0.step.action.kind == .postNotice })
        #expect(try await city.village.cases.receivedProgrammes(of: Self.householdKey).isEmpty)
        city.advance(days: 400)
        #expect(try await city.village.reverification.schedule().isEmpty)
        let afterExit = await #expect(throws: InputError.self) {
            try await city.village.cases.openChange(change, in: Self.householdKey, by: Self.specialist)
        }
        #expect(afterExit?.field == "programme")
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
