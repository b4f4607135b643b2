import Foundation
import JiuzhuDomain
import JiuzhuPolicy
import JiuzhuRegistry
import JiuzhuServices
import Logging
import Testing

@testable import JiuzhuStorage

/// One case through every level, over four databases in memory that exchange their rows with
/// the stores' own replication calls (the live cluster's test sends the same over mutual TLS).
@Suite struct CaseworkInMemoryTests {
    static let root = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// A small city: the case's village and township, the county, and a township elsewhere.
    final class City: Sendable {
        let time: SettableClock
        let city: NodeServices
        let county: NodeServices
        let township: NodeServices
        let village: NodeServices
        let otherTownship: NodeServices
        /// Child → parent.
        let links: [(NodeServices, NodeServices)]

        init() throws {
            let time = SettableClock(at: try CivilDate("2026-03-02"))
            self.time = time
            func services(_ code: String, _ role: NodeRole) throws -> NodeServices {
                let database = try NodeDatabase.inMemory(
                    for: .init(code: try DivisionCode(code), name: "测试\(code)", role: role), clock: time.clock)
                return NodeServices(
                    database: database, hasher: PasswordHasher(cost: 4),
                    delegation: ApprovalDelegation(byCounty: [try DivisionCode("321281"): [.dibao]]),
                    villages: [
                        try DivisionCode("321281001001"): "海池社区", try DivisionCode("321281100201"): "董北村",
                    ], logger: Logger(label: "test"))
            }
            city = try services("321200", .city)
            county = try services("321281", .county)
            township = try services("321281001", .township)
            village = try services("321281001001", .village)
            otherTownship = try services("321281100", .township)
            links = [(county, city), (township, county), (otherTownship, county), (village, township)]
        }

        /// Publishes the policy and calendars at the city.
        func publishRules() async throws {
            let text = try String(contentsOf: root.appending(path: "policy/taizhou.yaml"), encoding: .utf8)
            _ = try await city.policy.publish(text: text, file: "taizhou.yaml", by: .commandLine)
            for year in ["2025", "2026", "2027"] {
                let calendar = try String(contentsOf: root.appending(path: "calendar/\(year).yaml"), encoding: .utf8)
                _ = try await city.caseRules.publishCalendar(text: calendar, file: "\(year).yaml", by: .commandLine)
            }
            try await sync()
        }

        /// Pushes every child's rows up, then pulls every parent's down, until nothing moves.
        func sync() async throws {
            for _ in 0..<4 {
                for (child, parent) in links {
                    for channel in ReplicationChannel.upward {
                        let cursor = try await child.database.changeLog.cursor(
                            peer: parent.database.owner.code, direction: .up, channel: channel)
                        let batch = try await child.database.changeLog.changesToPushUp(
                            channel: channel, after: cursor, limit: 10_000, byteLimit: 64 << 20)
                        guard let last = batch.last else { continue }
                        let applied = try await parent.database.changeLog.applyFromChild(
                            batch.map(\.change), channel: channel)
                        try await child.database.changeLog.acknowledgeUp(
                            peer: parent.database.owner.code, channel: channel, through: last.position,
                            parentClock: applied.clock)
                    }
                }
                for (child, parent) in links.reversed() {
                    for channel in ReplicationChannel.downward {
                        let cursor = try await child.database.changeLog.cursor(
                            peer: parent.database.owner.code, direction: .down, channel: channel)
                        let (changes, through) = try await parent.database.changeLog.changesForChild(
                            child.database.owner.code, channel: channel, after: cursor, scanLimit: 100_000)
                        _ = try await child.database.changeLog.applyFromParent(
                            changes.map(\.change), parent: parent.database.owner.code, channel: channel,
                            scannedThrough: through)
                    }
                }
            }
            for node in [city, county, township, village, otherTownship] { try await node.caseIndexer.catchUp() }
        }

        func advance(days: Int) { time.advance(seconds: Double(days) * 86_400) }
    }

    static func citizenID(born: String, sequence: String) -> String {
        let body = "321281" + born + sequence
        return body + String(CitizenID.checkCharacter(for: body.compactMap(\.wholeNumberValue)))
    }

    static let applicantID = citizenID(born: "19800301", sequence: "011")

    /// One person of working age, 300 yuan a month of wages: under the dibao standard.
    static func household() throws -> HouseholdRecord {
        try HouseholdRecord(
            json: Data(
                """
                {"village":"321281001001","address":"兴化市昭阳街道海池社区 8 号","registration":"urban",
                 "members":[{"citizenID":"\(applicantID)","name":"王建国","sex":"male",
                   "birthDate":"1980-03-01","relation":"applicant","seriousIllness":false,"ableToWork":true}],
                 "incomes":[{"type":"wages","monthly":30000,"declaredOn":"2026-02-01"}],
                 "enrolments":[]}
                """.utf8))
    }

    /// The smallest JPEG header: enough for the content check.
    static let photo = Data([0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 0x00, 0xFF, 0xD9])

    static func staff(_ role: OperatorRole, _ code: String) throws -> CaseOperator {
        CaseOperator(name: "\(role.rawValue)@\(code)", role: role, node: try DivisionCode(code))
    }

    @Test func anApplicationAtTheWrongTownshipGoesThroughEveryLevel() async throws {
        let city = try City()
        try await city.publishRules()
        _ = try await city.village.registration.register(try Self.household(), by: .commandLine)
        try await city.sync()

        // Taken at the wrong township: the household is not registered there, so the clerk
        // names the village and what the applicant declares.
        let request = CaseService.ApplicationRequest(
            applicant: CaseApplicant(name: "王建国", citizenID: Self.applicantID, phone: "13800000000"),
            situation: "老伴去世，本人患病，收入很少", village: "321281001001",
            declared: try Self.household().situation)
        let opened = try await city.otherTownship.cases.apply(
            request, by: .staff(try Self.staff(.townshipClerk, "321281100")))
        #expect(opened.routed && opened.village == "321281001001" && opened.villageName == "海池社区")
        #expect(opened.message.contains("已转至属地 海池社区"))
        #expect(opened.candidates.contains(.dibao))
        try await city.sync()

        // It reaches the village, where it waits for acceptance.
        let atVillage = try #require(try await city.village.cases.file(opened.caseID))
        #expect(atVillage.state.stage == .awaitingAcceptance)
        let clerk = try Self.staff(.townshipClerk, "321281001")
        let specialist = try Self.staff(.villageSpecialist, "321281001001")
        let officer = try Self.staff(.countyOfficer, "321281")
        let approver = try Self.staff(.townshipApprover, "321281001")
        var file = try await city.township.cases.take(
            .init(.accept, programme: .dibao), on: opened.caseID, after: 0, by: clerk)
        #expect(file.state.requirements?.decisionLevel == .township, "兴化市 delegates dibao")
        #expect(file.state.requirements?.appraisal == true, "泰州's dibao goes to democratic appraisal")
        try await city.sync()

        // An investigation with one investigator, or without its photos, is refused and writes nothing.
        var investigation = InvestigationRecord(
            investigators: ["李四"], commitmentSigned: true, authorisationSigned: true, findings: "与申报一致")
        let lonely = await #expect(throws: InputError.self) {
            try await city.village.cases.take(
                .init(.recordInvestigation, investigation: investigation, photos: [Self.photo]), on: opened.caseID,
                after: 1, by: specialist)
        }
        #expect(lonely?.field == "investigation.investigators")
        investigation.investigators = ["李四", "张三"]
        let noPhoto = await #expect(throws: InputError.self) {
            try await city.village.cases.take(
                .init(.recordInvestigation, investigation: investigation), on: opened.caseID, after: 1, by: specialist)
        }
        #expect(noPhoto?.field == "photos")
        let notAnImage = await #expect(throws: InputError.self) {
            try await city.village.cases.take(
                .init(.recordInvestigation, investigation: investigation, photos: [Data("GIF89a".utf8)]),
                on: opened.caseID, after: 1, by: specialist)
        }
        #expect(notAnImage?.field == "photos[0]")
        #expect(try await city.village.database.casework.lastStep(ofCase: opened.caseID) == 1)

        file = try await city.village.cases.take(
            .init(.recordInvestigation, investigation: investigation, photos: [Self.photo]), on: opened.caseID,
            after: 1, by: specialist)
        #expect(file.household == "321281001001-000001", "the village links the registered household")
        // Two operators at once: the second is told, and nothing of its step is written.
        await #expect(throws: CaseConflict.self) {
            try await city.village.cases.take(
                .init(.recordInvestigation, investigation: investigation, photos: [Self.photo]), on: opened.caseID,
                after: 1, by: specialist)
        }
        file = try await city.village.cases.take(.init(.recordAppraisal), on: opened.caseID, after: 2, by: specialist)
        try await city.sync()

        // The county checks; the township may not do the county's step.
        let wrongLevel = await #expect(throws: CaseRefusal.self) {
            try await city.township.cases.take(.init(.startCheck), on: opened.caseID, after: 3, by: approver)
        }
        #expect(wrongLevel?.description.contains("县级") == true)
        file = try await city.county.cases.take(.init(.startCheck), on: opened.caseID, after: 3, by: officer)
        file = try await city.county.cases.take(
            .init(.recordCheck, note: "税务、社保、不动产、车辆均无异常"), on: opened.caseID, after: 4, by: officer)
        try await city.sync()
        file = try await city.township.cases.take(
            .init(.recordReview, note: "同意公示"), on: opened.caseID, after: 5, by: approver)
        try await city.sync()
        file = try await city.village.cases.take(.init(.postNotice), on: opened.caseID, after: 6, by: specialist)

        // An objection during the notice sends the case back to the home investigation.
        file = try await city.village.cases.take(
            .init(.lodgeObjection, reason: "村民反映申请人有出租房屋收入"), on: opened.caseID, after: 7, by: specialist)
        #expect(file.state.stage == .investigating)
        file = try await city.village.cases.take(
            .init(.recordInvestigation, investigation: investigation), on: opened.caseID, after: 8, by: specialist)
        file = try await city.village.cases.take(.init(.recordAppraisal), on: opened.caseID, after: 9, by: specialist)
        try await city.sync()
        file = try await city.county.cases.take(.init(.startCheck), on: opened.caseID, after: 10, by: officer)
        file = try await city.county.cases.take(.init(.recordCheck), on: opened.caseID, after: 11, by: officer)
        try await city.sync()
        file = try await city.township.cases.take(.init(.recordReview), on: opened.caseID, after: 12, by: approver)
        try await city.sync()
        file = try await city.village.cases.take(.init(.postNotice), on: opened.caseID, after: 13, by: specialist)
        await #expect(throws: CaseRefusal.self) {
            try await city.village.cases.take(.init(.closeNotice), on: opened.caseID, after: 14, by: specialist)
        }
        city.advance(days: 9)
        file = try await city.village.cases.take(.init(.closeNotice), on: opened.caseID, after: 14, by: specialist)
        try await city.sync()

        // The county may not decide what the topology delegates to the township.
        await #expect(throws: CaseRefusal.self) {
            try await city.county.cases.take(
                .init(.decide, outcome: .enrol), on: opened.caseID, after: 15, by: officer)
        }
        file = try await city.township.cases.take(
            .init(.decide, outcome: .enrol), on: opened.caseID, after: 15, by: approver)
        let enrolment = try #require(file.timeline.last?.step.enrolment)
        #expect(enrolment.programme == .dibao)
        // 710 yuan standard in March 2026, minus 300 yuan income, for one person.
        #expect(enrolment.amount == Fen(41_000))
        #expect(enrolment.paymentFrom == "2026-04")
        #expect(enrolment.policyVersion.hasPrefix("2026.4"))
        try await city.sync()

        // The decision shows at the village, and the whole history at the city.
        let village = try #require(try await city.village.cases.file(opened.caseID))
        #expect(village.state.stage == .decided && village.state.outcome == .enrol)
        let atCity = try #require(try await city.city.cases.file(opened.caseID))
        #expect(atCity.timeline.filter(\.effective).count == 16)
        #expect(atCity.photos.count == 1 && atCity.photos[0].complete)
        let rows = try await city.city.database.casework.rows(ofCase: opened.caseID)
        #expect(CasePhotos.assemble(atCity.photos[0].sha256, caseID: opened.caseID, rows: rows)?.bytes == Self.photo)
        let summary = try #require(try await city.city.database.casework.summary(ofCase: opened.caseID))
        #expect(summary.closed && summary.stage == "decided" && summary.programme == "dibao")
        // The county's and the city's dashboards count the household as receiving dibao by the
        // decision (its record lists no enrolment), and the decision in this month's trend.
        for node in [city.county, city.city] {
            try await node.indexer.catchUp()
            let dashboard = try await node.dashboard.dashboard(of: node.database.owner.code, names: [:])
            let tiers = try #require(dashboard.figure("households"))
            let total = try #require(tiers.total)
            #expect(tiers.value("tier1.households", in: total) == 1)
            #expect(tiers.value("byDecision.households", in: total) == 1)
            let trend = try #require(dashboard.figure("trend"))
            let march = try #require(trend.rows.last)
            #expect(march.label == "2026年3月")
            #expect(trend.value("enrolled", in: march) == 1 && trend.value("receiving", in: march) == 1)
        }

        // A year on (stable income), the village opens the household's re-verification, once.
        #expect(try await city.village.reverification.schedule().isEmpty, "not due yet")
        city.advance(days: 366)
        let due = try await city.village.reverification.schedule()
        #expect(due.count == 1)
        #expect(try await city.village.reverification.schedule().isEmpty, "open already")
        let taskID = try #require(due.first)
        let task = try #require(try await city.village.cases.file(taskID))
        #expect(task.opened.kind == .reverification && task.state.stage == .investigating)
        #expect(task.programme == .dibao && task.household == "321281001001-000001")
        #expect(task.opened.channel == .system)
    }

    @Test func anOverdueStepIsEscalatedByTheLevelAboveAndANewCalendarMovesDeadlines() async throws {
        let city = try City()
        try await city.publishRules()
        _ = try await city.village.registration.register(try Self.household(), by: .commandLine)
        try await city.sync()
        let opened = try await city.village.cases.apply(
            CaseService.ApplicationRequest(
                applicant: CaseApplicant(name: "王建国", citizenID: Self.applicantID), situation: "生活困难"),
            by: .staff(try Self.staff(.villageSpecialist, "321281001001")))
        #expect(!opened.routed)
        try await city.sync()
        // Opened Monday 2 March: acceptance is due in 3 working days, on Thursday 5 March.
        var summary = try #require(try await city.township.database.casework.summary(ofCase: opened.caseID))
        #expect(summary.dueOn == (try CivilDate("2026-03-05")) && summary.holderLevel == .village)
        #expect(try await city.township.caseSweeper.sweep() == 0)
        city.advance(days: 4)
        #expect(try await city.village.caseSweeper.sweep() == 0, "a village has no level below it")
        #expect(try await city.township.caseSweeper.sweep() == 1)
        #expect(try await city.township.caseSweeper.sweep() == 0, "once")
        try await city.sync()
        summary = try #require(try await city.village.database.casework.summary(ofCase: opened.caseID))
        #expect(summary.escalated)
        let file = try #require(try await city.city.cases.file(opened.caseID))
        #expect(file.escalations.map(\.node) == ["321281001"])

        // The summary keeps the state the deadline was counted from. The village's is cleared,
        // as in a summary written before states were kept: that case is replayed instead.
        #expect(summary.state == file.state)
        try await city.village.database.casework.writer.write { db in
            try db.execute(sql: "UPDATE case_summary SET state = NULL")
        }

        // A corrected 2026 calendar with 4 March off moves the deadline of an open case to the
        // 6th, and the move is audited at every node that holds the case.
        let original = try String(contentsOf: Self.root.appending(path: "calendar/2026.yaml"), encoding: .utf8)
        let corrected =
            original.replacingOccurrences(of: "version: \"2026.1\"", with: "version: \"2026.2\"")
            + "  - name: 测试调整\n    off: [2026-03-04, 2026-03-04]\n"
        _ = try await city.city.caseRules.publishCalendar(text: corrected, file: "2026.yaml", by: .commandLine)
        try await city.sync()
        summary = try #require(try await city.village.database.casework.summary(ofCase: opened.caseID))
        #expect(summary.dueOn == (try CivilDate("2026-03-06")))
        let audit = try await city.village.database.operators.auditEntries(AuditQuery(limit: 50))
        #expect(audit.contains { $0.action == "casework.deadlineMoved" && $0.target == opened.caseID })
        #expect(summary.state != nil, "the replayed case keeps its state again")
        summary = try #require(try await city.township.database.casework.summary(ofCase: opened.caseID))
        #expect(summary.dueOn == (try CivilDate("2026-03-06")))
        let townshipAudit = try await city.township.database.operators.auditEntries(AuditQuery(limit: 50))
        #expect(townshipAudit.contains { $0.action == "casework.deadlineMoved" && $0.target == opened.caseID })
    }
}
