import Foundation
import ServiceLifecycle

/// Ends the node when the supervising process is gone, so that a killed `jiuzhu demo`
/// or test never leaves orphan nodes holding ports.
///
/// Returning ends the node: the service is registered to shut the group down on success.
public struct SupervisorWatch: Service {
    let pid: Int32

    public init(pid: Int32) { self.pid = pid }

    public func run() async throws {
        let parentAtStart = getppid()
        do {
            try await cancelWhenGracefulShutdown {
                // kill(pid, 0) tests existence; being reparented also shows the supervisor died.
                while kill(pid, 0) == 0 && getppid() == parentAtStart {
                    try await Task.sleep(for: .milliseconds(500))
                }
            }
        } catch is CancellationError {}
    }
}
