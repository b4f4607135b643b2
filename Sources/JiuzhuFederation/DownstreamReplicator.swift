import Foundation
import JiuzhuDomain
import JiuzhuStorage
import Logging
import ServiceLifecycle

/// Pulls from the parent what is addressed to this node's subtree, one long poll per
/// downward channel, applying each answer and its checkpoint in one transaction.
///
/// The child opens every connection: villages sit behind NAT, and a parent never dials down.
public struct DownstreamReplicator: Service {
    let parent: TopologyNode
    let client: FederationClient
    let database: NodeDatabase
    let logger: Logger
    let longPoll: Int

    public init(
        parent: TopologyNode, client: FederationClient, database: NodeDatabase, logger: Logger,
        longPoll: Int = FederationProtocol.longPollSeconds
    ) {
        self.parent = parent
        self.client = client
        self.database = database
        self.logger = logger
        self.longPoll = longPoll
    }

    public func run() async throws {
        await runUntilShutdown(each: ReplicationChannel.downward, replicate)
    }

    private func replicate(_ channel: ReplicationChannel) async {
        var failures = 0
        var healthy = false
        while !Task.isCancelled {
            do {
                let cursor = try await database.cursor(peer: parent.code, direction: .down, channel: channel)
                let answer = try await client.pull(channel, after: cursor, wait: longPoll, from: parent)
                if answer.scannedThrough > cursor || !answer.changes.isEmpty {
                    try await database.applyFromParent(
                        answer.changes, parent: parent.code, channel: channel, scannedThrough: answer.scannedThrough)
                } else {
                    try await database.observeClock(answer.clock)
                }
                if !healthy {
                    try await database.recordLinkSuccess(peer: parent.code, direction: .down, channel: channel)
                    healthy = true
                }
                failures = 0
            } catch {
                if Task.isCancelled { return }
                failures += 1
                healthy = false
                if failures == 1 {
                    logger.warning("下行受阻", metadata: ["channel": "\(channel.rawValue)", "error": "\(error)"])
                }
                try? await database.recordLinkFailure(
                    peer: parent.code, direction: .down, channel: channel, error: "\(error)")
                try? await Task.sleep(for: UpstreamReplicator.backoff(failures))
            }
        }
    }
}
