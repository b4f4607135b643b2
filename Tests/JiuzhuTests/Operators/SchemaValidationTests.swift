import Foundation
import HTTPTypes
import HummingbirdTesting
import JiuzhuDomain
import JiuzhuStorage
import NIOCore
import Testing

@testable import JiuzhuWeb

/// The guard holds every JSON body to the schema the document publishes: what the schema
/// forbids is refused with 400 naming the field, before any decoder or arithmetic sees it,
/// and nothing is stored.
@Suite struct SchemaValidationTests {
    static let village = "321281001001"

    @Test(arguments: [
        // Money beyond InputBounds.amountFen: the amount that killed the chain in issue 12.
        (
            replaced { $0.replacingOccurrences(of: #""monthly":80000"#, with: #""monthly":5000000000000000000"#) },
            "incomes[0].monthly"
        ),
        (replaced { $0.replacingOccurrences(of: #""monthly":80000"#, with: #""monthly":-1"#) }, "incomes[0].monthly"),
        (
            replaced { $0.replacingOccurrences(of: #""monthly":80000"#, with: #""monthly":800.5"#) },
            "incomes[0].monthly"
        ),
        // A format character inside a name, a combining mark at its start, a control character in the address.
        (replaced { $0.replacingOccurrences(of: "王建国", with: "王\u{200B}建国") }, "members[0].name"),
        (replaced { $0.replacingOccurrences(of: "王建国", with: "\u{0301}王建国") }, "members[0].name"),
        (replaced { $0.replacingOccurrences(of: "海池社区", with: "海池\\u0007社区") }, "address"),
        (
            replaced { $0.replacingOccurrences(of: #""registration":"urban""#, with: #""registration":"city""#) },
            "registration"
        ),
        (
            replaced {
                $0.replacingOccurrences(of: #""enrolments":["dibao"]"#, with: #""enrolments":["dibao"],"x":1"#)
            },
            "x"
        ),
        (
            replaced { $0.replacingOccurrences(of: #""village":"321281001001""#, with: #""village":"321281001002""#) },
            "village"
        ),
        (replaced { $0.replacingOccurrences(of: #""grade":2"#, with: #""grade":5"#) }, "members[0].disability.grade"),
    ])
    func aHouseholdTheSchemaForbidsIsRefusedNamingTheField(body: String, field: String) async throws {
        let fixture = try await OperatorFixture(node: Self.village)
        defer { fixture.close() }
        try await fixture.test { client in
            let specialist = try await client.signIn(.villageSpecialist)
            let response = try await client.call(.post, "/api/v1/households", as: specialist, json: body)
            #expect(response.status == .badRequest, "\(field): \(response.text)")
            #expect(response.json?["field"] as? String == field, "\(response.text)")
            #expect(try await fixture.database.registry.searchHouseholds(RegistryQuery()).total == 0)
        }
    }

    @Test func tooManyMembersAreRefusedAtTheBound() async throws {
        let fixture = try await OperatorFixture(node: "321200")
        defer { fixture.close() }
        try await fixture.receivePolicy()
        let member = #"{"birthDate":"1980-01-01","sex":"male","relation":"other"}"#
        @Sendable func body(_ count: Int) -> String {
            let members =
                [#"{"birthDate":"1950-05-01","sex":"female","relation":"applicant"}"#]
                + Array(repeating: member, count: count - 1)
            return #"{"household":{"registration":"urban","members":[\#(members.joined(separator: ","))]}}"#
        }
        try await fixture.test { client in
            let admin = try await client.signIn(.cityAdministrator)
            let most = try await client.call(
                .post, "/api/v1/calculator", as: admin, json: body(InputBounds.members.upperBound))
            #expect(most.status == .ok, "\(most.text)")
            let tooMany = try await client.call(
                .post, "/api/v1/calculator", as: admin, json: body(InputBounds.members.upperBound + 1))
            #expect(tooMany.status == .badRequest)
            #expect(tooMany.json?["field"] as? String == "household.members")
            #expect((tooMany.json?["error"] as? String)?.contains("至多 \(InputBounds.members.upperBound) 项") == true)
        }
    }

    @Test func theOverflowingCalculatorRequestIs400AndTheNodeAnswersAfterwards() async throws {
        let fixture = try await OperatorFixture(node: "321200")
        defer { fixture.close() }
        try await fixture.receivePolicy()
        let huge = #"{"type":"business","monthly":5000000000000000000}"#
        let body = #"""
            {"household":{"registration":"urban","members":[{"birthDate":"1950-05-01","sex":"female","relation":"applicant"}],
             "incomes":[\#(huge),\#(huge)]}}
            """#
        try await fixture.test { client in
            let admin = try await client.signIn(.cityAdministrator)
            let refused = try await client.call(.post, "/api/v1/calculator", as: admin, json: body)
            #expect(refused.status == .badRequest)
            #expect(refused.json?["field"] as? String == "household.incomes[0].monthly")
            #expect((refused.json?["error"] as? String)?.contains("不能大于 \(InputBounds.amountFen.upperBound)") == true)
            let after = try await client.call(
                .post, "/api/v1/calculator", as: admin, json: #"{"household":\#(CalculatorTests.household)}"#)
            #expect(after.status == .ok)
        }
    }

    @Test func everyExampleInTheDocumentPassesItsOwnSchema() async throws {
        let fixture = try await OperatorFixture(node: Self.village)
        defer { fixture.close() }
        let routes = try fixture.routes().routes
        var examples = 0
        for route in routes {
            guard case .json(let schema, let example?) = route.acceptedBody else { continue }
            let encoded = try JSONEncoder().encode(example)
            #expect(throws: Never.self, "\(route.path)") { try schema.validate(ByteBuffer(bytes: encoded)) }
            examples += 1
        }
        #expect(examples == 3, "the household, the calculator and the application give examples")
    }

    @Test(arguments: [
        ("王芳", true), ("  王芳 ", true), ("Zoë Ürümqi", true), ("阿依古丽·买买提", true),
        ("王\u{0007}芳", false), ("\u{202E}王芳", false), ("王芳\u{FEFF}", false), ("\u{0301}王", false),
        (" \u{20DD}王", false), ("", false), ("   ", false), (String(repeating: "王", count: 31), false),
    ])
    func namesFollowTheRegistrysRule(name: String, allowed: Bool) throws {
        let schema = JSONSchema.plainText(maximum: 30)
        let encoded = try JSONEncoder().encode(name)
        let problem = try schema.violation(of: JSONDecoder().decode(JSONTree.self, from: encoded), at: "name")
        #expect(
            (problem == nil) == allowed,
            "\(name.unicodeScalars.map { String($0.value, radix: 16) }): \(problem?.message ?? "allowed")")
    }
}

/// The village's household body with one field replaced.
private func replaced(_ replace: (String) -> String) -> String {
    replace(householdJSON(village: SchemaValidationTests.village))
}
