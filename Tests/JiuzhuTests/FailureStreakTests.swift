import Foundation
import JiuzhuDomain
import JiuzhuStorage
import Logging
import Synchronization
import Testing

@testable import JiuzhuFederation

/// How a replication channel waits after failures and what it records of them.
@Suite struct FailureStreakTests {
    static let parent = try! DivisionCode("321281100")
    static let address = ListenAddress(host: "127.0.0.1", port: 1)

    /// A parent that refuses connections is tried again within 250 ms; any other failure
    /// backs off to 1 s.
    @Test func aParentThatIsNotListeningIsTriedAgainSooner() {
        let notListening = (1...8).map { FailureStreak.pause(after: $0, notListening: true) }
        let other = (1...8).map { FailureStreak.pause(after: $0, notListening: false) }
        #expect(notListening == [100, 200, 250, 250, 250, 250, 250, 250].map(Duration.milliseconds))
        #expect(other == [100, 200, 400, 800, 1000, 1000, 1000, 1000].map(Duration.milliseconds))
    }

    /// The same failure again is not written again within the record interval; another one is,
    /// at once.
    @Test func aRepeatedFailureIsRecordedOnceAndAChangedOneAtOnce() async throws {
        let now = Mutex<Int64>(1_000_000)
        let database = try NodeDatabase.inMemory(
            for: .init(code: try DivisionCode("321281100201"), name: "村", role: .village),
            clock: NodeClock { now.withLock { $0 } })
        var streak = FailureStreak(
            peer: Self.parent, direction: .up, channel: .registry, database: database, logger: Logger(label: "test"))
        func recorded() async throws -> (error: String?, at: Date?) {
            let state = try await database.changeLog.linkStates().first { $0.channel == .registry }
            return (state?.lastError, state?.lastErrorAt)
        }

        await streak.failed(FederationError.notListening(target: Self.parent, address: Self.address))
        let first = try await recorded()
        #expect(first.error?.contains("连接被拒绝") == true)
        now.withLock { $0 += 1000 }
        await streak.failed(FederationError.notListening(target: Self.parent, address: Self.address))
        #expect(try await recorded() == first)

        now.withLock { $0 += 1000 }
        await streak.failed(FederationError.unreachable(target: Self.parent, address: Self.address, reason: "连接超时"))
        let changed = try await recorded()
        #expect(changed.error?.contains("连接超时") == true)
        #expect(changed.at == Date(timeIntervalSince1970: 1002))
    }
}
