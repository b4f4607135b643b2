import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import JiuzhuDomain
import JiuzhuStorage
import NIOCore
import Testing

@testable import JiuzhuWeb

/// Role × jurisdiction: each role can do what it should and is refused (403, nothing
/// changed, the attempt audited) everywhere else.
@Suite struct OperatorAccessTests {
    /// What each operation needs, written out here rather than read from `AccessPolicy`,
    /// so a wrong policy fails the test.
    enum Operation: String, CaseIterable {
        case nodeStatus, divisionInside, divisionOutside, listAccounts, createAccount, disableAccount, readAudit,
            calculator, publishPolicy, dashboardInside, dashboardOutside

        func allowed(for role: OperatorRole) -> Bool {
            switch self {
            case .nodeStatus, .divisionInside: true
            case .divisionOutside: false
            case .listAccounts, .createAccount, .disableAccount: role == .cityAdministrator
            case .readAudit: role == .auditor
            case .calculator: role != .auditor
            case .publishPolicy: role == .cityAdministrator
            case .dashboardInside: [.townshipClerk, .townshipApprover, .countyOfficer, .cityAnalyst].contains(role)
            case .dashboardOutside: false
            }
        }

    }

    /// A node, a division inside it and one outside it.
    static let places: [(node: String, inside: String, outside: String)] = [
        ("321200", "321281100", "320100"),
        ("321281", "321281100201", "321283"),
        ("321281001", "321281001002", "321281100"),
        ("321281001001", "321281001001", "321281001002"),
    ]

    @Test(arguments: places)
    func everyRoleAtANodeIsAllowedExactlyItsWork(place: (node: String, inside: String, outside: String)) async throws {
        let fixture = try await OperatorFixture(node: place.node)
        defer { fixture.close() }
        let victim = OperatorFixture.username(.auditor)
        try await fixture.receivePolicy()
        let policyText = String(
            decoding: try JSONEncoder().encode([
                "text": try String(contentsOf: OperatorFixture.policyFile, encoding: .utf8)
            ]),
            as: UTF8.self)
        try await fixture.test { client in
            for role in OperatorRole.roles(at: fixture.node.role) {
                let session = try await client.signIn(role)
                for operation in Operation.allCases {
                    let accountsBefore = try await fixture.database.operators.accounts()
                    let policiesBefore = try await fixture.database.policy.policyVersions()
                    let auditBefore = try await fixture.database.operators.auditEntries(.init(limit: 1)).first?.seq ?? 0
                    let response: TestResponse
                    switch operation {
                    case .nodeStatus: response = try await client.call(.get, "/api/v1/node", as: session)
                    case .divisionInside:
                        response = try await client.call(.get, "/api/v1/divisions/\(place.inside)", as: session)
                    case .divisionOutside:
                        response = try await client.call(.get, "/api/v1/divisions/\(place.outside)", as: session)
                    case .listAccounts: response = try await client.call(.get, "/api/v1/accounts", as: session)
                    case .createAccount:
                        response = try await client.call(
                            .post, "/api/v1/accounts", as: session,
                            json:
                                #"{"username":"new.\#(role.rawValue.lowercased())","displayName":"新人","role":"auditor"}"#
                        )
                    case .disableAccount:
                        response = try await client.call(.post, "/api/v1/accounts/\(victim)/disable", as: session)
                    case .readAudit: response = try await client.call(.get, "/api/v1/audit", as: session)
                    case .calculator:
                        response = try await client.call(
                            .post, "/api/v1/calculator", as: session,
                            json: #"{"household":\#(CalculatorTests.household)}"#)
                    case .publishPolicy:
                        response = try await client.call(.post, "/api/v1/policy", as: session, json: policyText)
                    case .dashboardInside:
                        response = try await client.call(
                            .get, "/api/v1/dashboard?division=\(place.inside)", as: session)
                    case .dashboardOutside:
                        response = try await client.call(
                            .get, "/api/v1/dashboard?division=\(place.outside)", as: session)
                    }
                    let label = "\(role.rawValue) at \(place.node): \(operation.rawValue)"
                    if operation.allowed(for: role) {
                        #expect([.ok, .created, .noContent].contains(response.status), "\(label): \(response.text)")
                        if operation == .disableAccount {
                            try await fixture.database.operators.setAccountDisabled(victim, false, by: .commandLine)
                        }
                        continue
                    }
                    #expect(response.status == .forbidden, "\(label) should be refused: \(response.status)")
                    #expect((response.json?["error"] as? String)?.isEmpty == false, "\(label): a reason in Chinese")
                    #expect(
                        try await fixture.database.operators.accounts() == accountsBefore, "\(label) changed nothing")
                    #expect(
                        try await fixture.database.policy.policyVersions() == policiesBefore, "\(label) changed nothing"
                    )
                    let refusal = try await fixture.database.operators.auditEntries(
                        .init(actor: OperatorFixture.username(role), action: "access.refused", limit: 1)
                    ).first
                    #expect((refusal?.seq ?? 0) > auditBefore, "\(label): the refusal is audited")
                    #expect(refusal?.outcome == .refused)
                }
            }
        }
    }

    @Test func aTownshipOperatorCannotReachIntoAnotherTownship() async throws {
        let fixture = try await OperatorFixture(node: "321281001")
        defer { fixture.close() }
        try await fixture.test { client in
            let clerk = try await client.signIn(.townshipClerk)
            let own = try await client.call(.get, "/api/v1/divisions/321281001002", as: clerk)
            #expect(own.status == .ok)
            #expect(own.json?["name"] as? String == "城南社区")
            let other = try await client.call(.get, "/api/v1/divisions/321281100", as: clerk)
            #expect(other.status == .forbidden)
            #expect(other.json?["error"] as? String == "321281100 不在本节点辖区 321281001 之内")
            let otherVillage = try await client.call(.get, "/api/v1/divisions/321281100201", as: clerk)
            #expect(otherVillage.status == .forbidden)
            // An auditor may read the logs held of the township's own villages, not of another township.
            let auditor = try await client.signIn(.auditor)
            let ownVillage = try await client.call(.get, "/api/v1/audit?node=321281001002", as: auditor)
            #expect(ownVillage.status == .ok)
            let otherLog = try await client.call(.get, "/api/v1/audit?node=321281100", as: auditor)
            #expect(otherLog.status == .forbidden)
            let badCode = try await client.call(.get, "/api/v1/audit?node=32128", as: auditor)
            #expect(badCode.status == .badRequest)
            #expect(badCode.json?["field"] as? String == "node")
            // The page answers the same way.
            var headers = HTTPFields()
            headers[.cookie] = clerk.cookie
            let page = try await client.execute(uri: "/divisions/321281100", method: .get, headers: headers)
            #expect(page.status == .forbidden)
            #expect(page.text.contains("不在本节点辖区"))
        }
    }

    @Test func aSessionOfOneNodeOpensNothingAtAnother() async throws {
        let township = try await OperatorFixture(node: "321281001")
        defer { township.close() }
        let neighbour = try await OperatorFixture(node: "321281100")
        defer { neighbour.close() }
        let session = try await township.test { client in try await client.signIn(.townshipClerk) }
        try await neighbour.test { client in
            let response = try await client.call(.get, "/api/v1/node", as: session)
            #expect(response.status == .unauthorized)
        }
    }

    @Test func disablingAnAccountEndsItsSessions() async throws {
        let fixture = try await OperatorFixture(node: "321200")
        defer { fixture.close() }
        try await fixture.test { client in
            let admin = try await client.signIn(.cityAdministrator)
            let analyst = try await client.signIn(.cityAnalyst)
            #expect(try await client.call(.get, "/api/v1/node", as: analyst).status == .ok)
            let disable = try await client.call(.post, "/api/v1/accounts/cityanalyst/disable", as: admin)
            #expect(disable.status == .noContent)
            #expect(try await client.call(.get, "/api/v1/node", as: analyst).status == .unauthorized)
            let again = try await client.execute(
                uri: "/api/v1/session", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"username":"cityanalyst","password":"pw-cityAnalyst-2026"}"#))
            #expect(again.status == .unauthorized)
            // Refused for this one account (the request is well formed): 403, audited, and the
            // administrator still signed in.
            let own = try await client.call(.post, "/api/v1/accounts/cityadministrator/disable", as: admin)
            #expect(own.status == .forbidden)
            #expect((own.json?["error"] as? String)?.contains("不能停用或重置自己的账号") == true)
            let refusals = try await fixture.database.operators.auditEntries(AuditQuery(action: "access.refused"))
            #expect(refusals.first?.target == "/api/v1/accounts/cityadministrator/disable")
            #expect(try await client.call(.get, "/api/v1/node", as: admin).status == .ok)
        }
    }
}
