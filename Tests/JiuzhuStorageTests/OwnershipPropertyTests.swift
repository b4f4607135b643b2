import Foundation
import GRDB
import JiuzhuDomain
import JiuzhuFederation
import Testing

@testable import JiuzhuStorage

/// Random batches, pushed by a township's villages or forged in their name, against the
/// township's real SQLite file: whatever the keys, payloads, sequences and clocks, no batch
/// ever changes a row its sender does not own, replaces a row held from another origin,
/// rewrites a row written once, or moves sequence numbers without delivering the changes.
@Suite struct OwnershipPropertyTests {
    static let township = try! DivisionCode("321281100")
    static let villages = [try! DivisionCode("321281100201"), try! DivisionCode("321281100202")]
    /// Owners a forged key may name: the villages, their township, a village of another county.
    static let owners = villages + [township, try! DivisionCode("321283001001")]

    static let topology: Topology = {
        // Nothing listens: the ports only have to differ, as a topology requires.
        var port = 40_000
        func node(_ code: String, _ role: NodeRole, _ parent: String?) -> TopologyNode {
            port += 2
            return TopologyNode(
                code: try! DivisionCode(code), name: code, role: role, parent: parent.map { try! DivisionCode($0) },
                federation: ListenAddress(host: "127.0.0.1", port: port),
                operator: ListenAddress(host: "127.0.0.1", port: port + 1))
        }
        return try! Topology(
            name: "性质测试",
            nodes: [
                node("321200", .city, nil), node("321281", .county, "321200"),
                node("321281100", .township, "321281"), node("321281100201", .village, "321281100"),
                node("321281100202", .village, "321281100"),
            ])
    }()

    /// Everything replication may change at the township, to compare before and after a batch.
    struct Snapshot: Equatable {
        var rows: [String: ReplicaRow] = [:]
        var progress: [String: Int64] = [:]
        var logCount = 0

        init(_ database: NodeDatabase) async throws {
            (rows, progress, logCount) = try await database.writer.read { db in
                var rows: [String: ReplicaRow] = [:]
                for row in try Row.fetchAll(db, sql: "SELECT * FROM replica_row") {
                    let replica = try ReplicaRow(row)
                    rows["\(replica.channel.rawValue)/\(replica.entity)/\(replica.key)"] = replica
                }
                var progress: [String: Int64] = [:]
                for row in try Row.fetchAll(db, sql: "SELECT origin, channel, last_seq FROM origin_progress") {
                    progress["\(row["origin"] as String)/\(row["channel"] as String)"] = row["last_seq"]
                }
                return (rows, progress, try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM change_log") ?? 0)
            }
        }
    }

    /// A seeded generator of hostile changes.
    struct Attacker {
        var random: SplitMix64
        var nextSequence: [String: Int64] = [:]
        let now = Int64(Date().timeIntervalSince1970 * 1000)

        mutating func pick<T>(_ choices: [T]) -> T { choices[Int(random.next() % UInt64(choices.count))] }

        mutating func clock() -> HybridLogicalClock {
            let milliseconds = pick([
                now, now, now, now + 3_600_000, now - 86_400_000, 0, .max, .min, Int64(bitPattern: random.next()),
            ])
            return HybridLogicalClock(
                rawValue: pick([milliseconds << 16, milliseconds, Int64(bitPattern: random.next())]))
        }

        /// A change as `peer` honestly sends it on `channel`, or, one time in two, a forged one.
        mutating func change(from peer: DivisionCode, on channel: ReplicationChannel) -> Change {
            guard random.next() % 2 == 0 else { return forged(from: peer) }
            let stream = "\(peer)/\(channel.rawValue)"
            let sequence = nextSequence[stream, default: 1]
            nextSequence[stream] = sequence + 1
            let (entity, key, payload) =
                channel == .audit
                ? ("audit", "\(peer)/\(sequence)", #"{"node":"\#(peer)","n":\#(sequence)}"#)
                : ("household", "\(peer)-\(random.next() % 6)", #"{"village":"\#(peer)","n":\#(random.next() % 100)}"#)
            return Change(
                origin: peer, originSequence: sequence, clock: HybridLogicalClock(milliseconds: now, counter: 0),
                channel: channel, entity: entity, key: key, jurisdiction: peer, payload: payload)
        }

        mutating func forged(from peer: DivisionCode) -> Change {
            let origin = pick([peer, peer, peer, pick(OwnershipPropertyTests.owners)])
            let owner = pick([origin, origin, pick(OwnershipPropertyTests.owners)])
            let (channel, entity, separator, field) = pick([
                (ReplicationChannel.registry, "household", "-", "village"), (.registry, "household", "-", "village"),
                (.registry, "benchmark-change", "-", ""), (.audit, "audit", "/", "node"),
                (.registry, "payment", "-", ""),
            ])
            let key = pick(["\(owner)\(separator)\(random.next() % 4)", "\(owner)", "x-1", "\(owner)\(separator)1"])
            let named = pick([owner, owner, pick(OwnershipPropertyTests.owners)])
            let payload = pick([
                #"{"\#(field)":"\#(named)","n":\#(random.next() % 100)}"#, #"{"\#(field)":"\#(named)"}"#, nil, "[1]",
                "{",
                #"{"\#(field)":1}"#,
            ])
            let stream = "\(origin)/\(channel.rawValue)"
            let expected = nextSequence[stream, default: 1]
            let sequence = pick([expected, expected, expected, expected + 5, 1, .max, 0, -1])
            if sequence == expected { nextSequence[stream] = expected + 1 }
            return Change(
                origin: origin, originSequence: sequence, clock: clock(), channel: channel, entity: entity, key: key,
                jurisdiction: pick([origin, origin, owner, OwnershipPropertyTests.township]), payload: payload)
        }
    }

    static func open() throws -> (NodeDatabase, URL) {
        let folder = FileManager.default.temporaryDirectory.appending(path: "jiuzhu-storage-\(UUID().uuidString)")
        let database = try NodeDatabase.open(in: folder, for: .init(code: township, name: "戴南镇", role: .township))
        return (database, folder)
    }

    @Test(arguments: [1, 2, 3, 4] as [UInt64])
    func admittedAndAppliedBatchesOnlyEverChangeRowsTheirOwnersSent(seed: UInt64) async throws {
        let (database, folder) = try Self.open()
        defer { try? FileManager.default.removeItem(at: folder) }
        let node = try #require(Self.topology.node(Self.township))
        var attacker = Attacker(random: SplitMix64(seed: seed))
        var applied = 0
        for _ in 0..<150 {
            let peer = attacker.pick(Self.villages)
            let channel = attacker.pick([ReplicationChannel.registry, .registry, .audit])
            let batch = PushRequest(
                channel: channel,
                changes: (0..<(1 + attacker.random.next() % 3)).map { _ in attacker.change(from: peer, on: channel) })
            let before = try await Snapshot(database)
            var accepted = false
            do {
                try BatchAdmission.checkPush(batch, from: peer, to: node, in: Self.topology)
                _ = try await database.changeLog.applyFromChild(batch.changes, channel: batch.channel)
                accepted = true
                applied += 1
            } catch is BatchAdmission.Refusal {
            } catch is ApplyError {}
            let after = try await Snapshot(database)
            // Honest senders go on from where the township stands.
            attacker.nextSequence = after.progress.mapValues { $0 + 1 }
            if !accepted { #expect(after == before, "a refused batch changed something: \(batch.changes)") }
            for (name, row) in after.rows where before.rows[name] != row {
                // Only the peer's subtree, only the row's owner, only a later version of the owner's.
                #expect(row.origin.isWithin(peer), "\(name) changed by a batch from \(peer)")
                #expect((try? RowOwnership.owner(of: row.change)) == row.origin, "\(name) held from a non-owner")
                if let old = before.rows[name] {
                    #expect(old.origin == row.origin && row.originSequence > old.originSequence, "\(name) replaced")
                    #expect(row.channel != .audit, "written-once \(name) rewritten")
                }
            }
            // A sequence moves only to a change this batch delivered.
            for (stream, last) in after.progress where last != before.progress[stream, default: 0] {
                #expect(last > before.progress[stream, default: 0])
                #expect(
                    batch.changes.contains {
                        "\($0.origin)/\($0.channel.rawValue)" == stream && $0.originSequence == last
                    })
            }
        }
        // The generator must also produce batches that pass, or the property says nothing.
        #expect(applied > 10)
    }

    @Test(arguments: [5, 6, 7] as [UInt64])
    func withoutAdmissionARowHeldFromOneOriginIsNeverReplacedByAnother(seed: UInt64) async throws {
        let (database, folder) = try Self.open()
        defer { try? FileManager.default.removeItem(at: folder) }
        var attacker = Attacker(random: SplitMix64(seed: seed))
        for _ in 0..<150 {
            let channel = attacker.pick([ReplicationChannel.registry, .audit])
            let changes = (0..<(1 + attacker.random.next() % 4)).map { _ in
                attacker.change(from: attacker.pick(Self.villages), on: channel)
            }.filter { $0.channel == channel }
            let before = try await Snapshot(database)
            let refused: Bool
            do {
                _ = try await database.changeLog.applyFromChild(changes, channel: channel)
                refused = false
            } catch {
                refused = true
            }
            let after = try await Snapshot(database)
            // Honest senders go on from where the township stands.
            attacker.nextSequence = after.progress.mapValues { $0 + 1 }
            if refused { #expect(after == before) }
            for (name, old) in before.rows {
                let row = try #require(after.rows[name], "\(name) disappeared")
                #expect(row.origin == old.origin, "\(name) taken over by \(row.origin)")
                if old.channel == .audit { #expect(row == old, "written-once \(name) rewritten") }
            }
        }
    }

    @Test(arguments: [8, 9] as [UInt64])
    func repairsNeverMoveSequencesOrTouchOtherOwnersRows(seed: UInt64) async throws {
        let (database, folder) = try Self.open()
        defer { try? FileManager.default.removeItem(at: folder) }
        var attacker = Attacker(random: SplitMix64(seed: seed))
        // Genuine history first: each village pushes a few of its own households.
        for village in Self.villages {
            let own = (1...5).map { index in
                Change(
                    origin: village, originSequence: Int64(index),
                    clock: HybridLogicalClock(milliseconds: attacker.now, counter: 0),
                    channel: .registry, entity: "household", key: "\(village)-00000\(index)", jurisdiction: village,
                    payload: #"{"village":"\#(village)"}"#)
            }
            _ = try await database.changeLog.applyFromChild(own, channel: .registry)
        }
        for _ in 0..<100 {
            let peer = attacker.pick(Self.villages)
            let rows = (0..<(1 + attacker.random.next() % 5)).map { _ in attacker.change(from: peer, on: .registry) }
                .filter { $0.channel == .registry }
            let before = try await Snapshot(database)
            do {
                try BatchAdmission.checkRows(rows, channel: .registry, from: peer)
                try await database.changeLog.repairSubtreeRows(
                    channel: .registry, subtree: peer, after: nil, through: nil, rows: rows)
            } catch is BatchAdmission.Refusal {
            } catch is OwnershipViolation {}
            let after = try await Snapshot(database)
            // Honest senders go on from where the township stands.
            attacker.nextSequence = after.progress.mapValues { $0 + 1 }
            #expect(after.progress == before.progress, "a repair moved sequence numbers")
            for (name, row) in after.rows where before.rows[name] != row {
                #expect(row.origin.isWithin(peer), "\(name) changed by a repair from \(peer)")
                #expect(row.originSequence <= before.progress["\(row.origin)/registry", default: 0])
            }
            for (name, old) in before.rows where !old.origin.isWithin(peer) {
                #expect(after.rows[name] == old, "\(name) of another owner touched by a repair from \(peer)")
            }
        }
    }
}
