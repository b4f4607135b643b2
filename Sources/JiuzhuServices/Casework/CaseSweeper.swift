import Foundation
import JiuzhuDomain
import JiuzhuStorage
import Logging
import ServiceLifecycle

/// Escalates overdue steps to the level above: each node sweeps the cases in its jurisdiction
/// whose next step is held one level below it, and records an escalation (its own row, which
/// flows up to the city and down to the village) for every step past its deadline. The node
/// above does it, so an escalation happens even when the holder's node is down.
public final class CaseSweeper: Service, Sendable {
    let store: any CaseworkRepository
    let indexer: CaseIndexer
    let interval: Duration
    let logger: Logger

    public init(store: any CaseworkRepository, indexer: CaseIndexer, interval: Duration = .seconds(10), logger: Logger)
    {
        self.store = store
        self.indexer = indexer
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do { try await self.sweep() } catch is CancellationError { return } catch {
                    self.logger.error("deadline sweep failed; retrying", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: self.interval)
            }
        }
    }

    /// Escalates every overdue, unescalated step held one level below this node; returns how many.
    @discardableResult
    public func sweep() async throws -> Int {
        let node = store.owner.code
        guard let below = node.level.childLevel else { return 0 }
        try await indexer.catchUp()
        let now = store.wallClock.now()
        let overdue = try await store.overdueUnescalated(within: node, holderLevel: below, at: now)
        var escalated = 0
        for summary in overdue {
            guard let dueOn = summary.dueOn, let stage = CaseStage(rawValue: summary.stage) else { continue }
            let record = CaseEscalationRecord(
                caseID: summary.caseID, n: summary.lastStep, stage: stage, dueOn: dueOn, escalatedAt: now,
                node: node.digits)
            let row = LocalChange(
                channel: .casework, entity: RowOwnership.CaseworkEntity.caseEscalation.rawValue,
                key: "\(node.digits)/\(summary.caseID)/e\(summary.lastStep)-\(stage.rawValue)",
                jurisdiction: summary.village,
                payload: String(decoding: try JSONEncoder.rows.encode(record), as: UTF8.self))
            do {
                try await store.appendRows(caseID: summary.caseID, expectedLastStep: nil, rows: [row], audit: nil)
                escalated += 1
            } catch let error as StorageError {
                // Already escalated here (the row is written once): the summary will say so.
                logger.debug("escalation not written", metadata: ["case": "\(summary.caseID)", "error": "\(error)"])
            }
        }
        if escalated > 0 { try await indexer.catchUp() }
        return escalated
    }
}
