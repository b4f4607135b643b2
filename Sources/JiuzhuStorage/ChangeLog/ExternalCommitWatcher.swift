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
    public func watchExternalCommits(every interval: Duration) async throws {
        var last = try await dataVersion()
        while !Task.isCancelled {
            try await Task.sleep(for: interval)
            let current = try await dataVersion()
            if current != last {
                last = current
                signal.notify(Set(ReplicationChannel.allCases))
            }
        }
    }

    private func dataVersion() async throws -> Int? {
        try await writer.writeWithoutTransaction { db in
            try Int.fetchOne(db.cachedStatement(sql: "PRAGMA data_version"))
        }
    }
}
