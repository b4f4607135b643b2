import JiuzhuStorage
import Logging
import ServiceLifecycle

/// Copies the database's write-ahead log into its file in the background, so that no commit
/// waits for the copy and the flush of the pages it scattered over the file
/// (``NodeDatabase/commitCheckpointPages``). It also takes in what other processes wrote, such
/// as `jiuzhu feeds import` at a running city.
///
/// It looks every `interval` (half a second) and copies once commits pause (``CheckpointPacing``): during a
/// burst, such as a child's backlog arriving, the copy would compete with the burst's own work
/// for the processor, and pages the burst writes again and again are copied once afterwards.
struct LogCheckpointer: Service {
    let database: NodeDatabase
    let interval: Duration
    let logger: Logger

    func run() async throws {
        try await cancelWhenGracefulShutdown {
            var pacing = CheckpointPacing()
            while !Task.isCancelled {
                try await Task.sleep(for: interval)
                do {
                    let version = try await database.commitVersion()
                    guard pacing.shouldCopy(version: version, at: .now) else { continue }
                    try await database.checkpoint()
                } catch {
                    logger.warning("write-ahead log checkpoint failed", metadata: ["error": "\(error)"])
                }
            }
        }
    }
}

/// When the checkpointer copies, from the commit version it sees at each look: when there is
/// something new to copy and no commit came since the look before, or when commits have gone
/// on for `busyLimit` since a look first saw them uncopied, which bounds how far the log grows
/// under sustained load.
struct CheckpointPacing {
    let busyLimit: Duration
    private var lastSeen: Int?
    private var lastCopied: Int?
    /// When a look first saw commits not yet copied.
    private var pendingSince: ContinuousClock.Instant?

    init(busyLimit: Duration = .seconds(4)) {
        self.busyLimit = busyLimit
    }

    mutating func shouldCopy(version: Int, at now: ContinuousClock.Instant) -> Bool {
        defer { lastSeen = version }
        guard version != lastCopied else { return false }
        let since = pendingSince ?? now
        pendingSince = since
        guard version == lastSeen || now - since >= busyLimit else { return false }
        (lastCopied, pendingSince) = (version, nil)
        return true
    }
}
