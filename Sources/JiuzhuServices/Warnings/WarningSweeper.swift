import Foundation
import JiuzhuDomain
import JiuzhuStorage
import Logging
import ServiceLifecycle

/// Runs the warning platform's sweep at the city: after every change to the registry or to
/// cases the city receives (so a replicated change that triggers a rule is warned about at
/// once), and at least every `interval`, with at least `gap` between passes so a burst of
/// changes costs one pass.
public final class WarningSweeper: Service, Sendable {
    let warnings: WarningService
    let signal: ChangeSignal
    let interval: Duration
    let gap: Duration
    let logger: Logger

    public init(
        warnings: WarningService, signal: ChangeSignal, interval: Duration = .seconds(60), gap: Duration = .seconds(5),
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
                try? await Task.sleep(for: self.gap)
                seen = await self.waitForChange(after: seen)
            }
        }
    }

    /// The registry's and casework's change generations.
    private func generations() -> [UInt64] {
        [signal.generation(of: .registry), signal.generation(of: .casework)]
    }

    /// Waits until the registry or casework changes, or `interval` passes.
    private func waitForChange(after seen: [UInt64]) async -> [UInt64] {
        let deadline = ContinuousClock.now + interval
        while !Task.isCancelled, generations() == seen, ContinuousClock.now < deadline {
            _ = await signal.wait(for: .registry, after: seen[0], timeout: .seconds(1))
        }
        return generations()
    }
}
