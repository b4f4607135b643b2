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

    /// A parent that refuses connections is tried again every 100 ms; any other failure
    /// backs off to 1 s.
    @Test func aParentThatIsNotListeningIsTriedAgainSooner() {
        let notListening = (1...8).map { FailureStreak.pause(after: $0, notListening: true) }
        let other = (1...8).map { FailureStreak.pause(after: $0, notListening: false) }
        #expect(notListening == [100, 100, 100, 100, 100, 100, 100, 100].map(Duration.milliseconds))
        #expect(other == [100, 200, 400, 800, 1000, 1000, 1000, 1000].map(Duration.milliseconds))
    }

    /// The same failure again is not written again within the record interval, but is once the
    /// interval has passed; another failure is, at once. (The intervals are an hour and none,
    /// so that a slow machine cannot change the outcome.)
    @Test func aRepeatedFailureIsRecordedOnceAndAChangedOneAtOnce() async throws {
        let now = Mutex<Int64>(1_000_000)
        let database = try NodeDatabase.inMemory(
            for: .init(code: try DivisionCode("321281100201"), name: "村", role: .village),
            clock: NodeClock { now.withLock { $0 } })
        func recorded(_ channel: ReplicationChannel) async throws -> (error: String?, at: Date?) {
            let state = try await database.changeLog.linkStates().first { $0.channel == channel }
            return (state?.lastError, state?.lastErrorAt)
        }
        let refused = FederationError.notListening(target: Self.parent, address: Self.address)

        var streak = FailureStreak(
            peer: Self.parent, direction: .up, channel: .registry, database: database, logger: Logger(label: "test"),
            recordInterval: .seconds(3600))
        await streak.failed(refused)
        let first = try await recorded(.registry)
        #expect(first.error?.contains("连接被拒绝") == true)
        now.withLock { $0 += 1000 }
        await streak.failed(refused)
        #expect(try await recorded(.registry) == first)
        now.withLock { $0 += 1000 }
        await streak.failed(FederationError.unreachable(target: Self.parent, address: Self.address, reason: "连接超时"))
        let changed = try await recorded(.registry)
        #expect(changed.error?.contains("连接超时") == true)
        #expect(changed.at == Date(timeIntervalSince1970: 1002))

        var everyTime = FailureStreak(
            peer: Self.parent, direction: .up, channel: .audit, database: database, logger: Logger(label: "test"),
            recordInterval: .zero)
        await everyTime.failed(refused)
        now.withLock { $0 += 1000 }
        await everyTime.failed(refused)
        #expect(try await recorded(.audit).at == Date(timeIntervalSince1970: 1003))
    }
}
