import Foundation
import JiuzhuDomain
import JiuzhuStorage
import Logging
import ServiceLifecycle

/// Runs the warning platform's sweep at the city: after every change to the registry or to
/// cases the city receives (so a replicated change that triggers a rule is warned about at
/// once), and at least every `interval`, with at least `gap` between passes so a burst of
/// changes costs one pass.
///
/// The interval is ten minutes: between changes only the day moves the time-based rules (ages,
/// deadlines), and a pass over the city's aggregate costs a core about two seconds, which an
/// import or replication running beside it would otherwise share every minute.
public final class WarningSweeper: Service, Sendable {
    let warnings: WarningService
    let signal: ChangeSignal
    let interval: Duration
    let gap: Duration
    let logger: Logger

    public init(
        warnings: WarningService, signal: ChangeSignal, interval: Duration = .seconds(600), gap: Duration = .seconds(5),
        logger: Logger
    ) {
        self.warnings = warnings
        self.signal = signal
        self.interval = interval
        self.gap = gap
        self.logger = logger
    }

    public func run() async throws {
        try await cancelWhenGracefulShutdown {
            var seen = self.generations()
            while !Task.isCancelled {
                let started = ContinuousClock.now
                let position = (try? await self.warnings.store.registryAndCaseworkPosition()) ?? 0
                do {
                    let pass = try await self.warnings.sweep()
                    if pass.raised.new + pass.raised.updated + pass.raised.raisedAgain + pass.escalated > 0 {
                        self.logger.info(
                            "warning sweep",
                            metadata: [
                                "new": "\(pass.raised.new)", "updated": "\(pass.raised.updated)",
                                "raisedAgain": "\(pass.raised.raisedAgain)", "escalated": "\(pass.escalated)",
                            ])
                    }
                } catch is CancellationError { return } catch {
                    self.logger.warning("warning sweep failed; retrying", metadata: ["error": "\(error)"])
                }
                // At least the gap, and twice what the pass took: on a large aggregate the
                // sweep leaves the node's cores to imports and replication between passes.
                try? await Task.sleep(for: max(self.gap, (ContinuousClock.now - started) * 2))
                seen = await self.waitForChange(after: seen, from: position, since: started)
            }
        }
    }

    /// The registry's and casework's change generations.
    private func generations() -> [UInt64] {
        [signal.generation(of: .registry), signal.generation(of: .casework)]
    }

    /// Waits until the registry or casework changed since `position` (a signal from another
    /// process's commit says only that something changed), or `interval` passed since `start`.
    private func waitForChange(after seen: [UInt64], from position: Int64, since start: ContinuousClock.Instant)
        async -> [UInt64]
    {
        var seen = seen
        let deadline = start + interval
        while !Task.isCancelled, ContinuousClock.now < deadline {
            if generations() != seen {
                seen = generations()
                if let now = try? await warnings.store.registryAndCaseworkPosition(), now != position { break }
            }
            _ = await signal.wait(for: .registry, after: seen[0], timeout: .seconds(1))
        }
        return seen
    }
}
