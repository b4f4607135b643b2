import Foundation
import HTTPTypes
import HummingbirdTesting
import JiuzhuDomain
import JiuzhuPolicy
import JiuzhuStorage
import NIOCore
import Testing

@testable import JiuzhuWeb

/// The calculator through the API and the page, and publishing policy versions.
@Suite struct CalculatorTests {
    static let household = #"""
        {"registration":"urban","members":[
          {"birthDate":"1985-01-01","sex":"male","relation":"applicant"},
          {"birthDate":"2015-03-01","sex":"female","relation":"child"}],
         "incomes":[{"type":"wages","monthly":80000}]}
        """#

    @Test func theAPIAnswersEveryProgrammeWithTheVersionItUsed() async throws {
        let fixture = try await OperatorFixture(node: "321281001")
        defer { fixture.close() }
        try await fixture.receivePolicy()
        try await fixture.test { client in
            let clerk = try await client.signIn(.townshipClerk)
            // Before the mid-year raise: 710 × 2 − 800 = 620 yuan; after it: 760 × 2 − 800 = 720 yuan.
            for (date, fen) in [("2026-06-30", 62000), ("2026-07-01", 72000)] {
                let response = try await client.call(
                    .post, "/api/v1/calculator", as: clerk, json: #"{"date":"\#(date)","household":\#(Self.household)}"#
                )
                #expect(response.status == .ok, "\(response.text)")
                let answer = try #require(response.json)
                let version = answer["policyVersion"] as? [String: Any]
                #expect(version?["id"] as? String == "2026.4")
                #expect((version?["contentHash"] as? String)?.count == 64)
                let programmes = try #require(answer["programmes"] as? [[String: Any]])
                #expect(programmes.count == Programme.allCases.count)
                let dibao = try #require(programmes.first { $0["programme"] as? String == "dibao" })
                #expect(dibao["eligible"] as? Bool == true)
                #expect(dibao["amount"] as? Int == fen, "\(date)")
                #expect(answer["tier"] as? Int == 1)
            }
        }
    }

    @Test(arguments: [
        (
            #"{"household":{"registration":"urban","members":[{"birthDate":"1985-02-30","sex":"male","relation":"applicant"}]}}"#,
            "household.members[0].birthDate"
        ),
        (#"{"household":{"registration":"urban","members":[],"salary":5}}"#, "household.salary"),
        (
            #"{"household":{"registration":"urban","members":[{"birthDate":"1985-01-01","sex":"male","relation":"applicant"}]},"date":"2026-13-01"}"#,
            "date"
        ),
        (
            #"{"household":{"registration":"urban","members":[{"birthDate":"1985-01-01","sex":"male","relation":"applicant"}]},"when":"x"}"#,
            "when"
        ),
        (#"{"date":"2026-07-01"}"#, "household"),
    ])
    func badInputIsNamed(body: String, field: String) async throws {
        let fixture = try await OperatorFixture(node: "321200")
        defer { fixture.close() }
        try await fixture.receivePolicy()
        try await fixture.test { client in
            let admin = try await client.signIn(.cityAdministrator)
            let response = try await client.call(.post, "/api/v1/calculator", as: admin, json: body)
            #expect(response.status == .badRequest, "\(response.text)")
            #expect(response.json?["field"] as? String == field, "\(response.text)")
        }
    }

    @Test func withoutAPolicyVersionTheCalculatorSaysSo() async throws {
        let fixture = try await OperatorFixture(node: "321281001001")
        defer { fixture.close() }
        try await fixture.test { client in
            let specialist = try await client.signIn(.villageSpecialist)
            let response = try await client.call(
                .post, "/api/v1/calculator", as: specialist, json: #"{"household":\#(Self.household)}"#)
            #expect(response.status == .serviceUnavailable)
            #expect(response.json?["error"] as? String == "本节点尚未收到市级发布的政策版本")
            let auditor = try await client.signIn(.auditor)
            let refused = try await client.call(
                .post, "/api/v1/calculator", as: auditor, json: #"{"household":\#(Self.household)}"#)
            #expect(refused.status == .forbidden)
        }
    }

    @Test func theWindowClerksPageShowsTheResultInChinese() async throws {
        let fixture = try await OperatorFixture(node: "321281001")
        defer { fixture.close() }
        try await fixture.receivePolicy()
        try await fixture.test { client in
            let clerk = try await client.signIn(.townshipClerk)
            let form =
                "_csrf=\(clerk.csrf)&date=2026-07-01&registration=urban&m0.birthDate=1950-05-01&m0.sex=female"
                + "&m0.unableToWork=on&m0.disabilityCategory=mental&m0.disabilityGrade=1&m0.selfCareItemsFailed=5"
                + "&m1.birthDate=1990-05-01&m1.sex=male&m1.relation=child&housingUnits=1"
            let page = try await client.execute(
                uri: "/calculator", method: .post,
                headers: [.cookie: clerk.cookie, .contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: form))
            #expect(page.status == .ok)
            #expect(page.text.contains("特困人员救助供养"))
            #expect(page.text.contains("政策版本 <span class=\"code\">2026.4"))
            #expect(page.text.contains("第一层"))
            let grade = page.text.firstMatch(of: /<select name="m0.disabilityGrade">.*?<\/select>/).map { String($0.0) }
            #expect(
                grade?.contains(#"<option value="1" selected>一级</option>"#) == true, "kept as chosen: \(grade ?? "")")
            let category = page.text.firstMatch(of: /<select name="m0.disabilityCategory">.*?<\/select>/).map {
                String($0.0)
            }
            #expect(category?.contains(#"<option value="mental" selected>精神残疾</option>"#) == true)
            let relation = page.text.firstMatch(of: /<select name="m1.relation">.*?<\/select>/).map { String($0.0) }
            #expect(relation?.contains(#"<option value="child" selected>子女</option>"#) == true)
            let bad = try await client.execute(
                uri: "/calculator", method: .post,
                headers: [.cookie: clerk.cookie, .contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "_csrf=\(clerk.csrf)&date=2026-07-01&m0.birthDate=1950-05-01&income.wages=-5"))
            #expect(bad.status == .badRequest)
            #expect(bad.text.contains("工资性收入"))
            #expect(bad.text.contains("value=\"-5\""), "the form comes back as typed")
        }
    }

    @Test func theCityPublishesVersionsThatCannotBeRewritten() async throws {
        let fixture = try await OperatorFixture(node: "321200")
        defer { fixture.close() }
        let text = try String(contentsOf: OperatorFixture.policyFile, encoding: .utf8)
        try await fixture.test { client in
            let admin = try await client.signIn(.cityAdministrator)
            func publish(_ text: String) async throws -> TestResponse {
                let body = String(decoding: try JSONEncoder().encode(["text": text]), as: UTF8.self)
                return try await client.call(.post, "/api/v1/policy", as: admin, json: body)
            }
            let first = try await publish(text)
            #expect(first.status == .created, "\(first.text)")
            #expect(try await publish(text).status == .ok, "the same version again changes nothing")
            let altered = try await publish(text.replacingOccurrences(of: "yuan: \"710\"", with: "yuan: \"711\""))
            #expect(altered.status == .badRequest)
            #expect((altered.json?["error"] as? String)?.contains("2026.4 已经发布过") == true)
            let broken = try await publish(text.replacingOccurrences(of: "dibao.standard:", with: "dibao.standrd:"))
            #expect(broken.status == .badRequest)
            #expect((broken.json?["error"] as? String)?.contains("行") == true, "\(broken.text)")
            #expect(try await fixture.database.policy.policyVersions().count == 1)
            let state = try await client.call(.get, "/api/v1/policy", as: admin)
            #expect((state.json?["current"] as? [String: Any])?["id"] as? String == "2026.4")
            let analyst = try await client.signIn(.cityAnalyst)
            let refused = try await client.call(
                .post, "/api/v1/policy", as: analyst,
                json: String(decoding: try JSONEncoder().encode(["text": text]), as: UTF8.self))
            #expect(refused.status == .forbidden)
            let published = try await fixture.database.operators.auditEntries(.init(action: "policy.publish"))
            #expect(published.count == 1)
        }
    }
}
