import Foundation
import HTTPTypes
import HummingbirdTesting
import JiuzhuDomain
import JiuzhuPolicy
import JiuzhuRegistry
import JiuzhuStorage
import NIOCore
import Testing

@testable import JiuzhuWeb

/// A masked citizen ID hides exactly its eight birth-date digits, so a role without full IDs
/// must not see the birth date beside it (it sees an age), and an auditor, who reads no
/// personal data, sees the IDs in audit targets masked.
@Suite struct PersonalDataMaskingTests {
    static let village = "321281001001"
    static let household = "321281001001-000001"
    static let applicant = citizenID(born: "19580301", sequence: "011")
    static let child = citizenID(born: "20120615", sequence: "022")
    static let birthDates = ["1958-03-01", "2012-06-15", "19580301", "20120615"]

    /// Completed years today of someone born on `month`/`day` of `year`, counted here, not by the code under test.
    static func age(born year: Int, _ month: Int, _ day: Int) -> Int {
        let today = NodeClock.system.today()
        return today.year - year - ((today.month, today.day) < (month, day) ? 1 : 0)
    }

    /// The household registered at its village through the API, as the village's log holds it.
    static func registeredAtTheVillage() async throws -> [Change] {
        let fixture = try await OperatorFixture(node: village)
        defer { fixture.close() }
        try await fixture.receivePolicy()
        try await fixture.test { client in
            let specialist = try await client.signIn(.villageSpecialist)
            let created = try await client.call(
                .post, "/api/v1/households", as: specialist, json: householdJSON(village: village))
            try #require(created.status == .created, "\(created.text)")
            // A role with full IDs sees the birth dates: what the analyst's views must leave out is there.
            let page = try await client.execute(
                uri: "/households/\(household)", method: .get, headers: [.cookie: specialist.cookie])
            #expect(page.text.contains("<td>1958-03-01</td>"))
            #expect(page.text.contains(applicant))
            let view = try await client.call(.get, "/api/v1/households/\(household)", as: specialist)
            #expect(view.text.contains(#""birthDate":"1958-03-01""#))
        }
        return try await fixture.database.changeLog.logEntries(origin: fixture.node.code, channel: .registry).map(
            \.change)
    }

    /// The city, holding the village's household.
    static func city() async throws -> OperatorFixture {
        let changes = try await registeredAtTheVillage()
        let fixture = try await OperatorFixture(node: "321200")
        try await fixture.receivePolicy()
        _ = try await fixture.database.changeLog.applyFromChild(changes, channel: .registry)
        try await fixture.context.services.indexer.catchUp()
        return fixture
    }

    static func expectNoBirthDate(_ text: String, _ surface: String) {
        for date in birthDates {
            #expect(!text.contains(date), "\(surface) shows the birth date \(date)")
        }
        #expect(!text.contains(applicant) && !text.contains(child), "\(surface) shows a full ID")
    }

    @Test func theAnalystSeesAgesNotBirthDates() async throws {
        let fixture = try await Self.city()
        defer { fixture.close() }
        try await fixture.test { client in
            let analyst = try await client.signIn(.cityAnalyst)
            let cookie: HTTPFields = [.cookie: analyst.cookie]

            let view = try await client.call(.get, "/api/v1/households/\(Self.household)", as: analyst)
            #expect(view.status == .ok)
            Self.expectNoBirthDate(view.text, "the household API")
            let members = try #require((view.json?["household"] as? [String: Any])?["members"] as? [[String: Any]])
            #expect(members.map { $0["age"] as? Int } == [Self.age(born: 1958, 3, 1), Self.age(born: 2012, 6, 15)])
            #expect(members.allSatisfy { $0["birthDate"] == nil })
            #expect(members.first?["citizenID"] as? String == "321281********011\(Self.applicant.suffix(1))")
            #expect(members.first?["name"] as? String == "王建国", "the rest of the record is still there")

            let history = try await client.call(.get, "/api/v1/households/\(Self.household)/history", as: analyst)
            #expect(history.status == .ok)
            #expect(history.text.contains(#""age":"#))
            Self.expectNoBirthDate(history.text, "the history API")

            let page = try await client.execute(uri: "/households/\(Self.household)", method: .get, headers: cookie)
            #expect(page.status == .ok)
            #expect(page.text.contains("<th>年龄</th>"))
            #expect(page.text.contains("<td>\(Self.age(born: 1958, 3, 1)) 岁</td>"))
            Self.expectNoBirthDate(page.text, "the household page")

            let search = try await client.call(.get, "/api/v1/search", as: analyst)
            #expect(search.json?["total"] as? Int == 1)
            Self.expectNoBirthDate(search.text, "the search API")
            let searchPage = try await client.execute(uri: "/search", method: .get, headers: cookie)
            #expect(searchPage.text.contains(Self.household))
            Self.expectNoBirthDate(searchPage.text, "the search page")

            let csv = try await client.call(.get, "/api/v1/search.csv", as: analyst)
            let lines = String(decoding: Array(buffer: csv.body).dropFirst(3), as: UTF8.self)
                .split(whereSeparator: \.isNewline)
            let header = try #require(lines.first).split(separator: ",").map(String.init)
            let column = try #require(header.firstIndex(of: "年龄（周岁）"), "\(header)")
            #expect(!header.contains("出生日期"))
            #expect(
                lines.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false)[column] } == [
                    "\(Self.age(born: 1958, 3, 1))", "\(Self.age(born: 2012, 6, 15))",
                ])
            Self.expectNoBirthDate(lines.joined(separator: "\n"), "the CSV export")

            let person = try await client.call(.get, "/api/v1/people/\(Self.child)", as: analyst)
            #expect(person.status == .ok)
            #expect(person.json?["households"] as? [String] == [Self.household])
            Self.expectNoBirthDate(person.text, "the people API")
        }
    }

    @Test func theAuditorSeesIDsInAuditTargetsMasked() async throws {
        let fixture = try await Self.city()
        defer { fixture.close() }
        try await fixture.test { client in
            let analyst = try await client.signIn(.cityAnalyst)
            #expect(try await client.call(.get, "/api/v1/people/\(Self.child)", as: analyst).status == .ok)
            // The same person, the ID sent lower-case and percent-encoded.
            let lower = Self.child.lowercased()
            let encoded = lower.unicodeScalars.map { "%" + String($0.value, radix: 16, uppercase: true) }.joined()
            _ = try await client.call(.get, "/api/v1/people/\(encoded)", as: analyst)
            // The stored entries name the person in full: the log itself is unchanged.
            let stored = try await fixture.database.operators.auditEntries(.init(actor: "cityanalyst", action: "read"))
            #expect(stored.contains { $0.target == "/api/v1/people/\(Self.child)" })

            let auditor = try await client.signIn(.auditor)
            let api = try await client.call(.get, "/api/v1/audit?actor=cityanalyst&action=read", as: auditor)
            #expect(api.status == .ok)
            let entries = try JSONDecoder().decode([AuditEntry].self, from: Data(buffer: api.body))
            let targets = entries.map(\.target)
            #expect(targets.contains("/api/v1/people/321281********022\(Self.child.suffix(1))"), "\(targets)")
            for target in targets {
                let decoded = (target.removingPercentEncoding ?? target).uppercased()
                #expect(!decoded.contains(Self.child), "\(target) shows the full ID")
            }
            let page = try await client.execute(
                uri: "/audit?actor=cityanalyst&action=read", method: .get, headers: [.cookie: auditor.cookie])
            #expect(page.status == .ok)
            #expect(page.text.contains("/api/v1/people/321281********022"))
            #expect(!page.text.uppercased().contains(Self.child))
        }
    }

    @Test func aRoleWithFullIDsSeesTheEntryAsStored() {
        let entry = AuditEntry(
            seq: 7, at: 1_700_000_000_000, node: "321200", actor: "countyofficer", role: "countyOfficer",
            action: "read", target: "/api/v1/people/\(Self.child)?division=321281", outcome: .allowed,
            detail: "一个人（公民身份号码）所在的各户", previousHash: AuditEntry.genesis, hash: "x")
        #expect(AuditController.shown(entry, fullIDs: true) == entry)
        let masked = AuditController.shown(entry, fullIDs: false)
        #expect(masked.target == "/api/v1/people/321281********022\(Self.child.suffix(1))?division=321281")
        #expect(masked.hash == entry.hash && masked.seq == entry.seq && masked.detail == entry.detail)
    }

    @Test(arguments: [
        ("/api/v1/people/32128120120615022X", "/api/v1/people/321281********022X"),
        ("/api/v1/people/32128120120615022x?division=321281", "/api/v1/people/321281********022x?division=321281"),
        ("/api/v1/people/321281201206150227", "/api/v1/people/321281********0227"),
        ("/households/321281001001-000001", "/households/321281001001-000001"),
        ("/search?division=321281001001&minAge=60", "/search?division=321281001001&minAge=60"),
        ("旧号 321281580301011 已换发", "旧号 321281********* 已换发"),
        ("1321281201206150227", "132128*************"),
        ("3212812012061502", "321281**********"),
        ("32128120120615", "32128120120615"),
        ("a32128120120615022Xb321281201206150227", "a321281********022Xb321281********0227"),
        ("", ""),
    ])
    func numbersThatCouldBeCitizenIDsAreMaskedInText(_ text: String, _ expected: String) {
        #expect(CitizenIDMask.maskingNumbers(in: text) == expected)
    }
}
