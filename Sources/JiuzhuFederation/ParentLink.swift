import Foundation
import JiuzhuDomain
import JiuzhuStorage
import Logging
import ServiceLifecycle

/// Keeps in touch with the node's parent: says hello at start and then every `interval`,
/// recording each success or failure so operators can see the link's state.
///
/// Only the child dials: villages sit behind NAT, so the parent learns a child is alive
/// by being called.
public struct ParentLink: Service {
    let node: TopologyNode
    let parent: TopologyNode
    let client: FederationClient
    let database: NodeDatabase
    let interval: Duration
    let logger: Logger

    public init(
        node: TopologyNode, parent: TopologyNode, client: FederationClient, database: NodeDatabase,
        interval: Duration, logger: Logger
    ) {
        self.node = node
        self.parent = parent
        self.client = client
        self.database = database
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        do {
            try await loop()
        } catch is CancellationError {}
    }

    private func loop() async throws {
        try await cancelWhenGracefulShutdown {
            var wasReachable: Bool?
            while !Task.isCancelled {
                let reachable = await helloOnce()
                if reachable != wasReachable {
                    logger.notice(
                        reachable ? "父节点可达" : "父节点不可达",
                        metadata: ["parent": "\(parent.code)"])
                    wasReachable = reachable
                }
                try await Task.sleep(for: interval)
            }
        }
    }

    /// One hello; returns whether it succeeded.
    @discardableResult
    public func helloOnce() async -> Bool {
        do {
            var backlog = 0
            for channel in ReplicationChannel.allCases where channel.flowsUp {
                backlog += try await database.changeLog.upwardBacklog(parent: parent.code, channel: channel).count
            }
            let hello = try await client.hello(parent, backlog: backlog)
            guard hello.peer == node.code.digits, hello.relation == .child else {
                throw FederationError.wrongNode(target: parent.code, answeredAs: hello.server)
            }
            try await database.changeLog.recordContact(
                with: parent.code, relation: .parent, at: database.wallClock.date(),
                policyVersion: hello.policyVersion.map { "\($0.id)@\($0.contentHash)" })
            return true
        } catch {
            logger.debug("hello 失败", metadata: ["parent": "\(parent.code)", "error": "\(error)"])
            try? await database.changeLog.recordFailure(
                with: parent.code, relation: .parent, error: "\(error)", at: database.wallClock.date())
            return false
        }
    }
}
