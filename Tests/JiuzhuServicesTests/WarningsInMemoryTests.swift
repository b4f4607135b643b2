import Foundation
import JiuzhuDomain
import JiuzhuPolicy
import JiuzhuRegistry
import JiuzhuServices
import Testing

@testable import JiuzhuStorage

/// The warning platform over the in-memory city: department records at the city, each rule
/// firing and not at its threshold, the same fact never twice, and a warning verified at the
/// village.
@Suite struct WarningsInMemoryTests {
    typealias City = CaseworkInMemoryTests.City

    static func id(_ born: String, _ sequence: String) -> String {
        CaseworkInMemoryTests.citizenID(born: born, sequence: sequence)
    }

    static let head = id("19800301", "011")
    static let spouse = id("19820505", "022")
    static let child = childID("2010-03-10")

    static func childID(_ born: String) -> String { id(born.replacingOccurrences(of: "-", with: ""), "033") }

    /// A couple and a child, enrolled in `enrolments` by the register, with `wages` a month.
    static func family(enrolments: [String] = ["dibao"], wages: Int = 30_000, childBorn: String = "2010-03-10")
        throws -> HouseholdRecord
    {
        try HouseholdRecord(
            json: Data(
                """
                {"village":"321281001001","address":"兴化市昭阳街道海池社区 9 号","registration":"urban",
                 "members":[{"citizenID":"\(head)","name":"王建国","sex":"male",
                   "birthDate":"1980-03-01","relation":"applicant","seriousIllness":false,"ableToWork":true},
                  {"citizenID":"\(spouse)","name":"李秀英","sex":"female",
                   "birthDate":"1982-05-05","relation":"spouse","seriousIllness":false,"ableToWork":false},
                  {"citizenID":"\(childID(childBorn))","name":"王小明","sex":"male",
                   "birthDate":"\(childBorn)","relation":"child","seriousIllness":false,"ableToWork":false}],
                 "incomes":[{"type":"wages","monthly":\(wages),"declaredOn":"2026-02-01"}],
                 "enrolments":\(enrolments)}
                """.utf8))
    }

    /// The city with the rules published and `record` registered at the village.
    static func city(_ record: HouseholdRecord) async throws -> City {
        let city = try City()
        try await city.publishRules()
        _ = try await city.village.registration.register(record, by: .commandLine)
        try await city.village.indexer.catchUp()
        try await city.sync()
        try await city.city.indexer.catchUp()
        return city
    }

    static func record(
        _ feed: DepartmentFeed, _ recordID: String, _ citizenID: String, _ date: String, _ facts: FeedFacts
    ) throws -> FeedRecord {
        FeedRecord(feed: feed, recordID: recordID, citizenID: citizenID, date: try CivilDate(date), facts: facts)
    }

    static func importing(_ records: [FeedRecord], at city: City) async throws -> WarningService.FeedImported {
        try await city.city.warnings.importFeed(
            records, feed: records[0].feed, source: "测试", by: .commandLine)
    }

    static func open(_ rule: WarningRule, at node: NodeServices) async throws -> [WarningIndexRow] {
        try await node.warnings.list(
            WarningQuery(within: node.database.owner.code, status: "open", rule: rule.rawValue))
    }

    // MARK: Rules at their thresholds

    @Test func aDeathWarnsOnlyForARecipientHousehold() async throws {
        let city = try await Self.city(try Self.family())
        let death = try Self.record(.deaths, "GA-1", Self.spouse, "2026-02-20", .death(certificate: "死证001"))
        let imported = try await Self.importing([death], at: city)
        #expect(imported.matched == 1 && imported.raised.new == 1)
        let warning = try #require(try await Self.open(.death, at: city.city).first)
        #expect(warning.village == "321281001001" && warning.person == Self.spouse)
        let view = try #require(try await city.city.warnings.view(warning.key))
        #expect(view.warning.evidence.records == [death], "the department record travels as evidence")
        let due = try CivilDate("2026-03-05")
        #expect(view.warning.dueOn == due, "3 working days after 2 March 2026")
        #expect(view.warning.action == .deathRecheck)
        // The city's dashboard counts it under its county and its rule, open for under 3 days.
        let dashboard = try await city.city.dashboard.dashboard(of: try DivisionCode("321200"), names: [:])
        let byDivision = try #require(dashboard.figure("warnings"))
        let county = try #require(byDivision.rows.first { $0.division?.digits == "321281" })
        #expect(byDivision.value("open", in: county) == 1 && byDivision.value("overdue", in: county) == 0)
        let byRule = try #require(dashboard.figure("warningRules"))
        let deaths = try #require(byRule.rows.first { $0.code == "death" })
        #expect(byRule.value("open.3 天内", in: deaths) == 1)

        let other = try await Self.city(try Self.family(enrolments: []))
        let quiet = try await Self.importing([death], at: other)
        #expect(quiet.matched == 1 && quiet.raised.new == 0, "a household that receives nothing is not warned")
    }

    @Test func wagesWarnOnlyWhenTheyLiftTheHouseholdOverTheLine() async throws {
        // Dibao standard 710 yuan: three people under 2,130 a month qualify.
        let city = try await Self.city(try Self.family())
        let under = try Self.record(
            .employment, "RS-1", Self.head, "2026-02-01",
            .employment(employer: "兴化市某厂", monthlyWage: Fen(200_000), contributionBase: nil))
        #expect(
            try await Self.importing([under], at: city).raised.new == 0, "2,000 yuan for three stays under the line")
        let over = try Self.record(
            .employment, "RS-2", Self.head, "2026-02-01",
            .employment(employer: "兴化市某厂", monthlyWage: Fen(220_000), contributionBase: Fen(220_000)))
        #expect(try await Self.importing([over], at: city).raised.new == 1)
        let warning = try #require(try await Self.open(.employmentIncome, at: city.city).first)
        let view = try #require(try await city.city.warnings.view(warning.key))
        #expect(view.warning.programmes == [.dibao])
        #expect(view.warning.evidence.parameters.contains { $0.key == .dibaoStandard })
        #expect(view.warning.evidence.records.count == 2, "both wages of the month are the evidence")
    }

    @Test func aRuleWithPeriodsStaysQuietWhileAnotherPeriodsWarningStands() async throws {
        let city = try await Self.city(try Self.family())
        func wages(_ recordID: String, _ month: String) throws -> FeedRecord {
            try Self.record(
                .employment, recordID, Self.head, month,
                .employment(employer: "兴化市某厂", monthlyWage: Fen(260_000), contributionBase: nil))
        }
        #expect(try await Self.importing([try wages("RS-1", "2025-12-01")], at: city).raised.new == 1)
        let january = try await Self.importing([try wages("RS-2", "2026-01-01")], at: city).raised
        #expect(january.new == 0 && january.suppressed == 1, "December's open warning speaks for the household")
        try await city.sync()
        let december = try #require(try await Self.open(.employmentIncome, at: city.village).first)
        let specialist = try CaseworkInMemoryTests.staff(.villageSpecialist, "321281001001")
        _ = try await city.village.warnings.verify(
            december.key, .init(outcome: .dismissed, reason: .notTrue, note: "该月工资为代发"), by: specialist)
        try await city.sync()
        let february = try await Self.importing([try wages("RS-3", "2026-02-01")], at: city).raised
        #expect(february.new == 1 && february.suppressed == 0, "a dismissed warning keeps nothing quiet")
    }

    @Test func medicalSpendingWarnsAHouseholdNotInAssistanceOverTheLine() async throws {
        // The line is 20,000 yuan over 12 months.
        let city = try await Self.city(try Self.family(enrolments: []))
        let first = try Self.record(
            .medical, "YB-1", Self.spouse, "2026-01-10",
            .medical(totalCost: Fen(3_000_000), outOfPocket: Fen(1_500_000), seriousIllness: false, diagnosis: nil))
        let atLine = try Self.record(
            .medical, "YB-2", Self.head, "2026-02-10",
            .medical(totalCost: Fen(1_000_000), outOfPocket: Fen(500_000), seriousIllness: false, diagnosis: nil))
        #expect(try await Self.importing([first, atLine], at: city).raised.new == 0, "exactly at the line")
        let over = try Self.record(
            .medical, "YB-3", Self.head, "2026-02-20",
            .medical(totalCost: Fen(100), outOfPocket: Fen(1), seriousIllness: false, diagnosis: nil))
        #expect(try await Self.importing([over], at: city).raised.new == 1)
        let warning = try #require(try await Self.open(.medicalExpense, at: city.city).first)
        #expect(try await city.city.warnings.view(warning.key)?.warning.action == .application)
    }

    @Test func aSevereDisabilityWarnsAndAMildOneDoesNot() async throws {
        let city = try await Self.city(try Self.family())
        let mild = try Self.record(
            .disability, "CL-1", Self.spouse, "2026-02-01", .disability(category: .physical, grade: 3))
        #expect(try await Self.importing([mild], at: city).raised.new == 0, "grade 3 is not severe (maximum 2)")
        let severe = try Self.record(
            .disability, "CL-2", Self.spouse, "2026-02-02", .disability(category: .physical, grade: 2))
        #expect(try await Self.importing([severe], at: city).raised.new == 1)
    }

    @Test func leavingSchoolPastTheMinorAgeWarnsForAChildsProgramme() async throws {
        let city = try await Self.city(try Self.family(enrolments: ["orphan"], childBorn: "2010-02-01"))
        let child = Self.childID("2010-02-01")
        let young = try Self.record(
            .schooling, "JY-1", child, "2026-01-31", .schooling(event: .graduated, level: .juniorSecondary, school: nil)
        )
        #expect(try await Self.importing([young], at: city).raised.new == 0, "15 on the day")
        let enrolled = try Self.record(
            .schooling, "JY-2", child, "2026-02-01", .schooling(event: .enrolled, level: .seniorSecondary, school: nil))
        #expect(try await Self.importing([enrolled], at: city).raised.new == 0, "enrolling changes nothing")
        let left = try Self.record(
            .schooling, "JY-3", child, "2026-02-01", .schooling(event: .left, level: .seniorSecondary, school: nil))
        #expect(try await Self.importing([left], at: city).raised.new == 1, "16 on the day")
    }

    @Test func assetsWarnOverWhatIsAllowed() async throws {
        let city = try await Self.city(try Self.family())
        let home = try Self.record(
            .property, "ZJ-1", Self.head, "2026-01-05", .property(kind: .dwelling, description: "住房", value: nil))
        #expect(try await Self.importing([home], at: city).raised.new == 0, "one dwelling is allowed")
        let second = try Self.record(
            .property, "ZJ-2", Self.spouse, "2026-01-06", .property(kind: .dwelling, description: "住房", value: nil))
        #expect(try await Self.importing([second], at: city).raised.new == 1)
        let car = try Self.record(
            .property, "GA-C1", Self.head, "2026-01-07",
            .property(kind: .vehicle, description: "小型轿车", value: Fen(5_000_000)))
        #expect(try await Self.importing([car], at: city).raised.new == 1, "no vehicle is allowed")
        let closed = try Self.record(
            .business, "SC-1", Self.head, "2026-01-08", .business(name: "某小店", registeredCapital: nil, active: false))
        #expect(try await Self.importing([closed], at: city).raised.new == 0)
        let active = try Self.record(
            .business, "SC-2", Self.head, "2026-01-08", .business(name: "某小店", registeredCapital: nil, active: true))
        #expect(try await Self.importing([active], at: city).raised.new == 1)
    }

    @Test func aDisasterWarnsOncePerHouseholdAndEvent() async throws {
        let city = try await Self.city(try Self.family(enrolments: []))
        let records = try [Self.head, Self.spouse].enumerated().map { index, person in
            try Self.record(
                .disaster, "YJ-\(index)", person, "2026-02-15", .disaster(event: "2026-洪-01", kind: "洪涝", loss: nil))
        }
        let imported = try await Self.importing(records, at: city)
        #expect(imported.raised.new == 1 && imported.raised.updated == 0, "two members, one household, one event")
        let stranger = try Self.record(
            .disaster, "YJ-9", Self.id("19700101", "099"), "2026-02-15",
            .disaster(event: "2026-洪-01", kind: "洪涝", loss: nil))
        #expect(try await Self.importing([stranger], at: city).matched == 0, "nobody registered holds the person")
    }

    // MARK: The same fact once

    @Test func theSameFileTwiceChangesNothingAndADismissedWarningReturnsOnlyWithNewEvidence() async throws {
        let city = try await Self.city(try Self.family())
        let car = try Self.record(
            .property, "GA-C1", Self.head, "2026-01-07", .property(kind: .vehicle, description: "小型轿车", value: nil))
        #expect(try await Self.importing([car], at: city).raised.new == 1)
        let again = try await Self.importing([car], at: city)
        #expect(again.unchanged == 1 && again.added == 0 && again.raised.wroteNothing, "a replayed file raises nothing")
        #expect(try await city.city.warnings.sweep().raised.new == 0)
        try await city.sync()

        let warning = try #require(try await Self.open(.assetRegistration, at: city.village).first)
        let specialist = try CaseworkInMemoryTests.staff(.villageSpecialist, "321281001001")
        _ = try await city.village.warnings.verify(
            warning.key, .init(outcome: .dismissed, reason: .noEffect, note: "车辆为残疾人代步车"), by: specialist)
        try await city.sync()
        #expect(try await city.city.warnings.view(warning.key)?.status == "dismissed", "the answer flows up")

        // The same record again: still dismissed. A second vehicle: new evidence, raised again.
        #expect(try await Self.importing([car], at: city).raised.wroteNothing)
        let second = try Self.record(
            .property, "GA-C2", Self.spouse, "2026-02-07", .property(kind: .vehicle, description: "货车", value: nil))
        let raised = try await Self.importing([second], at: city).raised
        #expect(raised.raisedAgain == 1 && raised.new == 0)
        let view = try #require(try await city.city.warnings.view(warning.key))
        #expect(view.status == "open" && view.warning.generation == 2)
    }

    @Test func recordsAnImportStoredButDidNotRunAreTakenUpOnceItHasStopped() async throws {
        let city = try await Self.city(try Self.family())
        let death = try Self.record(.deaths, "GA-1", Self.spouse, "2026-02-20", .death(certificate: nil))
        _ = try await city.city.warnings.sweep()  // the household's arrival looked at
        // Stored as an import stores them, and the import stops before the rules run.
        _ = try await city.city.database.warnings.store(
            [
                StoredFeedRecord(
                    feed: death.feed.rawValue, recordID: death.recordID, citizenID: death.citizenID,
                    date: death.date.ordinal, payload: death.canonicalJSON(), contentHash: death.contentHash)
            ],
            audit: { _ in
                AuditRecord(
                    actor: "测试", role: "", action: "feeds.import", target: "deaths", outcome: .allowed, detail: "测试")
            }
        )
        let meanwhile = try await city.city.warnings.sweep()
        #expect(meanwhile.recordsTakenUp == 0 && meanwhile.raised.wroteNothing, "an import under way is left to finish")
        city.time.advance(seconds: Double(WarningService.unfinishedImportAge / 1000) + 1)
        let pass = try await city.city.warnings.sweep()
        #expect(pass.recordsTakenUp == 1 && pass.raised.new == 1)
        #expect(try await city.city.warnings.sweep().recordsTakenUp == 0, "taken up once")
    }

    @Test func onlyRecordsAboutRegisteredPeopleWaitForTheirRules() async throws {
        let city = try await Self.city(try Self.family())
        let stranger = Self.id("19700707", "051")
        func death(_ recordID: String, _ citizenID: String, certificate: String) throws -> StoredFeedRecord {
            let record = try Self.record(.deaths, recordID, citizenID, "2026-02-20", .death(certificate: certificate))
            return StoredFeedRecord(
                feed: record.feed.rawValue, recordID: record.recordID, citizenID: record.citizenID,
                date: record.date.ordinal, payload: record.canonicalJSON(), contentHash: record.contentHash)
        }
        func store(_ records: [StoredFeedRecord]) async throws -> FeedStoreOutcome {
            try await city.city.database.warnings.store(
                records,
                audit: { _ in
                    AuditRecord(
                        actor: "测试", role: "", action: "feeds.import", target: "deaths", outcome: .allowed,
                        detail: "测试")
                })
        }
        let first = try await store([
            try death("GA-1", Self.spouse, certificate: "死证001"), try death("GA-2", stranger, certificate: "死证002"),
        ])
        #expect(first.added.count == 2 && first.pending.map(\.recordID) == ["GA-1"])
        let waiting = try await city.city.database.warnings.pendingFeedRecords(receivedBy: .max, limit: 10)
        #expect(waiting.map(\.recordID) == ["GA-1"], "a record about nobody registered has no rule to wait for")

        // Changed: the stranger's record is replaced and still waits for nothing; the
        // spouse's waits again.
        let changed = try await store([
            try death("GA-1", Self.spouse, certificate: "死证001-补"), try death("GA-2", stranger, certificate: "死证002-补"),
            try death("GA-3", stranger, certificate: "死证003"),
        ])
        #expect(changed.changed.count == 2 && changed.added.count == 1 && changed.unchanged == 0)
        #expect(changed.pending.map(\.recordID) == ["GA-1"])
        let same = try await store([try death("GA-2", stranger, certificate: "死证002-补")])
        #expect(same.unchanged == 1 && same.pending.isEmpty && same.changed.isEmpty)
        let held = try await city.city.database.warnings.feedRecords(about: [stranger], feeds: [])
        #expect(held.map(\.recordID) == ["GA-2", "GA-3"] && held[0].payload.contains("死证002-补"))
    }

    @Test func aRecordConcernsOnlyHouseholdsItsRulesCanWarn() throws {
        func concerns(_ facts: FeedFacts, _ received: [Programme]) throws -> Bool {
            FeedRules.mayConcern(try Self.record(.deaths, "X-1", Self.head, "2026-02-01", facts), receiving: received)
        }
        let wage = FeedFacts.employment(employer: "某厂", monthlyWage: Fen(300_000), contributionBase: nil)
        #expect(try concerns(wage, [.dibao]) && !(try concerns(wage, [.orphan])) && !(try concerns(wage, [])))
        #expect(try concerns(.death(certificate: nil), [.orphan]) && !(try concerns(.death(certificate: nil), [])))
        let spending = FeedFacts.medical(
            totalCost: Fen(100), outOfPocket: Fen(100), seriousIllness: false, diagnosis: nil)
        let serious = FeedFacts.medical(
            totalCost: Fen(100), outOfPocket: Fen(100), seriousIllness: true, diagnosis: nil)
        #expect(
            try concerns(spending, []) && !(try concerns(spending, [.dibao])), "expenses: households in no programme")
        #expect(try concerns(serious, [.dibao]), "a serious illness concerns any household")
        #expect(try concerns(.disability(category: .physical, grade: 1), []))
        #expect(try concerns(.schooling(event: .left, level: .seniorSecondary, school: nil), [.orphan]))
        #expect(!(try concerns(.schooling(event: .enrolled, level: .seniorSecondary, school: nil), [.orphan])))
        #expect(!(try concerns(.schooling(event: .left, level: .seniorSecondary, school: nil), [.dibao])))
        #expect(try concerns(.business(name: "某店", registeredCapital: nil, active: true), [.dibao]))
        #expect(!(try concerns(.business(name: "某店", registeredCapital: nil, active: false), [.dibao])))
        #expect(try concerns(.disaster(event: "台风", kind: "风灾", loss: nil), []))
    }

    @Test func aRecordReceivedBeforeItsHouseholdWarnsWhenTheHouseholdArrives() async throws {
        let city = try City()
        try await city.publishRules()
        let death = try Self.record(.deaths, "GA-1", Self.spouse, "2026-02-20", .death(certificate: nil))
        #expect(try await Self.importing([death], at: city).matched == 0, "nobody holds the person yet")
        _ = try await city.village.registration.register(try Self.family(), by: .commandLine)
        try await city.sync()
        try await city.city.indexer.catchUp()
        #expect(try await city.city.warnings.sweep().raised.new == 1)
        #expect(try await Self.open(.death, at: city.city).first?.person == Self.spouse)
        #expect(try await city.city.warnings.sweep().raised.wroteNothing, "looked at once")
    }

    // MARK: Verification

    @Test func aConfirmedDeathOpensTheRecheckAtTheVillageAndTheAnswerFlowsUp() async throws {
        let city = try await Self.city(try Self.family())
        let death = try Self.record(.deaths, "WJ-1", Self.spouse, "2026-02-20", .death(certificate: nil))
        _ = try await Self.importing([death], at: city)
        try await city.sync()
        let warning = try #require(try await Self.open(.death, at: city.village).first)
        #expect(try await Self.open(.death, at: city.county).count == 1, "the county holds a copy")

        let clerk = try CaseworkInMemoryTests.staff(.townshipClerk, "321281001")
        await #expect(throws: InputError.self, "only the village verifies") {
            try await city.township.warnings.verify(warning.key, .init(outcome: .confirmed), by: clerk)
        }
        let specialist = try CaseworkInMemoryTests.staff(.villageSpecialist, "321281001001")
        let noReason = await #expect(throws: InputError.self) {
            try await city.village.warnings.verify(warning.key, .init(outcome: .dismissed), by: specialist)
        }
        #expect(noReason?.field == "reason")
        let verified = try await city.village.warnings.verify(warning.key, .init(outcome: .confirmed), by: specialist)
        #expect(verified.caseIDs.count == 1 && verified.message.contains("暂停发放"))
        let recheck = try #require(try await city.village.cases.file(verified.caseIDs[0]))
        #expect(recheck.opened.kind == .deathRecheck && recheck.opened.deaths?.first?.citizenID == Self.spouse)
        await #expect(throws: InputError.self, "verified once") {
            try await city.village.warnings.verify(warning.key, .init(outcome: .confirmed), by: specialist)
        }
        try await city.sync()
        #expect(try await city.city.warnings.view(warning.key)?.verification?.caseIDs == verified.caseIDs)
        let outcomes = try await city.city.warnings.outcomes()
        #expect(
            outcomes.map { "\($0.rule.rawValue) \($0.month) \($0.confirmed)/\($0.dismissed)" } == ["death 2026-03 1/0"])
    }

    // MARK: The sweep

    @Test func theSweepFindsAgeCrossingsIncomesFallingUnderTheMonitoringLineAndDuplicates() async throws {
        // The child turns 16 on 1 March 2026, the day before the city's today.
        let city = try await Self.city(try Self.family(enrolments: ["dibao"], childBorn: "2010-03-01"))
        func single(_ address: String, _ id: String, _ born: String, wages: Int) throws -> HouseholdRecord {
            try HouseholdRecord(
                json: Data(
                    """
                    {"village":"321281001001","address":"兴化市昭阳街道海池社区 \(address) 号","registration":"urban",
                     "members":[{"citizenID":"\(id)","name":"赵\(address)","sex":"male",
                       "birthDate":"\(born)","relation":"applicant","seriousIllness":false,"ableToWork":true}],
                     "incomes":[{"type":"wages","monthly":\(wages),"declaredOn":"2026-02-01"}],"enrolments":[]}
                    """.utf8))
        }
        // Two households above the monitoring line (8,160 yuan a year: 680 a month) when first seen.
        let falling = try single("10", Self.id("19600101", "043"), "1960-01-01", wages: 70_000)
        let toTheLine = try single("11", Self.id("19610101", "055"), "1961-01-01", wages: 70_000)
        // The head listed again in a second recipient household elsewhere in the village.
        var twice = try Self.family(enrolments: ["dibao"])
        twice.address = "兴化市昭阳街道海池社区 12 号"
        twice.members = [twice.members[0]]
        var keys: [String] = []
        for record in [falling, toTheLine, twice] {
            keys.append(try await city.village.registration.register(record, by: .commandLine).id)
        }
        func arrive() async throws {
            try await city.village.indexer.catchUp()
            try await city.sync()
            try await city.city.indexer.catchUp()
        }
        try await arrive()

        let pass = try await city.city.warnings.sweep()
        #expect(try await Self.open(.ageCrossing, at: city.city).map(\.person) == [Self.childID("2010-03-01")])
        #expect(try await Self.open(.duplicateAssistance, at: city.city).count == 2, "one per household")
        #expect(pass.raised.new == 3)
        #expect(try await Self.open(.monitoringIncome, at: city.city).isEmpty, "above the line when first seen")
        #expect(try await city.city.warnings.sweep().raised.wroteNothing, "a second pass finds the same facts")

        // One income falls to 679 yuan a month, the other to exactly 680.
        for (key, wages) in [(keys[0], 67_900), (keys[1], 68_000)] {
            let held = try #require(try await city.village.database.registry.household(key))
            var record = try HouseholdRecord(json: Data(held.payload.utf8))
            record.incomes[0].monthly = Fen(Int64(wages))
            _ = try await city.village.registration.change(
                id: key, to: record, version: held.sequence, by: .commandLine)
        }
        try await arrive()
        #expect(try await city.city.warnings.sweep().raised.new == 1)
        let monitored = try await Self.open(.monitoringIncome, at: city.city)
        #expect(monitored.map(\.household) == [keys[0]], "679 yuan a month is under 8,160 a year; 680 is not")
        #expect(try await city.city.warnings.sweep().raised.wroteNothing, "warned once, not every pass")

        let dryRun = try await city.city.warnings.dryRun(.ageCrossing)
        #expect(dryRun.total == 1 && dryRun.new == 0 && dryRun.byCounty == ["321281": 1])
    }

    @Test func anOverdueWarningGoesUpALevel() async throws {
        let city = try await Self.city(try Self.family())
        _ = try await Self.importing(
            [try Self.record(.deaths, "GA-1", Self.spouse, "2026-02-20", .death(certificate: nil))], at: city)
        let warning = try #require(try await Self.open(.death, at: city.city).first)
        #expect(try await city.city.warnings.sweep().escalated == 0, "not due yet")
        city.advance(days: 4)  // Friday 6 March: past Thursday's deadline
        #expect(try await city.city.warnings.sweep().escalated == 1)
        let view = try #require(try await city.city.warnings.view(warning.key))
        let due = try CivilDate("2026-03-11")
        #expect(view.warning.escalation == .township && view.warning.dueOn == due)
        #expect(try await city.city.warnings.sweep().escalated == 0, "once per deadline")
    }
}
