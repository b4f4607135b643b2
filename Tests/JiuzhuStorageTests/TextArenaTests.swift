import JiuzhuDomain
import Testing

@testable import JiuzhuStorage

/// The arena that holds bound text until a statement has run.
@Suite struct TextArenaTests {
    /// Copies stay intact while more are made, across blocks and for values larger than a
    /// block, until the arena is reset.
    @Test func copiesStayIntactUntilReset() {
        let arena = TextArena()
        let values =
            (0..<40).map { index in
                String(repeating: "值\(index)", count: index.isMultiple(of: 7) ? 30_000 : 50)
            } + [""]
        var copies: [(UnsafePointer<CChar>, String)] = []
        for value in values {
            var text = value
            copies.append((text.withUTF8 { arena.copy($0) }, value))
        }
        for (pointer, value) in copies {
            let bytes = UnsafeRawBufferPointer(start: pointer, count: value.utf8.count)
            #expect(String(decoding: bytes, as: UTF8.self) == value)
        }
    }

    /// Rows written in one statement with payloads of the largest size come back as written.
    @Test func theLargestPayloadsAreWrittenWhole() async throws {
        let village = try DivisionCode("321281100201")
        let database = try NodeDatabase.inMemory(for: .init(code: village, name: "村", role: .village))
        let payloads = (0..<6).map { index in
            "{\"text\":\""
                + String(
                    repeating: Character(UnicodeScalar(UInt8(65 + index))),
                    count: ChangeLogStore.maximumPayloadBytes - 12) + "\"}"
        }
        try await database.changeLog.commit(
            payloads.enumerated().map { index, payload in
                LocalChange(
                    channel: .registry, entity: "benchmark-change", key: "\(village)-\(index)", jurisdiction: village,
                    payload: payload)
            })
        let rows = try await database.changeLog.rows(channel: .registry, entity: "benchmark-change")
        #expect(rows.map(\.payload) == payloads)
        let logged = try await database.changeLog.logEntries(origin: village, channel: .registry)
        #expect(logged.map(\.change.payload) == payloads)
    }
}
