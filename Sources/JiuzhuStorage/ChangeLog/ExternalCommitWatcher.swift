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
    public func watchExternalCommits(
        every interval: Duration, checked: @Sendable () -> Void = {}
    ) async throws {
        var last = try await dataVersion()
        func check() async throws {
            checked()
            let current = try await dataVersion()
            if current != last {
                last = current
                signal.notify(Set(ReplicationChannel.allCases))
            }
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

    private func dataVersion() async throws -> Int? {
        try await writer.writeWithoutTransaction { db in
            try Int.fetchOne(db.cachedStatement(sql: "PRAGMA data_version"))
        }
    }
}
