import Foundation
import HTTPTypes
import HummingbirdTesting
import JiuzhuDomain
import JiuzhuRegistry
import JiuzhuServices
import JiuzhuStorage
import NIOCore
import Testing

@testable import JiuzhuWeb

/// Casework through the API and the pages of one village node: an application, the queue,
/// the case, steps with their refusals, photos checked by content.
@Suite struct CaseAPITests {
    static let village = "321281001001"

    static func citizenID(_ body: String) -> String {
        body + String(CitizenID.checkCharacter(for: body.compactMap(\.wholeNumberValue)))
    }

    static let applicantID = citizenID("32128119800301011")

    static func register(_ fixture: OperatorFixture) async throws -> String {
        let record = try HouseholdRecord(
            json: Data(
                """
                {"village":"\(village)","address":"海池社区 8 号","registration":"urban",
                 "members":[{"citizenID":"\(applicantID)","name":"王建国","sex":"male","birthDate":"1980-03-01",
                   "relation":"applicant","ableToWork":true}],
                 "incomes":[{"type":"wages","monthly":30000,"declaredOn":"2026-02-01"}],"enrolments":[]}
                """.utf8))
        return try await fixture.context.services.registration.register(record, by: .commandLine).id
    }

    @Test func anApplicationIsTakenAcceptedAndInvestigatedWithPhotos() async throws {
        let fixture = try await OperatorFixture(node: Self.village)
        defer { fixture.close() }
        try await fixture.receivePolicy()
        try await fixture.receiveCalendars()
        let household = try await Self.register(fixture)
        try await fixture.test { client in
            let specialist = try await client.signIn(.villageSpecialist)
            let applied = try await client.call(
                .post, "/api/v1/cases", as: specialist,
                json: #"{"applicant":{"name":"王建国","citizenID":"\#(Self.applicantID)"},"situation":"收入很少"}"#)
            #expect(applied.status == .created, "\(applied.text)")
            let caseID = try #require(applied.json?["caseID"] as? String)
            #expect(applied.json?["routed"] as? Bool == false)
            #expect((applied.json?["candidates"] as? [String])?.contains("dibao") == true)

            let list = try await client.call(.get, "/api/v1/cases", as: specialist)
            #expect(list.status == .ok && list.text.contains(caseID), "\(list.text)")

            var view = try await client.call(.get, "/api/v1/cases/\(caseID)", as: specialist)
            #expect(view.json?["stage"] as? String == "awaitingAcceptance")
            #expect((view.json?["allowedSteps"] as? [String])?.contains("accept") == true)
            #expect((view.json?["applicant"] as? [String: Any])?["citizenID"] as? String == Self.applicantID)

            let accepted = try await client.call(
                .post, "/api/v1/cases/\(caseID)/steps", as: specialist,
                json: #"{"after":0,"kind":"accept","programme":"dibao"}"#)
            #expect(accepted.status == .ok, "\(accepted.text)")
            #expect(accepted.json?["stage"] as? String == "investigating")
            #expect((accepted.json?["deadline"] as? [String: Any])?["dueOn"] != nil)

            // The same step again from a page showing step 0: someone acted first.
            let stale = try await client.call(
                .post, "/api/v1/cases/\(caseID)/steps", as: specialist,
                json: #"{"after":0,"kind":"accept","programme":"dibao"}"#)
            #expect(stale.status == .conflict, "\(stale.text)")
            // A decision now is out of order.
            let early = try await client.call(
                .post, "/api/v1/cases/\(caseID)/steps", as: specialist,
                json: #"{"after":1,"kind":"decide","outcome":"enrol"}"#)
            #expect(early.status == .conflict && early.text.contains("待入户调查"), "\(early.text)")

            // A GIF is not a photo of signed papers; a JPEG is.
            let gif = try await client.call(
                .post, "/api/v1/cases/\(caseID)/photos", as: specialist,
                json: #"{"photos":["\#(Data("GIF89a-------".utf8).base64EncodedString())"]}"#)
            #expect(gif.status == .badRequest && gif.text.contains("JPEG"), "\(gif.text)")
            let jpeg = Data([0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 0x00, 0xFF, 0xD9])
            let uploaded = try await client.call(
                .post, "/api/v1/cases/\(caseID)/photos", as: specialist,
                json: #"{"photos":["\#(jpeg.base64EncodedString())"]}"#)
            #expect(uploaded.status == .created, "\(uploaded.text)")
            let sha = try #require((uploaded.json?["photos"] as? [String])?.first)
            let image = try await client.call(.get, "/api/v1/cases/\(caseID)/photos/\(sha)", as: specialist)
            #expect(image.status == .ok && Data(buffer: image.body) == jpeg)
            #expect(image.headers[.contentType] == "image/jpeg")

            let investigated = try await client.call(
                .post, "/api/v1/cases/\(caseID)/steps", as: specialist,
                json:
                    #"{"after":1,"kind":"recordInvestigation","investigation":{"investigators":["李四","张三"],"commitmentSigned":true,"authorisationSigned":true,"findings":"属实"}}"#
            )
            #expect(investigated.status == .ok, "\(investigated.text)")
            #expect(investigated.json?["household"] as? String == household)
            #expect(investigated.json?["stage"] as? String == "awaitingAppraisal")

            // The case page offers the appraisal, and shows the whole timeline.
            let page = try await client.call(.get, "/cases/\(caseID)", as: specialist)
            #expect(page.status == .ok)
            #expect(page.text.contains("id=\"step-recordAppraisal\"") && page.text.contains("入户调查"))
            let todo = try await client.call(.get, "/cases", as: specialist)
            #expect(todo.status == .ok && todo.text.contains(caseID))
            let notice = try await client.call(.get, "/cases/\(caseID)/notice", as: specialist)
            #expect(notice.status == .notFound)
            view = try await client.call(.get, "/api/v1/cases/\(caseID)", as: specialist)
            #expect((view.json?["timeline"] as? [[String: Any]])?.count == 2)
        }
    }

    /// Makes the household a dibao recipient as this node learns it: the summary of a decided
    /// enrolment. (One village cannot take the township's and county's steps; the decision's
    /// own path is `CaseworkInMemoryTests`'.)
    static func enrolInDibao(_ fixture: OperatorFixture, household: String) async throws {
        try await fixture.database.casework.saveSummaries(
            [
                CaseSummaryRow(
                    caseID: "321281001-000001", village: try DivisionCode(village), kind: "application",
                    programme: "dibao", stage: "decided", holderLevel: nil, closed: true, dueOn: nil, overdueFrom: nil,
                    provisional: false, escalated: false, lastStep: 9, openedOn: try CivilDate("2026-01-05"),
                    applicant: "王建国", household: household, takenAt: try DivisionCode("321281001"), updatedAt: 0,
                    outcome: "enrol", decidedOn: try CivilDate("2026-02-02"))
            ], through: nil, rules: nil, audits: [])
    }

    @Test func aDeathInARecipientHouseholdOpensItsRecheck() async throws {
        let fixture = try await OperatorFixture(node: Self.village)
        defer { fixture.close() }
        try await fixture.receivePolicy()
        try await fixture.receiveCalendars()
        let household = try await Self.register(fixture)
        let today = fixture.database.wallClock.today()
        try await fixture.test { client in
            let specialist = try await client.signIn(.villageSpecialist)
            let path = "/api/v1/households/\(household)/deaths"
            let death = #"{"citizenID":"\#(Self.applicantID)","diedOn":"\#(today.adding(days: -3))"}"#
            let notYet = try await client.call(.post, path, as: specialist, json: death)
            #expect(notYet.status == .badRequest && notYet.json?["field"] as? String == "household", "\(notYet.text)")
            try await Self.enrolInDibao(fixture, household: household)

            let future = try await client.call(
                .post, path, as: specialist,
                json: #"{"citizenID":"\#(Self.applicantID)","diedOn":"\#(today.adding(days: 1))"}"#)
            #expect(future.status == .badRequest && future.json?["field"] as? String == "diedOn", "\(future.text)")
            let elsewhere = try await client.call(
                .post, "/api/v1/households/321281001002-000001/deaths", as: specialist, json: death)
            #expect(elsewhere.status == .forbidden, "\(elsewhere.text)")
            let unknown = try await client.call(
                .post, "/api/v1/households/\(Self.village)-000099/deaths", as: specialist, json: death)
            #expect(unknown.status == .notFound, "\(unknown.text)")

            let recorded = try await client.call(.post, path, as: specialist, json: death)
            #expect(recorded.status == .created, "\(recorded.text)")
            let rechecks = try #require(recorded.json?["rechecks"] as? [[String: Any]])
            #expect(rechecks.count == 1 && rechecks[0]["opened"] as? Bool == true)
            #expect(recorded.json?["dueOn"] is String && recorded.json?["overdue"] as? Bool == false)
            let caseID = try #require(rechecks[0]["caseID"] as? String)
            let view = try await client.call(.get, "/api/v1/cases/\(caseID)", as: specialist)
            #expect(
                view.json?["kind"] as? String == "deathRecheck" && view.json?["stage"] as? String == "investigating")
            #expect((view.json?["deaths"] as? [[String: Any]])?.first?["name"] as? String == "王建国")
            let again = try await client.call(.post, path, as: specialist, json: death)
            #expect(again.status == .badRequest && again.json?["field"] as? String == "citizenID", "\(again.text)")

            // The household page links the form; the form is a phone page of its own.
            let page = try await client.call(.get, "/households/\(household)", as: specialist)
            #expect(page.text.contains("id=\"record-death\"") && page.text.contains("低保"), "\(page.text)")
            let form = try await client.call(.get, "/households/\(household)/deaths", as: specialist)
            #expect(form.status == .ok && form.text.contains("id=\"death-form\""))
            let posted = try await client.execute(
                uri: "/households/\(household)/deaths", method: .post,
                headers: [.cookie: specialist.cookie, .contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(
                    string: "_csrf=\(specialist.csrf)&citizenID=\(Self.applicantID)&diedOn=\(today.adding(days: 1))"))
            #expect(posted.status == .badRequest && posted.text.contains("晚于今天"), "\(posted.text)")
        }
    }

    @Test func aChangeOrExitIsOpenedForARecipientOnce() async throws {
        let fixture = try await OperatorFixture(node: Self.village)
        defer { fixture.close() }
        try await fixture.receivePolicy()
        try await fixture.receiveCalendars()
        let household = try await Self.register(fixture)
        try await Self.enrolInDibao(fixture, household: household)
        try await fixture.test { client in
            let specialist = try await client.signIn(.villageSpecialist)
            let path = "/api/v1/households/\(household)/changes"
            let notReceived = try await client.call(
                .post, path, as: specialist, json: #"{"programme":"extremePoverty","reason":"主动申请退出","exit":true}"#)
            #expect(
                notReceived.status == .badRequest && notReceived.json?["field"] as? String == "programme",
                "\(notReceived.text)")
            let noReason = try await client.call(.post, path, as: specialist, json: #"{"programme":"dibao"}"#)
            #expect(noReason.status == .badRequest && noReason.json?["field"] as? String == "reason")

            let opened = try await client.call(
                .post, path, as: specialist, json: #"{"programme":"dibao","reason":"长子就业，月工资 4000 元"}"#)
            #expect(opened.status == .created, "\(opened.text)")
            #expect(opened.json?["kind"] as? String == "change")
            let caseID = try #require(opened.json?["caseID"] as? String)
            let view = try await client.call(.get, "/api/v1/cases/\(caseID)", as: specialist)
            #expect(view.json?["stage"] as? String == "investigating")
            #expect((view.json?["allowedSteps"] as? [String])?.contains("recordInvestigation") == true)
            let twice = try await client.call(
                .post, path, as: specialist, json: #"{"programme":"dibao","reason":"主动申请退出","exit":true}"#)
            #expect(twice.status == .conflict && twice.text.contains(caseID), "\(twice.text)")

            let form = try await client.call(.get, "/households/\(household)/changes", as: specialist)
            #expect(form.status == .ok && form.text.contains("id=\"change-form\""))
            let posted = try await client.execute(
                uri: "/households/\(household)/changes", method: .post,
                headers: [.cookie: specialist.cookie, .contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "_csrf=\(specialist.csrf)&programme=dibao&type=exit&reason=主动申请退出"))
            #expect(posted.status == .conflict && posted.text.contains(caseID), "\(posted.text)")
        }
    }

    /// Keeps the messages a node would send by SMS.
    final class Outbox: MessageSender, @unchecked Sendable {
        private let lock = NSLock()
        private var sent: [(phone: String, text: String)] = []

        func send(to phone: String, text: String) async throws {
            lock.withLock { sent.append((phone, text)) }
        }

        var lastCode: String? {
            lock.withLock { sent.last }.flatMap { $0.text.firstMatch(of: /[0-9]{6}/).map { String($0.output) } }
        }
    }

    @Test func anApplicantAppliesOnlineWithTheCodeSentToTheirPhone() async throws {
        let outbox = Outbox()
        let fixture = try await OperatorFixture(node: Self.village, messages: outbox)
        defer { fixture.close() }
        try await fixture.receivePolicy()
        try await fixture.receiveCalendars()
        try await fixture.test { client in
            let sent = try await client.call(.post, "/api/v1/online/codes", as: nil, json: #"{"phone":"13800000000"}"#)
            #expect(sent.status == .accepted, "\(sent.text)")
            let code = try #require(outbox.lastCode)
            let again = try await client.call(.post, "/api/v1/online/codes", as: nil, json: #"{"phone":"13800000000"}"#)
            #expect(again.status == .tooManyRequests)
            let application =
                #"{"applicant":{"name":"李梅","citizenID":"\#(Self.citizenID("32128119900101002"))","phone":"13800000000"},"situation":"丈夫重病，孩子上学","village":"\#(Self.village)","declared":{"registration":"rural","members":[{"birthDate":"1990-01-01","sex":"female","relation":"applicant"}],"incomes":[{"type":"wages","monthly":20000}]}}"#
            let wrong = try await client.call(
                .post, "/api/v1/online/applications", as: nil,
                json: #"{"code":"\#(code == "000000" ? "111111" : "000000")","application":\#(application)}"#)
            #expect(wrong.status == .badRequest && wrong.json?["field"] as? String == "code", "\(wrong.text)")
            let applied = try await client.call(
                .post, "/api/v1/online/applications", as: nil,
                json: #"{"code":"\#(code)","application":\#(application)}"#)
            #expect(applied.status == .created, "\(applied.text)")
            let caseID = try #require(applied.json?["caseID"] as? String)
            // The code is used up.
            let reused = try await client.call(
                .post, "/api/v1/online/applications", as: nil,
                json: #"{"code":"\#(code)","application":\#(application)}"#)
            #expect(reused.status == .badRequest)
            let specialist = try await client.signIn(.villageSpecialist)
            let view = try await client.call(.get, "/api/v1/cases/\(caseID)", as: specialist)
            #expect(view.json?["channel"] as? String == "网上申请（手机）")
            #expect(view.json?["stage"] as? String == "awaitingAcceptance")
            let page = try await client.call(.get, "/apply", as: nil)
            #expect(page.status == .ok && page.text.contains("id=\"apply-send-code\""))
        }
    }
}
