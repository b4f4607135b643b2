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
    /// least once a second; elsewhere, or when inotify is not available, every `interval`.
    /// `checked` is told each time, for tests.
    ///
    /// Only the channels the commit logged changes on are announced: an import of a thousand
    /// registry changes wakes the registry's push loop and indexer, not every child's long poll
    /// on the channels that flow down. A commit that logged nothing (feed records, say) is
    /// announced on every channel, as the watcher cannot tell whom it concerns.
    public func watchExternalCommits(
        every interval: Duration, checked: @Sendable () -> Void = {}
    ) async throws {
        var (last, end) = try await dataVersionAndLogEnd()
        func check() async throws {
            checked()
            let (current, newEnd) = try await dataVersionAndLogEnd()
            guard current != last else { return }
            let channels = try await channelsLogged(after: end)
            (last, end) = (current, newEnd)
            signal.notify(channels.isEmpty ? Set(ReplicationChannel.allCases) : channels)
        }
        #if canImport(Glibc)
            if writer.path != ":memory:",
                let writes = FileWrites(URL(filePath: writer.path + "-wal"), fallback: .seconds(1))
            {
                for await _ in writes.wakes {
                    try await check()
                }
                return
            }
        #endif
        while !Task.isCancelled {
            try await Task.sleep(for: interval)
            try await check()
        }
    }

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
