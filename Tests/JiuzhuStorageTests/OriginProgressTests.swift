import Foundation
import GRDB
import JiuzhuDomain
import Testing

@testable import JiuzhuStorage

/// Where each origin's sequence stands, as a batch that mixes origins leaves it: the progress
/// cache remembers the origin used last apart from the others, and must not lose a step when
/// the batch turns to another origin and back.
@Suite struct OriginProgressTests {
    static let county = try! DivisionCode("321281")
    static let villages = [try! DivisionCode("321281100201"), try! DivisionCode("321281100202")]

    static func change(_ village: Int, _ sequence: Int64) -> Change {
        let origin = villages[village]
        return Change(
            origin: origin, originSequence: sequence, clock: HybridLogicalClock(), channel: .registry,
            entity: "benchmark-change", key: "\(origin.digits)-\(sequence)", jurisdiction: origin, payload: "{}")
    }

    @Test func aBatchThatTurnsBetweenOriginsKeepsEachOnesSequence() async throws {
        let database = try NodeDatabase.inMemory(for: .init(code: Self.county, name: "兴化市", role: .county))
        let store = database.changeLog
        let first = [(0, 1), (0, 2), (1, 1), (0, 3), (1, 2), (1, 3), (0, 4)].map { Self.change($0.0, Int64($0.1)) }
        #expect(try await store.applyFromChild(first, channel: .registry).applied == 7)
        #expect(try await store.lastSequence(origin: Self.villages[0], channel: .registry) == 4)
        #expect(try await store.lastSequence(origin: Self.villages[1], channel: .registry) == 3)

        // The next batch goes on from where each origin stood, repeats are passed over, and a
        // step skipped for one origin is refused whichever origin came just before it.
        let next = [(1, 3), (1, 4), (0, 4), (0, 5)].map { Self.change($0.0, Int64($0.1)) }
        let outcome = try await store.applyFromChild(next, channel: .registry)
        #expect((outcome.applied, outcome.skipped) == (2, 2))
        await #expect(throws: ApplyError.gap(origin: Self.villages[1], channel: .registry, expected: 5, received: 6)) {
            try await store.applyFromChild([Self.change(0, 6), Self.change(1, 6)], channel: .registry)
        }
        #expect(try await store.lastSequence(origin: Self.villages[0], channel: .registry) == 5)
        #expect(try await store.lastSequence(origin: Self.villages[1], channel: .registry) == 4)
    }
}
