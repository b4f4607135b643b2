import Foundation
import JiuzhuDomain
import JiuzhuStorage
import Synchronization

/// Records each child's pushes and pulls per channel (``ChildLink``), at most once a second per
/// child, channel and kind: a busy link pushes and pulls many times a second, and each record
/// is a durable write. What a pull reports is a lower bound of what the child holds, so a record
/// a second old only makes log retention keep a little more.
final class ChildLinkRecorder: Sendable {
    private struct Key: Hashable {
        let child: DivisionCode
        let channel: ReplicationChannel
        let pull: Bool
    }

    let database: NodeDatabase
    private let lastWritten = Mutex<[Key: ContinuousClock.Instant]>([:])

    init(database: NodeDatabase) {
        self.database = database
    }

    func pushed(_ child: DivisionCode, channel: ReplicationChannel) async throws {
        guard due(Key(child: child, channel: channel, pull: false)) else { return }
        try await database.changeLog.recordChildPush(child, channel: channel, at: database.wallClock.date())
    }

    func pulled(_ child: DivisionCode, channel: ReplicationChannel, through position: Int64) async throws {
        guard due(Key(child: child, channel: channel, pull: true)) else { return }
        try await database.changeLog.recordChildPull(
            child, channel: channel, through: position, at: database.wallClock.date())
    }

    private func due(_ key: Key) -> Bool {
        lastWritten.withLock { written in
            let now = ContinuousClock.now
            if let last = written[key], now - last < .seconds(1) { return false }
            written[key] = now
            return true
        }
    }
}
