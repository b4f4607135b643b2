import Foundation
import GRDB
import JiuzhuDomain

extension ChangeLogStore {
    /// Announces commits that other processes make to this database (a bulk import run from
    /// the command line, say) until the task is cancelled, so they travel as promptly as the
    /// node's own.
    ///
    /// `PRAGMA data_version` changes when a connection other than the one asking commits.
    /// Asked on the writer connection, which makes all of this process's commits, it moves
    /// only for other processes' commits; reading it touches only the WAL index in shared memory.
    ///
    /// On Linux it is asked whenever the write-ahead log is written (``FileWrites``), and at
    /// least once per `fallback`; elsewhere, or when inotify is not available, every `interval`.
    /// `checked` is told when the watcher has taken its starting point and at each look, for tests.
    ///
    /// Only the channels the commit logged changes on are announced: an import of a thousand
    /// registry changes wakes the registry's push loop and indexer, not every child's long poll
    /// on the channels that flow down. A commit that logged nothing (feed records, say) is
    /// announced on every channel, as the watcher cannot tell whom it concerns.
    public func watchExternalCommits(
        every interval: Duration, fallback: Duration = .seconds(1), checked: @Sendable () -> Void = {}
    ) async throws {
        var (last, end) = try await dataVersionAndLogEnd()
        checked()
        /// Whether another process committed since the last look (and it was announced).
        func check() async throws -> Bool {
            checked()
            let (current, newEnd) = try await dataVersionAndLogEnd()
            guard current != last else { return false }
            let channels = try await channelsLogged(after: end)
            (last, end) = (current, newEnd)
            signal.notify(channels.isEmpty ? Set(ReplicationChannel.allCases) : channels)
            return true
        }
        #if canImport(Glibc)
            if writer.path != ":memory:",
                let writes = FileWrites(URL(filePath: writer.path + "-wal"), fallback: fallback)
            {
                for await _ in writes.wakes {
                    // A commit writes the log, syncs it, and only then marks itself in the
                    // shared index: a look right after the write finds nothing yet, and no
                    // further write may come to wake the watcher. Looking again a few times
                    // over the next 150 ms finds it (it waited for the fallback, up to a second).
                    for pause in Self.looksAfterAWrite {
                        if pause > .zero { try await Task.sleep(for: pause) }
                        if try await check() { break }
                    }
                }
                return
            }
        #endif
        while !Task.isCancelled {
            try await Task.sleep(for: interval)
            _ = try await check()
        }
    }

    /// The pauses before each look after a write to the log wakes the watcher: none, then
    /// longer ones while the commit's sync may still be under way (144 ms in all).
    static let looksAfterAWrite: [Duration] = [
        .zero, .milliseconds(1), .milliseconds(3), .milliseconds(10), .milliseconds(30), .milliseconds(100),
    ]

    /// The connection's data version, and the log's end read just before it: a commit landing
    /// between the two reads is then looked for again at the next change, never missed.
    private func dataVersionAndLogEnd() async throws -> (Int?, Int64) {
        try await writer.writeWithoutTransaction { db in
            let end = try Self.logEnd(db)
            return (try Int.fetchOne(db.cachedStatement(sql: "PRAGMA data_version")), end)
        }
    }

    /// The channels with log entries after `position`: one look into the channel index each.
    private func channelsLogged(after position: Int64) async throws -> Set<ReplicationChannel> {
        try await writer.read { db in
            let statement = try db.cachedStatement(
                sql: "SELECT 1 FROM change_log WHERE channel = ? AND position > ? LIMIT 1")
            return try Set(
                ReplicationChannel.allCases.filter { channel in
                    try Bool.fetchOne(statement, arguments: [channel.rawValue, position]) ?? false
                })
        }
    }
}
