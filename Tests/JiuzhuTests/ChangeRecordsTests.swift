import Foundation
import JiuzhuDomain
import JiuzhuFederation
import JiuzhuStorage
import Testing

/// The binary form of change batches: what is written reads back the same, and a damaged
/// document is refused with the record it stopped at, never read as something else.
@Suite struct ChangeRecordsTests {
    static func changes() throws -> [Change] {
        let village = try DivisionCode("321281100201")
        let payloads: [String?] = [
            #"{"name":"王建国","note":"引号\"、反斜杠\\"}"#, nil, "", "换行\n空\u{00}", "表情😀与增补字符𠀀",
            String(repeating: "长", count: 50_000),
        ]
        return payloads.enumerated().map { index, payload in
            Change(
                origin: village, originSequence: Int64(index + 1),
                clock: HybridLogicalClock(milliseconds: 1_780_000_000_000 + Int64(index), counter: Int64(index)),
                channel: .registry, entity: "household", key: "\(village.digits)-00000\(index)\"'",
                jurisdiction: try! DivisionCode(index.isMultiple(of: 2) ? "321281100201" : "321200"), payload: payload)
        }
    }

    @Test func recordsReadBackAsTheChangesWritten() throws {
        let changes = try Self.changes()
        let records = ChangeRecords(changes)
        #expect(records.count == changes.count)
        #expect(try ChangeRecords.decode(records.bytes, count: records.count) == changes)
        // Regions join: the records of two batches are the records of both.
        let first = ChangeRecords(changes.prefix(2))
        let rest = ChangeRecords(changes.dropFirst(2))
        #expect(ChangeRecords(bytes: first.bytes + rest.bytes, count: first.count + rest.count) == records)
    }

    @Test func aPushAndAPullAnswerReadBackWhole() throws {
        let changes = try Self.changes()
        let body = BinaryBatches.push(channel: .registry, records: ChangeRecords(changes))
        let push = try BinaryBatches.decodePush(body)
        #expect(push.channel == .registry)
        #expect(push.changes == changes)
        // What a relaying node forwards is exactly the records it received.
        #expect(push.records == ChangeRecords(changes))
        let answer = PullResponse(
            changes: changes, scannedThrough: 9_000_000_000_123, clock: HybridLogicalClock(rawValue: 42 << 16))
        let pulled = try BinaryBatches.decodePull(BinaryBatches.pull(answer))
        #expect(pulled.changes == changes)
        #expect(pulled.scannedThrough == answer.scannedThrough)
        #expect(pulled.clock == answer.clock)
    }

    @Test func everyCutShortDocumentIsRefused() throws {
        let changes = Array(try Self.changes().prefix(3))
        let body = BinaryBatches.push(channel: .casework, records: ChangeRecords(changes))
        for length in 0..<body.count {
            #expect(throws: ChangeRecordsError.self) { try BinaryBatches.decodePush(Array(body.prefix(length))) }
        }
        // Bytes after the last record, a count larger or smaller than the records, another magic.
        #expect(throws: ChangeRecordsError.self) { try BinaryBatches.decodePush(body + [0]) }
        let records = ChangeRecords(changes)
        #expect(throws: ChangeRecordsError.self) { try ChangeRecords.decode(records.bytes, count: 4) }
        #expect(throws: ChangeRecordsError.self) { try ChangeRecords.decode(records.bytes, count: 2) }
        #expect(throws: ChangeRecordsError.self) { try ChangeRecords.decode(records.bytes, count: Int.max) }
        #expect(throws: ChangeRecordsError.self) { try BinaryBatches.decodePull(body) }
    }

    @Test func damagedBytesAreRefusedOrReadAsValidChanges() throws {
        let changes = Array(try Self.changes().prefix(4))
        let records = ChangeRecords(changes)
        var generator = SplitMix64(seed: 16)
        var refused = 0
        for _ in 0..<2_000 {
            var damaged = records.bytes
            for _ in 0...(generator.next() % 3) {
                damaged[Int(generator.next() % UInt64(damaged.count))] = UInt8(truncatingIfNeeded: generator.next())
            }
            // Whatever the damage, reading returns or throws: it never traps.
            do {
                let read = try ChangeRecords.decode(damaged, count: records.count)
                #expect(read.count == records.count)
            } catch {
                refused += 1
            }
        }
        #expect(refused > 0)
        // Text that is not UTF-8 is refused, with the record it is in.
        let marked = Change(
            origin: changes[1].origin, originSequence: 2, clock: changes[1].clock, channel: .registry,
            entity: "household", key: "坏键", jurisdiction: changes[1].jurisdiction, payload: nil)
        var broken = ChangeRecords([changes[0], marked]).bytes
        let key = try #require(broken.firstRange(of: Array("坏键".utf8)))
        broken[key.lowerBound] = 0xFF
        let error = #expect(throws: ChangeRecordsError.self) { try ChangeRecords.decode(broken, count: 2) }
        #expect(error?.record == 1)
    }

    /// A field whose bytes repeat the record before is taken from it unread; one that differs,
    /// however slightly, is read and checked again.
    @Test func aDamagedRepeatOfAFieldIsRefusedWithItsRecord() throws {
        let village = try DivisionCode("321281100201")
        let changes = (1...3).map { index in
            Change(
                origin: village, originSequence: Int64(index), clock: HybridLogicalClock(rawValue: 1 << 20),
                channel: .registry, entity: "benchmark-change", key: "k\(index)", jurisdiction: village, payload: "{}")
        }
        let records = ChangeRecords(changes)
        #expect(try ChangeRecords.decode(records.bytes, count: 3) == changes)
        // The code appears as each record's origin and then its jurisdiction.
        let places = records.bytes.ranges(of: Array(village.digits.utf8)).map(\.lowerBound)
        #expect(places.count == 6)
        for (place, record) in [(places[4], 2), (places[3], 1)] {
            var damaged = records.bytes
            damaged[place + 11] = UInt8(ascii: "x")
            let error = #expect(throws: ChangeRecordsError.self) { try ChangeRecords.decode(damaged, count: 3) }
            #expect(error?.record == record)
        }
    }

    /// A relaying node forwards an entry only once the pusher stands right before it, and
    /// lets go of entries it has gone past and of the oldest when full.
    @Test func theRelayCacheHandsOnEntriesInOrderAndStaysBounded() throws {
        let records = ChangeRecords(try Self.changes().prefix(2))
        let cache = RelayCache(byteLimit: 3 * records.bytes.count)
        cache.keep(records, at: 11...12, channel: .registry)
        cache.keep(records, at: 15...16, channel: .registry)
        cache.keep(records, at: 13...14, channel: .casework)
        #expect(cache.next(on: .registry, after: 10)?.positions == 11...12)
        #expect(cache.next(on: .registry, after: 12)?.positions == 15...16)
        #expect(cache.heldBytes == 2 * records.bytes.count)
        // Past the bound the oldest entry goes: the casework one (the registry's first was passed).
        cache.keep(records, at: 17...18, channel: .registry)
        cache.keep(records, at: 19...20, channel: .registry)
        #expect(cache.heldBytes == 3 * records.bytes.count)
        #expect(cache.next(on: .casework, after: 0) == nil)
        #expect(cache.next(on: .registry, after: 16)?.positions == 17...18)
        #expect(cache.next(on: .warnings, after: 0) == nil)
    }
}
