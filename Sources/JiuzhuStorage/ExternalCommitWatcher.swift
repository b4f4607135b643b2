import Foundation
import GRDB
import JiuzhuDomain

extension NodeDatabase {
    /// Announces commits that other processes make to this database (a bulk import run from
    /// the command line, say) until the task is cancelled, so they travel as promptly as the
    /// node's own.
    ///
    /// `PRAGMA data_version` on a connection of its own changes whenever another connection
    /// commits; reading it touches only the WAL index in shared memory.
    public func watchExternalCommits(every interval: Duration) async throws {
        let watcher = try DatabaseQueue(path: writer.path, configuration: Self.readOnlyConfiguration)
        var last = try await watcher.read { db in try Int.fetchOne(db, sql: "PRAGMA data_version") }
        while !Task.isCancelled {
            try await Task.sleep(for: interval)
            let current = try await watcher.read { db in try Int.fetchOne(db, sql: "PRAGMA data_version") }
            if current != last {
                last = current
                signal.notify(Set(ReplicationChannel.allCases))
            }
        }
    }

    private static var readOnlyConfiguration: Configuration {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.label = "external-commit-watcher"
        return configuration
    }
}
