import JiuzhuDomain
import JiuzhuStorage
import Logging
import ServiceLifecycle

/// Prunes the node's change log every `interval`: entries older than `retention` that the
/// parent has acknowledged, every child has pulled and the node's indexes have read
/// (``ChangeLogStore/prune(committedBefore:parent:children:)``). A node's disk then grows with
/// its rows and its traffic, not with its whole history.
public struct LogPruner: Service {
    let node: TopologyNode
    let topology: Topology
    let database: NodeDatabase
    let retention: Duration
    let interval: Duration
    let logger: Logger

    public init(
        node: TopologyNode, topology: Topology, database: NodeDatabase, retention: Duration, interval: Duration,
        logger: Logger
    ) {
        self.node = node
        self.topology = topology
        self.database = database
        self.retention = retention
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try await Task.sleep(for: interval)
                await pruneOnce()
            }
        }
    }

    /// One pruning; a failure (a busy disk) is logged and tried again at the next interval.
    @discardableResult
    public func pruneOnce() async -> PruneOutcome? {
        let kept = retention.components.seconds * 1000 + retention.components.attoseconds / 1_000_000_000_000_000
        let cutoff = database.wallClock.now() - kept
        do {
            let outcome = try await database.changeLog.prune(
                committedBefore: cutoff, parent: node.parent,
                children: topology.children(of: node.code).map(\.code))
            if outcome.pruned > 0 || outcome.held > 0 {
                logger.info(
                    "变更日志已清理", metadata: ["pruned": "\(outcome.pruned)", "held": "\(outcome.held)"])
            }
            return outcome
        } catch {
            logger.warning("变更日志清理失败，下次再试", metadata: ["error": "\(error)"])
            return nil
        }
    }
}
