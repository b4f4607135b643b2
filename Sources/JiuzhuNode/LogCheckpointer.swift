import JiuzhuStorage
import Logging
import ServiceLifecycle

/// Copies the database's write-ahead log into its file in the background, twice a second, so
/// that no commit waits for the copy and the flush of the pages it scattered over the file
/// (``NodeDatabase/commitCheckpointPages``). It also takes in what other processes wrote, such
/// as `jiuzhu feeds import` at a running city.
struct LogCheckpointer: Service {
    let database: NodeDatabase
    let interval: Duration
    let logger: Logger

    func run() async throws {
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try await Task.sleep(for: interval)
                do { try await database.checkpoint() } catch {
                    logger.warning("write-ahead log checkpoint failed", metadata: ["error": "\(error)"])
                }
            }
        }
    }
}
