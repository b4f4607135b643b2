import Foundation
import HTTPTypes
import HummingbirdTesting
import JiuzhuDomain
import JiuzhuRegistry
import JiuzhuStorage
import NIOCore
import Testing

@testable import JiuzhuWeb

/// Values that would break the arithmetic, through the API and the pages: refused with the
/// field named; and a stored record that cannot be profiled is set aside, not fatal.
@Suite struct ImplausibleInputTests {
    static let village = "321281001001"

    /// Two incomes of 5×10¹⁸ fen: each fits in Int64, their sum does not.
    static let overflowingHousehold = #"""
        {"registration":"urban","members":[{"birthDate":"1985-01-01","sex":"male","relation":"applicant"}],
         "incomes":[{"type":"business","monthly":5000000000000000000},{"type":"business","monthly":5000000000000000000}]}
        """#

    @Test func theOverflowingCalculatorRequestIsAnsweredWith400NamingTheField() async throws {
        let fixture = try await OperatorFixture(node: Self.village)
        defer { fixture.close() }
        try await fixture.receivePolicy()
        try await fixture.test { client in
            let specialist = try await client.signIn(.villageSpecialist)
            let response = try await client.call(
                .post, "/api/v1/calculator", as: specialist,
                json: #"{"date":"2026-07-01","household":\#(Self.overflowingHousehold)}"#)
            #expect(response.status == .badRequest, "\(response.text)")
            #expect(response.json?["field"] as? String == "household.incomes[0].monthly", "\(response.text)")
            #expect(response.text.contains("10000000000") || response.text.contains("不能超过"), "\(response.text)")
            // The node goes on answering.
            let fine = try await client.call(
                .post, "/api/v1/calculator", as: specialist, json: #"{"household":\#(CalculatorTests.household)}"#)
            #expect(fine.status == .ok)
        }
    }

    @Test func theCalculatorPageRefusesAnAmountPastTheBoundNamingTheField() async throws {
        let fixture = try await OperatorFixture(node: "321281001")
        defer { fixture.close() }
        try await fixture.receivePolicy()
        try await fixture.test { client in
            let clerk = try await client.signIn(.townshipClerk)
            for (field, value, label) in [
                ("income.business", "50000000000000", "经营净收入"), ("deposits", "100000000.01", "存款"),
                ("vehicles", "51", "机动车"), ("housingUnits", "51", "住房"),
            ] {
                let page = try await client.execute(
                    uri: "/calculator", method: .post,
                    headers: [.cookie: clerk.cookie, .contentType: "application/x-www-form-urlencoded"],
                    body: ByteBuffer(
                        string: "_csrf=\(clerk.csrf)&date=2026-07-01&m0.birthDate=1950-05-01&\(field)=\(value)"))
                #expect(page.status == .badRequest, "\(field)")
                #expect(page.text.contains(label), "\(field) named")
            }
        }
    }

    @Test func aNameWithADirectionOverrideIsRefusedThroughTheAPIAndTheForm() async throws {
        let fixture = try await OperatorFixture(node: Self.village)
        defer { fixture.close() }
        try await fixture.receivePolicy()
        try await fixture.test { client in
            let specialist = try await client.signIn(.villageSpecialist)
            let body = householdJSON(village: Self.village).replacingOccurrences(
                of: "王建国", with: "\\u202E王建国")
            let refused = try await client.call(.post, "/api/v1/households", as: specialist, json: body)
            #expect(refused.status == .badRequest, "\(refused.text)")
            #expect(refused.json?["field"] as? String == "members[0].name", "\(refused.text)")
            // The guard's schema check answers first, naming the rule the document states.
            #expect(refused.text.contains("格式字符"), "\(refused.text)")
            let tooRich = householdJSON(village: Self.village, wages: 10_000_000_001)
            let rich = try await client.call(.post, "/api/v1/households", as: specialist, json: tooRich)
            #expect(rich.status == .badRequest)
            #expect(rich.json?["field"] as? String == "incomes[0].monthly", "\(rich.text)")

            let form =
                "_csrf=\(specialist.csrf)&address=%E6%B5%B7%E6%B1%A0%E2%80%8B8%E5%8F%B7&registration=urban"
                + "&m0.name=%E7%8E%8B%E5%BB%BA%E5%9B%BD&m0.citizenID=\(citizenID(born: "19580301", sequence: "011"))"
                + "&m0.relation=applicant"
            let page = try await client.execute(
                uri: "/households/new", method: .post,
                headers: [.cookie: specialist.cookie, .contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: form))
            #expect(page.status == .badRequest)
            #expect(page.text.contains("地址含有不可见的格式字符 U+200B"), "\(page.text.prefix(400))")
        }
    }

    /// A record as it would arrive if written straight into the database, past validation.
    static func poisoned(village: String) -> String {
        householdJSON(village: village).replacingOccurrences(
            of: #"{"type":"assistance","monthly":30000,"declaredOn":"2026-11-01"}"#,
            with: #"{"type":"business","monthly":5000000000000000000,"declaredOn":"2026-11-01"},"#
                + #"{"type":"business","monthly":5000000000000000000,"declaredOn":"2026-11-01"}"#)
    }

    @Test func aRecordThatCannotBeProfiledIsSetAsideShownAndLeavesWhenFixed() async throws {
        let fixture = try await OperatorFixture(node: Self.village)
        defer { fixture.close() }
        try await fixture.receivePolicy()
        let code = try DivisionCode(Self.village)
        let key = "\(Self.village)-000009"
        #expect(Self.poisoned(village: Self.village).contains("5000000000000000000"))
        let audit = AuditRecord(
            actor: "test", role: "villageSpecialist", action: "registry.create", target: key, outcome: .allowed,
            detail: "")
        try await fixture.database.registry.saveHousehold(
            key: key, village: code, payload: Self.poisoned(village: Self.village), expectedSequence: nil,
            audit: audit)
        try await fixture.database.registry.saveHousehold(
            key: "\(Self.village)-000010", village: code, payload: #"{"village":"\#(Self.village)","n":1}"#,
            expectedSequence: nil, audit: audit)
        try await fixture.context.services.indexer.catchUp()
        let setAside = try await fixture.database.registry.setAsideHouseholds()
        #expect(setAside.map(\.key) == [key, "\(Self.village)-000010"])
        #expect(setAside.first?.reason.contains("incomes") == true, "\(setAside)")
        #expect(setAside.first?.reason.contains("溢出") == true)
        #expect(setAside.last?.reason.hasPrefix("不是可读的家庭记录：") == true, "\(setAside)")
        #expect(setAside.allSatisfy { $0.village == Self.village })

        try await fixture.test { client in
            let specialist = try await client.signIn(.villageSpecialist)
            let listed = try await client.call(.get, "/api/v1/households-set-aside", as: specialist)
            #expect(listed.status == .ok)
            let rows = try JSONSerialization.jsonObject(with: Data(buffer: listed.body)) as? [[String: Any]]
            #expect(rows?.compactMap { $0["id"] as? String } == [key, "\(Self.village)-000010"])
            let search = try await client.execute(
                uri: "/search", method: .get, headers: [.cookie: specialist.cookie], body: nil)
            #expect(search.text.contains("暂未索引的家庭"))
            #expect(search.text.contains(key))

            // Indexing goes on: a household registered afterwards is found.
            let created = try await client.call(
                .post, "/api/v1/households", as: specialist, json: householdJSON(village: Self.village))
            #expect(created.status == .created, "\(created.text)")
            #expect(try await client.call(.get, "/api/v1/search", as: specialist).json?["total"] as? Int == 1)
        }

        // A corrected version is indexed and leaves the list.
        try await fixture.database.registry.saveHousehold(
            key: key, village: code, payload: householdJSON(village: Self.village), expectedSequence: 1, audit: audit)
        try await fixture.context.services.indexer.catchUp()
        #expect(try await fixture.database.registry.setAsideHouseholds().map(\.key) == ["\(Self.village)-000010"])
        try await fixture.test { client in
            let specialist = try await client.signIn(.villageSpecialist)
            #expect(try await client.call(.get, "/api/v1/search", as: specialist).json?["total"] as? Int == 2)
        }
    }
}
