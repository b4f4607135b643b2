import Foundation
import JiuzhuDomain
import JiuzhuStorage
import Logging
import ServiceLifecycle

/// Pushes this node's change log to its parent, one loop per upward channel.
///
/// A loop sends as soon as a commit announces its channel, keeps sending while a backlog
/// remains, and advances its cursor only when the parent acknowledges a committed batch.
/// A failure blocks only that channel: it is recorded for operators and retried with a
/// growing pause. When the channel is caught up, the two sides compare checksums of this
/// node's subtree; a mismatch is reported and repaired by re-sending the subtree's rows.
public struct UpstreamReplicator: Service {
    let node: TopologyNode
    let parent: TopologyNode
    let client: FederationClient
    let database: NodeDatabase
    /// The least time between two checksum comparisons of a channel: each one scans the
    /// subtree's rows on both sides.
    let checksumInterval: Duration
    let logger: Logger

    public init(
        node: TopologyNode, parent: TopologyNode, client: FederationClient, database: NodeDatabase,
        checksumInterval: Duration, logger: Logger
    ) {
        self.node = node
        self.parent = parent
        self.client = client
        self.database = database
        self.checksumInterval = checksumInterval
        self.logger = logger
    }

    public func run() async throws {
        await runUntilShutdown(each: ReplicationChannel.upward, replicate)
    }

    private func replicate(_ channel: ReplicationChannel) async {
        var failures = FailureStreak(
            peer: parent.code, direction: .up, channel: channel, database: database, logger: logger)
        var verifiedNotBehind = false
        var compareWhenIdle = true
        var lastComparison: ContinuousClock.Instant?
        // Since when a comparison has been due but the channel has not been quiet.
        var comparisonDue: ContinuousClock.Instant?
        var repairsSeen = database.signal.repairGeneration(of: channel)
        var position = PushPosition()
        while !Task.isCancelled {
            do {
                // Rows a child repaired here are in no log: only a comparison carries them up.
                let repairs = database.signal.repairGeneration(of: channel)
                if repairs != repairsSeen {
                    repairsSeen = repairs
                    compareWhenIdle = true
                }
                if !verifiedNotBehind {
                    // The hello tells which form of batches the parent reads; the parent link's
                    // hellos keep that up to date.
                    _ = try await client.hello(parent)
                    try await checkNotBehind(channel)
                    verifiedNotBehind = true
                    try await failures.succeeded()
                }
                let seen = database.signal.generation(of: channel)
                let pushed: Bool
                do {
                    pushed = try await pushBacklog(channel, &position)
                } catch let FederationError.refused(_, status, code, reason)
                    where code == .sequenceGap || (code == nil && status == 409)
                {
                    // A parent of the release before refusal codes answered a gap, and only a gap, with 409.
                    position = PushPosition()
                    try await resendAfterGap(channel, reason: reason)
                    continue
                }
                guard pushed else {
                    // Every commit announces itself (other processes' through the watcher); the second is a safety net.
                    let moved = await database.signal.wait(for: channel, after: seen, timeout: .seconds(1))
                    // Compared once the channel has been quiet for that second, or has stayed busy
                    // for 10 s since a comparison was due: while a backlog still arrives from
                    // children, the push loop catches up between batches, and a comparison then
                    // (both sides reading the whole subtree's rows) took the burst's processor
                    // and could not agree anyway.
                    let due =
                        compareWhenIdle && (lastComparison.map { ContinuousClock.now - $0 >= checksumInterval } ?? true)
                    comparisonDue = due ? comparisonDue ?? .now : nil
                    if let since = comparisonDue, !moved || ContinuousClock.now - since >= .seconds(10) {
                        try await reconcile(channel)
                        compareWhenIdle = false
                        lastComparison = .now
                        comparisonDue = nil
                        try await failures.succeeded()
                    }
                    continue
                }
                try await failures.succeeded()
                compareWhenIdle = true
            } catch {
                if Task.isCancelled { return }
                position = PushPosition()
                await failures.failed(error)
            }
        }
    }

    /// Pushes the channel's backlog until none is left; returns whether there was any.
    ///
    /// To a parent that reads the binary form, the link is pipelined once the parent has taken
    /// a batch: the next one is read and sent while the parent applies the last, and the
    /// acknowledgements are taken in order, each after the parent's durable commit of its batch.
    /// A parent of the release before gets one JSON batch at a time.
    ///
    /// Reads nothing when no commit on the channel has been announced since a read found the
    /// log ending where the parent had acknowledged (`position`).
    private func pushBacklog(_ channel: ReplicationChannel, _ position: inout PushPosition) async throws -> Bool {
        if let caughtUp = position.caughtUpAt, database.signal.generation(of: channel) == caughtUp { return false }
        position.caughtUpAt = nil
        let binary = client.speaksBinary(parent)
        var sent: Int64
        if let through = position.acknowledgedThrough {
            sent = through
        } else {
            sent = try await database.changeLog.cursor(peer: parent.code, direction: .up, channel: channel)
            position.acknowledgedThrough = sent
        }
        var inFlight: [(batch: OutgoingBatch, task: Task<ApplyOutcome, any Error>)] = []
        defer { for (_, task) in inFlight { task.cancel() } }
        var acknowledged = 0
        while true {
            let depth = binary && acknowledged > 0 ? 2 : 1
            while inFlight.count < depth {
                // Taken before the read: a commit announced after it moves it, whether or not
                // the read saw the commit.
                let generation = database.signal.generation(of: channel)
                guard let batch = try await nextBatch(channel, after: sent, binary: binary) else {
                    // Nothing after `sent`; once the batches in flight are acknowledged, the
                    // parent holds everything committed before `generation`.
                    position.caughtUpAt = generation
                    break
                }
                sent = batch.last
                let (client, parent) = (client, parent)
                inFlight.append((batch, Task { try await batch.send(on: channel, by: client, to: parent) }))
            }
            guard !inFlight.isEmpty else { return acknowledged > 0 }
            let (batch, task) = inFlight.removeFirst()
            let outcome = try await withTaskCancellationHandler {
                try await task.value
            } onCancel: {
                task.cancel()
            }
            try await database.changeLog.acknowledgeUp(
                peer: parent.code, channel: channel, through: batch.last, parentClock: outcome.clock)
            position.acknowledgedThrough = batch.last
            acknowledged += 1
        }
    }

    /// What a push loop knows of its link between rounds, so that a round right after a push
    /// does not read its cursor and the log again (two reads for every push of a lone change).
    /// Forgotten after any failure or rewind: the next round reads both from the database.
    struct PushPosition {
        /// The last log position the parent acknowledged (the upward cursor), once known.
        var acknowledgedThrough: Int64?
        /// The channel's generation (``ChangeSignal``) before a read that found nothing after
        /// `acknowledgedThrough`: while it has not moved, there is nothing to push.
        var caughtUpAt: UInt64?
    }

    /// The next batch after log position `after`, or nil when none is waiting. In the binary
    /// form, records this node took from a child are forwarded as received (``RelayCache``)
    /// once nothing else of the log lies before them.
    private func nextBatch(_ channel: ReplicationChannel, after: Int64, binary: Bool) async throws -> OutgoingBatch? {
        let (limit, byteLimit) = (FederationProtocol.pushBatchSize, FederationProtocol.pushBatchBytes)
        // Taken in either form, so that entries the cursor has passed are let go.
        let relayed = database.relay.next(on: channel, after: after)
        guard binary else {
            let logged = try await database.changeLog.changesToPushUp(
                channel: channel, after: after, limit: limit, byteLimit: byteLimit)
            guard let last = logged.last else { return nil }
            return OutgoingBatch(
                after: after, last: last.position,
                body: .json(PushRequest(channel: channel, changes: logged.map(\.change))))
        }
        if let read = try await database.changeLog.recordsToPushUp(
            channel: channel, after: after, before: relayed?.positions.lowerBound ?? .max, limit: limit,
            byteLimit: byteLimit)
        {
            return OutgoingBatch(after: after, last: read.last, body: .records(read.records))
        }
        return relayed.map { OutgoingBatch(after: after, last: $0.positions.upperBound, body: .records($0.records)) }
    }

    /// Refuses to push when the parent has seen later sequences from this subtree than this
    /// node holds: the node lost data, and pushing would reuse sequence numbers.
    private func checkNotBehind(_ channel: ReplicationChannel) async throws {
        let held = try await client.progress(channel, at: parent)
        let local = try await database.changeLog.subtreeProgress(channel: channel, subtree: node.code)
        let localLast = Dictionary(local.map { ($0.origin, $0.lastSequence) }, uniquingKeysWith: max)
        for remote in held where remote.lastSequence > localLast[remote.origin, default: 0] {
            throw ReplicationError.behindParent(
                origin: remote.origin, channel: channel, local: localLast[remote.origin, default: 0],
                parent: remote.lastSequence)
        }
    }

    /// Compares this node's checksum of its subtree with the parent's; repairs a difference.
    private func reconcile(_ channel: ReplicationChannel) async throws {
        guard let local = try await database.changeLog.checksumIfCaughtUp(parent: parent.code, channel: channel) else {
            return
        }
        let remote = try await client.checksum(channel, at: parent).checksum
        if local == remote {
            try await database.changeLog.recordChecksum(
                peer: parent.code, channel: channel, agrees: true, detail: "一致（\(local)）")
            return
        }
        logger.warning(
            "校验和不一致，重发本辖区数据",
            metadata: ["channel": "\(channel.rawValue)", "local": "\(local)", "parent": "\(remote)"])
        try await database.changeLog.recordChecksum(
            peer: parent.code, channel: channel, agrees: false, detail: "不一致：本节点 \(local)，上级 \(remote)；正在修复")
        let repaired = try await resendRows(channel)
        let agrees = repaired == local
        try await database.changeLog.recordChecksum(
            peer: parent.code, channel: channel, agrees: agrees,
            detail: agrees ? "曾不一致（上级 \(remote)），已重发修复为 \(local)" : "修复后仍不一致：本节点 \(local)，上级 \(repaired)")
    }

    /// The parent refused a batch for a gap: it misses changes it once acknowledged (it was
    /// restored from its own parent after losing its disk). Pushes again from the first change
    /// it misses: sequence numbers at the parent move only by changes actually sent.
    private func resendAfterGap(_ channel: ReplicationChannel, reason: String) async throws {
        logger.warning("上级缺少已确认的变更，从其缺少处重发", metadata: ["channel": "\(channel.rawValue)", "reason": "\(reason)"])
        let held = try await client.progress(channel, at: parent)
        let parentLast = Dictionary(held.map { ($0.origin, $0.lastSequence) }, uniquingKeysWith: max)
        var restart: Int64?
        for local in try await database.changeLog.subtreeProgress(channel: channel, subtree: node.code) {
            let missing = parentLast[local.origin, default: 0] + 1
            guard local.lastSequence >= missing else { continue }
            guard
                let position = try await database.changeLog.logPosition(
                    origin: local.origin, channel: channel, sequence: missing)
            else {
                throw ReplicationError.notInLog(origin: local.origin, channel: channel, sequence: missing)
            }
            restart = min(restart ?? position, position)
        }
        guard let restart else { return }
        try await database.changeLog.rewindUpwardCursor(peer: parent.code, channel: channel, to: restart - 1)
        try await database.changeLog.recordChecksum(
            peer: parent.code, channel: channel, agrees: false,
            detail: "上级缺少已确认的变更（\(reason)），已从本节点日志第 \(restart) 条起重发")
    }

    /// Re-sends every row this subtree originated on `channel`, page by page; returns the
    /// parent's checksum after the last page.
    private func resendRows(_ channel: ReplicationChannel) async throws -> SubtreeChecksum {
        var after: ReplicaRowCursor?
        while true {
            let rows = try await database.changeLog.subtreeRows(
                channel: channel, subtree: node.code, after: after, limit: FederationProtocol.rowPageSize)
            let through = rows.count < FederationProtocol.rowPageSize ? nil : rows.last.map(ReplicaRowCursor.init)
            let checksum = try await client.repair(
                RowPage(channel: channel, after: after, through: through, rows: rows, progress: []), at: parent)
            guard let through else { return checksum }
            after = through
        }
    }
}

/// A batch on its way to the parent: this node's log positions after `after` through `last`.
struct OutgoingBatch: Sendable {
    enum Body: Sendable {
        case json(PushRequest)
        case records(ChangeRecords)
    }
    let after: Int64
    let last: Int64
    let body: Body

    func send(on channel: ReplicationChannel, by client: FederationClient, to parent: TopologyNode) async throws
        -> ApplyOutcome
    {
        switch body {
        case .json(let request): try await client.push(request, to: parent)
        case .records(let records):
            try await client.push(records, channel: channel, after: after, through: last, to: parent)
        }
    }
}

/// Runs `loop` for every channel concurrently until graceful shutdown cancels them.
func runUntilShutdown(
    each channels: [ReplicationChannel], _ loop: @escaping @Sendable (ReplicationChannel) async -> Void
) async {
    try? await cancelWhenGracefulShutdown {
        await withTaskGroup(of: Void.self) { group in
            for channel in channels {
                group.addTask { await loop(channel) }
            }
        }
    }
}

/// Why replication on a channel cannot go on by itself.
public enum ReplicationError: Error, Sendable, CustomStringConvertible {
    case behindParent(origin: DivisionCode, channel: ReplicationChannel, local: Int64, parent: Int64)
    /// The parent misses a change this node no longer has in its log (it was itself restored).
    case notInLog(origin: DivisionCode, channel: ReplicationChannel, sequence: Int64)

    public var description: String {
        switch self {
        case .behindParent(let origin, let channel, let local, let parent):
            "本节点的\(channel.chineseName)数据落后于上级（来源 \(origin)：本地序号 \(local)，上级已有 \(parent)），"
                + "可能丢失过数据；请停止节点后运行 jiuzhu federation restore"
        case .notInLog(let origin, let channel, let sequence):
            "上级缺少来源 \(origin) 的\(channel.chineseName)变更（序号 \(sequence) 起），本节点日志中已没有这些变更，无法补发；"
                + "请核对两级数据后处理"
        }
    }
}
