import JiuzhuStorage
import ServiceLifecycle

/// Runs ``NodeDatabase/watchExternalCommits(every:)`` for the node's lifetime.
struct ExternalCommitWatch: Service {
    let database: NodeDatabase

    func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                try await database.changeLog.watchExternalCommits(every: .milliseconds(10))
            }
        } catch is CancellationError {}
    }
}
