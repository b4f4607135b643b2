import Foundation
import HTTPTypes
import HummingbirdTesting
import JiuzhuDomain
import JiuzhuRegistry
import JiuzhuStorage
import NIOCore
import Testing

@testable import JiuzhuWeb

/// Households through the API: create at the village, change with versions, history,
/// profile, search, export, duplicates and the jurisdiction of each level.
@Suite struct RegistryAPITests {
    static let village = "321281001001"

    @Test func aVillageRegistersChangesAndReadsAHousehold() async throws {
        let fixture = try await OperatorFixture(node: Self.village)
        defer { fixture.close() }
        try await fixture.receivePolicy()
        try await fixture.test { client in
            let specialist = try await client.signIn(.villageSpecialist)
            let created = try await client.call(
                .post, "/api/v1/households", as: specialist, json: householdJSON(village: Self.village))
            #expect(created.status == .created, "\(created.text)")
            #expect(created.json?["id"] as? String == "\(Self.village)-000001")
            #expect(created.json?["version"] as? Int == 1)
            let id = "\(Self.village)-000001"

            let view = try #require(try await client.call(.get, "/api/v1/households/\(id)", as: specialist).json)
            let household = try #require(view["household"] as? [String: Any])
            let members = try #require(household["members"] as? [[String: Any]])
            #expect(members.first?["citizenID"] as? String == citizenID(born: "19580301", sequence: "011"), "full ID")
            let profile = try #require(view["profile"] as? [String: Any])
            #expect(profile["perCapitaIncome"] as? Int == 40000, "assistance income is not counted")
            let tags = (profile["tags"] as? [[String: Any]])?.compactMap { $0["tag"] as? String } ?? []
            #expect(
                Set(tags) == [
                    "seriousIllness", "severeDisability", "leftBehindChild", "unstableIncome", "highMedicalSpending",
                    "belowMonitoringLine",
                ])

            // A change needs the version it was made from; a stale one is refused.
            let body = #"{"version":1,"household":\#(householdJSON(village: Self.village, wages: 150000))}"#
            let updated = try await client.call(.put, "/api/v1/households/\(id)", as: specialist, json: body)
            #expect(updated.json?["version"] as? Int == 2, "\(updated.text)")
            let stale = try await client.call(.put, "/api/v1/households/\(id)", as: specialist, json: body)
            #expect(stale.status == .conflict)
            #expect((stale.json?["error"] as? String)?.contains("已被他人修改") == true)

            let history = try await client.call(.get, "/api/v1/households/\(id)/history", as: specialist)
            let versions = try #require(
                try JSONSerialization.jsonObject(with: Data(buffer: history.body)) as? [[String: Any]])
            #expect(versions.map { $0["version"] as? Int } == [1, 2])
            #expect(
                versions.allSatisfy {
                    $0["changedBy"] as? String == "villagespecialist" && $0["node"] as? String == Self.village
                })

            let person = try await client.call(
                .get, "/api/v1/people/\(citizenID(born: "20120615", sequence: "022"))", as: specialist)
            #expect(person.json?["households"] as? [String] == [id])
            #expect(
                (person.json?["assistance"] as? [[String: Any]])?.count == 1,
                "enrolment did not change between versions")

            // Search: income range, tags, ages, programme.
            func total(_ query: String) async throws -> Int? {
                try await client.call(.get, "/api/v1/search?\(query)", as: specialist).json?["total"] as? Int
            }
            #expect(try await total("") == 1)
            #expect(try await total("minIncome=700&maxIncome=800") == 1)
            #expect(try await total("maxIncome=699.99") == 0)
            #expect(try await total("tag=severeDisability&programme=dibao") == 1)
            #expect(try await total("tag=elderlyAlone") == 0)
            #expect(try await total("minAge=60&maxGrade=2&illness=true") == 1)
            #expect(try await total("maxAge=10") == 0)
            #expect(try await total("maxAge=14") == 1)
            let bad = try await client.call(.get, "/api/v1/search?tag=rich", as: specialist)
            #expect(bad.status == .badRequest)
            #expect(bad.json?["field"] as? String == "tag")

            let csv = try await client.call(.get, "/api/v1/search.csv?tag=severeDisability", as: specialist)
            let bytes = Array(buffer: csv.body)
            #expect(bytes.starts(with: [0xEF, 0xBB, 0xBF]), "a BOM, so Excel reads UTF-8")
            let text = String(decoding: bytes.dropFirst(3), as: UTF8.self)
            #expect(text.hasPrefix("户编号,村居代码,地址"))
            #expect(text.contains("王小丽"))

            // The auditor reads no personal data.
            let auditor = try await client.signIn(.auditor)
            #expect(try await client.call(.get, "/api/v1/households/\(id)", as: auditor).status == .forbidden)
        }
    }

    static let samePersonTwice = #"""
        {"village":"321281001001","address":"海池社区 8 号","registration":"urban","members":[
          {"citizenID":"\#(citizenID(born: "19580301", sequence: "011"))","name":"王建国","sex":"male","birthDate":"1958-03-01","relation":"applicant"},
          {"citizenID":"\#(citizenID(born: "19580301", sequence: "011"))","name":"王建国","sex":"male","birthDate":"1958-03-01","relation":"spouse"}]}
        """#

    @Test(arguments: [
        (householdJSON(village: village, applicant: "321281195803010110"), "members[0].citizenID"),
        (
            householdJSON(village: village, applicant: citizenID(born: "19580302", sequence: "011")),
            "members[0].birthDate"
        ),
        (householdJSON(village: village, applicant: citizenID(born: "19580301", sequence: "012")), "members[0].sex"),
        (
            householdJSON(village: village, applicant: citizenID(born: "20990301", sequence: "011")),
            "members[0].citizenID"
        ),
        (samePersonTwice, "members[1].citizenID"),
        (householdJSON(village: village, wages: -1), "incomes[0].monthly"),
        (householdJSON(village: village, extra: #","pets":2"#), "pets"),
        (householdJSON(village: "321281001"), "village"),
        (householdJSON(village: "321281001002"), "village"),
    ])
    func badHouseholdsAreRefusedNamingTheField(body: String, field: String) async throws {
        let fixture = try await OperatorFixture(node: Self.village)
        defer { fixture.close() }
        try await fixture.test { client in
            let specialist = try await client.signIn(.villageSpecialist)
            let response = try await client.call(.post, "/api/v1/households", as: specialist, json: body)
            #expect(response.status == .badRequest, "\(response.text)")
            #expect(response.json?["field"] as? String == field, "\(response.text)")
            #expect(
                try await fixture.database.registry.nextHouseholdKey(at: try DivisionCode(Self.village))
                    == "\(Self.village)-000001")
        }
    }

    /// Two villages' households replicated into their township and into the city.
    @Test func duplicatesAreFoundWhereBothHouseholdsMeetAndEachLevelSeesOnlyItsOwn() async throws {
        let shared = citizenID(born: "20120615", sequence: "022")
        var changes: [Change] = []
        for (village, applicant) in [("321281001001", "011"), ("321281001002", "033")] {
            let fixture = try await OperatorFixture(node: village)
            defer { fixture.close() }
            try await fixture.receivePolicy()
            try await fixture.test { client in
                let specialist = try await client.signIn(.villageSpecialist)
                let created = try await client.call(
                    .post, "/api/v1/households", as: specialist,
                    json: householdJSON(
                        village: village, applicant: citizenID(born: "19580301", sequence: applicant), child: shared))
                #expect(created.status == .created, "\(created.text)")
            }
            // The village's own view finds no duplicate: it holds only one of the two.
            #expect(try await fixture.database.registry.duplicateRegistrations().isEmpty)
            changes += try await fixture.database.changeLog.logEntries(origin: fixture.node.code, channel: .registry)
                .map(
                    \.change)
        }
        for node in ["321281001", "321200"] {
            let fixture = try await OperatorFixture(node: node)
            defer { fixture.close() }
            try await fixture.receivePolicy()
            _ = try await fixture.database.changeLog.applyFromChild(changes, channel: .registry)
            try await fixture.context.services.indexer.catchUp()
            try await fixture.test { client in
                let role: OperatorRole = node == "321200" ? .cityAnalyst : .townshipClerk
                let reader = try await client.signIn(role)
                let duplicates = try await client.call(.get, "/api/v1/duplicates", as: reader)
                let found = try #require(
                    try JSONSerialization.jsonObject(with: Data(buffer: duplicates.body)) as? [[String: Any]])
                #expect(found.count == 1)
                #expect(found.first?["households"] as? [String] == ["321281001001-000001", "321281001002-000001"])
                let shown = found.first?["citizenID"] as? String
                #expect(
                    shown == (role == .cityAnalyst ? CitizenIDMask.masked(shared) : shared), "masked for the analyst")
                let view = try await client.call(.get, "/api/v1/households/321281001001-000001", as: reader)
                #expect((view.json?["alsoRegisteredIn"] as? [[String: Any]])?.count == 1)
                #expect(
                    try await client.call(.get, "/api/v1/search?division=321281001002", as: reader).json?["total"]
                        as? Int == 1)
                // The same, as pages.
                let cookie: HTTPFields = [.cookie: reader.cookie]
                let page = try await client.execute(
                    uri: "/households/321281001001-000001", method: .get, headers: cookie)
                #expect(page.status == .ok)
                #expect(page.text.contains("同时登记在"))
                #expect(page.text.contains("低于监测线"), "the profile with its reasons")
                #expect(page.text.contains("政府救助金和补贴 每月 300.00元（按政策不计入收入）"))
                let search = try await client.execute(uri: "/search?tag=leftBehindChild", method: .get, headers: cookie)
                #expect(search.text.contains("共 2 户"))
                let duplicatesPage = try await client.execute(uri: "/duplicates", method: .get, headers: cookie)
                #expect(duplicatesPage.text.contains("本节点共发现 1 人"))
                if node == "321281001" {
                    // Another township of the same county is out of reach, by search and by number.
                    let other = try await client.call(.get, "/api/v1/search?division=321281100", as: reader)
                    #expect(other.status == .forbidden)
                    let theirs = try await client.call(.get, "/api/v1/households/321281100201-000001", as: reader)
                    #expect(theirs.status == .forbidden)
                    // And this township cannot register a household: the village owns it.
                    let create = try await client.call(
                        .post, "/api/v1/households", as: reader, json: householdJSON(village: "321281001001"))
                    #expect(create.status == .badRequest)
                }
            }
        }
    }

    @Test func aSpecialistRegistersAHouseholdWithTheForm() async throws {
        let fixture = try await OperatorFixture(node: Self.village)
        defer { fixture.close() }
        try await fixture.receivePolicy()
        try await fixture.test { client in
            let specialist = try await client.signIn(.villageSpecialist)
            let headers: HTTPFields = [.cookie: specialist.cookie, .contentType: "application/x-www-form-urlencoded"]
            let page = try await client.execute(
                uri: "/households/new", method: .get, headers: [.cookie: specialist.cookie])
            #expect(page.status == .ok)
            let applicant = citizenID(born: "19480101", sequence: "031")
            let bad = try await client.execute(
                uri: "/households/new", method: .post, headers: headers,
                body: ByteBuffer(
                    string: "_csrf=\(specialist.csrf)&address=董北村&m0.name=赵大爷&m0.citizenID=\(applicant.dropLast())0"))
            #expect(bad.status == .badRequest)
            #expect(bad.text.contains("第 1 位成员公民身份号码"))
            #expect(bad.text.contains("value=\"赵大爷\""), "the form comes back as typed")
            let good = try await client.execute(
                uri: "/households/new", method: .post, headers: headers,
                body: ByteBuffer(
                    string:
                        "_csrf=\(specialist.csrf)&address=董北村&registration=rural&m0.name=赵大爷&m0.citizenID=\(applicant)"
                        + "&m0.relation=applicant&m0.unableToWork=on&m0.category=intellectual&m0.grade=3"
                        + "&income.pensionBase=150&enrol.extremePoverty=on"))
            #expect(good.status == .seeOther, "\(good.text)")
            #expect(good.headers[.location] == "/households/\(Self.village)-000001")
            let view = try await client.execute(
                uri: "/households/\(Self.village)-000001", method: .get, headers: [.cookie: specialist.cookie])
            #expect(view.text.contains("独居老人"))
            #expect(view.text.contains("特困人员救助供养"))
            #expect(view.text.contains("智力残疾 3 级"), "the category chosen is the category stored")
        }
    }
}
