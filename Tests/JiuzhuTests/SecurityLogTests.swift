import Foundation
import JiuzhuDomain
import JiuzhuFederation
import JiuzhuStorage
import Testing

@Suite struct SecurityLogTests {
    @Test func aRepeatedRefusalIsRecordedOncePerQuietPeriod() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let topology = try Topology.parse(yaml: TopologyTests.yaml())
        let township = try #require(topology.nodes.first { $0.role == .township })
        let database = try NodeDatabase.open(
            in: directory.url, for: .init(code: township.code, name: township.name, role: township.role))
        let log = SecurityLog(node: township, database: database, quietPeriod: 60)
        let village = try DivisionCode("321281100201")
        let stranger = try DivisionCode("321283100201")
        let refusal = BatchAdmission.Refusal.notAChild(peer: stranger, node: township.code)
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(try await log.record(refusal, peer: stranger, at: start))
        #expect(try await !log.record(refusal, peer: stranger, at: start.addingTimeInterval(59)))
        // The quiet period is in the stored events: a node restarted meanwhile keeps it.
        let restarted = SecurityLog(node: township, database: database, quietPeriod: 60)
        #expect(try await !restarted.record(refusal, peer: stranger, at: start.addingTimeInterval(30)))
        // Another kind, or another peer, is news.
        let forged = BatchAdmission.Refusal.outsideSubtree(peer: stranger, origin: village, jurisdiction: village)
        #expect(try await log.record(forged, peer: stranger, at: start.addingTimeInterval(1)))
        #expect(try await log.record(.notAChild(peer: village, node: township.code), peer: village, at: start))
        #expect(try await log.record(refusal, peer: stranger, at: start.addingTimeInterval(61)))

        let events = try await database.changeLog.rows(channel: .security, entity: SecurityLog.entity)
            .compactMap(\.payload).map { try SecurityLog.Event(payload: $0) }
        #expect(events.count == 4)
        #expect(events.filter { $0.peer == stranger.digits && $0.kind == "not-a-child" }.count == 2)
    }
}
