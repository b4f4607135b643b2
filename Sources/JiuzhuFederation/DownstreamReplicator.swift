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
    let metrics: NodeMetrics?

    public init(
        parent: TopologyNode, client: FederationClient, database: NodeDatabase, logger: Logger,
        longPoll: Int = FederationProtocol.longPollSeconds, metrics: NodeMetrics? = nil
    ) {
        self.parent = parent
        self.client = client
        self.database = database
        self.logger = logger
        self.longPoll = longPoll
        self.metrics = metrics
    }

    public func run() async throws {
        await runUntilShutdown(each: ReplicationChannel.downward, replicate)
    }

    private func replicate(_ channel: ReplicationChannel) async {
        var failures = FailureStreak(
            peer: parent.code, direction: .down, channel: channel, database: database, logger: logger)
        while !Task.isCancelled {
            do {
                let cursor = try await database.changeLog.cursor(peer: parent.code, direction: .down, channel: channel)
                let answer = try await client.pull(channel, after: cursor, wait: longPoll, from: parent)
                if answer.scannedThrough > cursor || !answer.changes.isEmpty {
                    let outcome = try await database.changeLog.applyFromParent(
                        answer.changes, parent: parent.code, channel: channel, scannedThrough: answer.scannedThrough)
                    metrics?.applied(answer.changes, new: outcome.applied, channel: channel, from: parent.code)
                } else {
                    try await database.changeLog.observeClock(answer.clock)
                }
                try await failures.succeeded()
            } catch {
                if Task.isCancelled { return }
                await failures.failed(error)
            }
        }
    }
}

/// A channel's failures in a row: the first is logged, and each is followed by a pause that
/// grows from 100 ms to 1 s, short so that a link that comes back is used within a second. A
/// peer that refuses the connection (it is not running, or is restarting) is tried again every
/// 100 ms: such a try costs it nothing, and a restarted parent is used as soon as it listens.
///
/// Failures are recorded for operators when the error changes, and otherwise every 5 s: a
/// link down for hours does not write to the database at every try. The first success after a
/// failure, or after the node started, is recorded too: a channel's state follows its latest
/// outcome, so an error met before the peer listened does not outlive the link's working.
struct FailureStreak {
    let peer: DivisionCode
    let direction: LinkDirection
    let channel: ReplicationChannel
    let database: NodeDatabase
    let logger: Logger
    private(set) var count = 0
    /// Whether the channel's success is recorded since the node started or last failed.
    private var recorded = false
    /// The failure last recorded in this streak, and when.
    private var lastRecorded: (error: String, at: ContinuousClock.Instant)?

    /// How often a failure that repeats itself is recorded again.
    let recordInterval: Duration

    init(
        peer: DivisionCode, direction: LinkDirection, channel: ReplicationChannel, database: NodeDatabase,
        logger: Logger, recordInterval: Duration = .seconds(5)
    ) {
        self.peer = peer
        self.direction = direction
        self.channel = channel
        self.database = database
        self.logger = logger
        self.recordInterval = recordInterval
    }

    /// The pause after the `count`th failure in a row.
    static func pause(after count: Int, notListening: Bool) -> Duration {
        notListening ? .milliseconds(100) : .milliseconds(min(1000, 100 << min(count - 1, 4)))
    }

    mutating func failed(_ error: any Error) async {
        count += 1
        recorded = false
        if count == 1 {
            logger.warning(
                direction == .up ? "上行受阻" : "下行受阻", metadata: ["channel": "\(channel.rawValue)", "error": "\(error)"])
        }
        let description = "\(error)"
        if lastRecorded.map({ $0.error != description || ContinuousClock.now - $0.at >= recordInterval }) ?? true {
            try? await database.changeLog.recordLinkFailure(
                peer: peer, direction: direction, channel: channel, error: description)
            lastRecorded = (description, .now)
        }
        let notListening = if case FederationError.notListening = error { true } else { false }
        try? await Task.sleep(for: Self.pause(after: count, notListening: notListening))
    }

    /// An exchange with the peer succeeded (a hello, push, pull or checksum): the channel
    /// works, and its last error is cleared.
    mutating func succeeded() async throws {
        if count > 0 {
            logger.notice(direction == .up ? "上行恢复" : "下行恢复", metadata: ["channel": "\(channel.rawValue)"])
        }
        count = 0
        lastRecorded = nil
        guard !recorded else { return }
        try await database.changeLog.recordLinkSuccess(peer: peer, direction: direction, channel: channel)
        recorded = true
    }
}
