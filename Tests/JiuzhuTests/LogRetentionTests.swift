import Foundation
import JiuzhuDomain
import JiuzhuFederation
import JiuzhuStorage
import Testing

/// Pruning removes only log entries that nothing needs: acknowledged by the parent, pulled by
/// every child, read by the node's indexes. The rows, their checksums and the sequence
/// checks stay as they were.
@Suite struct LogRetentionTests {
    static let township = NodeDatabase.Owner(code: try! DivisionCode("321281100"), name: "乡镇", role: .township)
    static let county = try! DivisionCode("321281")
    static let villages = [try! DivisionCode("321281100201"), try! DivisionCode("321281100202")]

    func change(_ sequence: Int64, _ channel: ReplicationChannel, entity: String) -> Change {
        let village = Self.villages[0]
        return Change(
            origin: village, originSequence: sequence,
            clock: HybridLogicalClock(milliseconds: NodeClock.system.now(), counter: sequence), channel: channel,
            entity: entity, key: "\(village.digits)-k\(sequence)", jurisdiction: village,
            payload: #"{"n":\#(sequence)}"#)
    }

    @Test func onlyEntriesNothingNeedsArePrunedAndTheRowsStay() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try NodeDatabase.open(in: directory.url, for: Self.township)
        let log = database.changeLog
        let village = Self.villages[0]
        _ = try await log.applyFromChild(
            [
                change(1, .registry, entity: "benchmark-change"), change(2, .registry, entity: "household"),
                change(3, .registry, entity: "benchmark-change"),
            ], channel: .registry)
        _ = try await log.applyFromChild(
            [change(1, .casework, entity: "caseStep"), change(2, .casework, entity: "caseStep")], channel: .casework)
        let last = try await log.lastLogPosition()
        let checksum = try await log.checksum(channel: .registry, subtree: village)
        func prune() async throws -> PruneOutcome {
            // Everything is older than a cut-off a minute ahead.
            try await log.prune(
                committedBefore: NodeClock.system.now() + 60_000, parent: Self.county, children: Self.villages)
        }

        // Nothing acknowledged by the county yet: all five are kept, and said to be held.
        #expect(try await prune() == PruneOutcome(pruned: 0, held: 5))
        // Acknowledged: the registry's two other entries go; the household waits for the
        // registry index, the casework entries for the children's pulls and the case index.
        for channel in [ReplicationChannel.registry, .casework] {
            try await log.acknowledgeUp(
                peer: Self.county, channel: channel, through: last, parentClock: HybridLogicalClock())
        }
        #expect(try await prune() == PruneOutcome(pruned: 2, held: 3))
        #expect(try await log.logEntries(origin: village, channel: .registry).map(\.change.entity) == ["household"])
        try await database.registry.index([], through: last)
        #expect(try await prune() == PruneOutcome(pruned: 1, held: 2))
        // One child pulled everything, the other nothing; then both; then the case index read them.
        try await log.recordChildPull(Self.villages[0], channel: .casework, through: last, at: Date())
        try await database.casework.saveSummaries([], through: last, rules: nil)
        #expect(try await prune() == PruneOutcome(pruned: 0, held: 2))
        try await log.recordChildPull(Self.villages[1], channel: .casework, through: last, at: Date())
        #expect(try await prune() == PruneOutcome(pruned: 2, held: 0))
        #expect(try await log.logSize() == 0)

        // The rows stay, with the same checksum; the sequences go on from where they were.
        #expect(try await log.checksum(channel: .registry, subtree: village) == checksum)
        #expect(try await log.row(channel: .registry, entity: "household", key: "\(village.digits)-k2") != nil)
        #expect(try await log.lastSequence(origin: village, channel: .registry) == 3)
        let repeated = try await log.applyFromChild(
            [change(3, .registry, entity: "benchmark-change")], channel: .registry)
        #expect(repeated.applied == 0 && repeated.skipped == 1)
        await #expect(throws: ApplyError.self) {
            _ = try await log.applyFromChild([change(5, .registry, entity: "benchmark-change")], channel: .registry)
        }
        // A new entry gets a position past the pruned ones: cursors never see one twice.
        _ = try await log.applyFromChild([change(4, .registry, entity: "benchmark-change")], channel: .registry)
        #expect(try await log.lastLogPosition() == last + 1)
    }

    @Test func entriesYoungerThanTheRetentionAreKept() async throws {
        let database = try NodeDatabase.inMemory(for: Self.township)
        _ = try await database.changeLog.applyFromChild(
            [change(1, .registry, entity: "benchmark-change")], channel: .registry)
        try await database.changeLog.acknowledgeUp(
            peer: Self.county, channel: .registry, through: 1, parentClock: HybridLogicalClock())
        let outcome = try await database.changeLog.prune(
            committedBefore: NodeClock.system.now() - 60_000, parent: Self.county, children: Self.villages)
        #expect(outcome == PruneOutcome(pruned: 0, held: 0))
        #expect(try await database.changeLog.logSize() == 1)
    }

    /// A parent shows each child's latest push and pull, besides its last hello.
    @Test func aParentShowsEachChildsLatestPushAndPull() async throws {
        let topology = try Topology.parse(yaml: TopologyTests.yaml())
        let township = try #require(topology.node(Self.township.code))
        let database = try NodeDatabase.inMemory(for: Self.township)
        let village = Self.villages[0]
        let early = Date(timeIntervalSince1970: 1_800_000_000)
        try await database.changeLog.recordChildPush(village, channel: .registry, at: early)
        try await database.changeLog.recordChildPull(village, channel: .policy, through: 7, at: early)
        try await database.changeLog.recordChildPull(village, channel: .casework, through: 9, at: early + 60)
        let links = try await database.changeLog.childLinks()
        #expect(links.count == 3)
        #expect(links.first { $0.channel == .casework }?.pulledThrough == 9)
        let status = NodeStatus(
            node: township, topology: topology, contacts: [], childLinks: links, startedAt: early, now: early + 120,
            freshness: 30)
        #expect(status.children.first?.lastPush == early)
        #expect(status.children.first?.lastPull == early + 60)
        #expect(status.parent?.lastPull == nil)
    }
}
