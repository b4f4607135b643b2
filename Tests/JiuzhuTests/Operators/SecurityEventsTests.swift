import Foundation
import HummingbirdTesting
import JiuzhuDomain
import JiuzhuFederation
import JiuzhuStorage
import Testing

@testable import JiuzhuWeb

/// The city's list of security events: every level's refusals, filtered by node, kind and day.
@Suite struct SecurityEventsTests {
    /// A security event as the node `node` would have replicated it to the city.
    static func event(node: String, sequence: Int64, kind: String, peer: String, at: String) throws -> Change {
        Change(
            origin: try DivisionCode(node), originSequence: sequence,
            clock: HybridLogicalClock(milliseconds: Int64(Date().timeIntervalSince1970 * 1000), counter: 0),
            channel: .security, entity: SecurityLog.entity, key: "\(node)-event-\(sequence)",
            jurisdiction: try DivisionCode(node),
            payload: #"{"at":"\#(at)","detail":"拒绝 \#(peer)","kind":"\#(kind)","node":"\#(node)","peer":"\#(peer)"}"#)
    }

    @Test func theCityListsEveryLevelsRefusalsByNodeKindAndDay() async throws {
        let fixture = try await OperatorFixture(node: "321200")
        defer { fixture.close() }
        // Beijing time: 2026-12-03 00:30 is 2026-12-02 16:30 UTC.
        _ = try await fixture.database.changeLog.applyFromChild(
            [
                try Self.event(
                    node: "321281", sequence: 1, kind: "not-owner", peer: "321281001", at: "2026-12-02T16:30:00Z"),
                try Self.event(
                    node: "321281", sequence: 2, kind: "clock-ahead", peer: "321281001", at: "2026-12-03T10:00:00Z"),
            ], channel: .security)
        _ = try await fixture.database.changeLog.applyFromChild(
            [
                try Self.event(
                    node: "321283", sequence: 1, kind: "not-owner", peer: "321283001", at: "2026-12-02T15:59:59Z")
            ],
            channel: .security)

        try await fixture.test { client in
            let administrator = try await client.signIn(.cityAdministrator)
            func peers(_ query: String) async throws -> [String] {
                let response = try await client.call(.get, "/api/v1/security-events\(query)", as: administrator)
                #expect(response.status == .ok, "\(query): \(response.text)")
                let events = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [[String: Any]]
                return (events ?? []).map { "\($0["node"] ?? "")>\($0["peer"] ?? ""):\($0["kind"] ?? "")" }
            }
            #expect(
                try await peers("") == [
                    "321281>321281001:clock-ahead", "321281>321281001:not-owner", "321283>321283001:not-owner",
                ])
            #expect(try await peers("?kind=not-owner") == ["321281>321281001:not-owner", "321283>321283001:not-owner"])
            #expect(try await peers("?node=321283") == ["321283>321283001:not-owner"])
            // 2026-12-03 in Beijing: 16:30 UTC the day before is in, 15:59:59 UTC is not.
            #expect(
                try await peers("?from=2026-12-03&to=2026-12-03")
                    == ["321281>321281001:clock-ahead", "321281>321281001:not-owner"])
            #expect(try await peers("?to=2026-12-02") == ["321283>321283001:not-owner"])

            let unknown = try await client.call(.get, "/api/v1/security-events?kind=bogus", as: administrator)
            #expect(unknown.status == .badRequest)
            #expect(unknown.text.contains("kind"))
            let badDate = try await client.call(.get, "/api/v1/security-events?from=2026-02-30", as: administrator)
            #expect(badDate.status == .badRequest)

            let page = try await client.call(.get, "/security?kind=clock-ahead", as: administrator)
            #expect(page.status == .ok)
            #expect(page.text.contains("时钟超前") && page.text.contains("兴化市 321281"))
            #expect(page.text.contains("拒绝 321281001") && !page.text.contains("拒绝 321283001"))

            let analyst = try await client.signIn(.cityAnalyst)
            #expect(try await client.call(.get, "/api/v1/security-events", as: analyst).status == .forbidden)
            let auditor = try await client.signIn(.auditor)
            #expect(try await client.call(.get, "/api/v1/security-events", as: auditor).status == .ok)
        }
    }
}
