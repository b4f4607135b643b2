import CAllocator
import JiuzhuStorage
import ServiceLifecycle

/// Gives memory back to the system now and then. A node's work comes in bursts (a county's
/// register arriving, a policy re-profiling every household); afterwards SQLite's page caches
/// and the allocator's free lists would otherwise keep the burst's peak resident for good,
/// which a village machine cannot spare. (The allocator's arenas are capped at two when the
/// program loads; see `CAllocator`.)
///
/// At most every `interval`, and not in the middle of a burst: it waits for a second without
/// commits. Emptying the writer's cache while a backlog arrived made the burst read its pages
/// back and fault fresh memory in again at once.
struct MemoryRelief: Service {
    let database: NodeDatabase
    let interval: Duration

    func run() async throws {
        try await cancelWhenGracefulShutdown {
            var released = ContinuousClock.now
            var lastSeen = try? await database.commitVersion()
            while !Task.isCancelled {
                try await Task.sleep(for: .seconds(1))
                let version = try? await database.commitVersion()
                defer { lastSeen = version }
                guard ContinuousClock.now - released >= interval, version == lastSeen else { continue }
                database.releaseMemory()
                // SQLite frees its caches on its own queues; trim once that has had time to happen.
                try await Task.sleep(for: .seconds(1))
                _ = jiuzhu_release_free_memory()
                released = .now
            }
        }
    }
}
