import Foundation
import GRDB
import JiuzhuDomain

/// What applying a batch did (the federation answers a push with it, as `ApplyOutcome`).
public struct AppliedBatch: Equatable, Sendable {
    /// Changes new to this node, now committed.
    public let applied: Int
    /// Changes seen before and skipped.
    public let skipped: Int
    /// This node's clock after the batch, so the sender can move its own past it.
    public let clock: HybridLogicalClock
    /// Where the new changes entered this node's log (consecutive positions, in batch order);
    /// nil when none did or for a pull.
    public var positions: ClosedRange<Int64>? = nil
}

/// Why a batch was refused as a whole; nothing of it was applied.
public enum ApplyError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The batch skips sequence numbers of an origin: applying it would lose the missing ones.
    case gap(origin: DivisionCode, channel: ReplicationChannel, expected: Int64, received: Int64)
    /// A change in the batch is on another channel than the batch.
    case wrongChannel(expected: ReplicationChannel, found: ReplicationChannel)
    /// The parent sent a change that is not addressed to this node's subtree, or that this
    /// subtree made itself.
    case notAddressed(node: DivisionCode, origin: DivisionCode, jurisdiction: DivisionCode)
    /// A change that its row's owner did not make, or that rewrites a row held from another
    /// origin or written once (``RowOwnership``).
    case notOwned(OwnershipViolation)
    /// A change of `origin` stamped further ahead of this node's clock than a peer may run.
    case clockAhead(origin: DivisionCode, ClockLeadError)

    public var description: String {
        switch self {
        case .gap(let origin, let channel, let expected, let received):
            "来源 \(origin) 的\(channel.chineseName)通道序号不连续：应为 \(expected)，收到 \(received)"
        case .wrongChannel(let expected, let found):
            "批次属于\(expected.chineseName)通道，却含有\(found.chineseName)通道的变更"
        case .notAddressed(let node, let origin, let jurisdiction):
            "上级发来的变更（来源 \(origin)，辖区 \(jurisdiction)）不是发给节点 \(node) 的，整批拒绝"
        case .notOwned(let violation):
            "变更违反数据归属，整批拒绝：\(violation)"
        case .clockAhead(let origin, let lead):
            "来源 \(origin) 的变更时间戳异常，整批拒绝：\(lead)"
        }
    }
}

extension ChangeLogStore {
    /// Applies a batch pushed by a child, all or nothing, in one durable transaction.
    ///
    /// A change seen before is skipped; a change that would leave a gap in its origin's
    /// sequence refuses the whole batch, and so does one that rewrites a row held from another
    /// origin or written once. Applied changes join this node's log with their origin kept, to
    /// travel further up. The caller has already checked (``BatchAdmission``) that the batch
    /// comes from a direct child, stays inside its subtree and comes from the rows' owners.
    public func applyFromChild(_ changes: [Change], channel: ReplicationChannel) async throws -> AppliedBatch {
        let now = wallClock.now()
        let lead = maximumPeerLead
        let outcome = try await writer.write { db -> AppliedBatch in
            var clock = try Self.loadClock(db)
            var progress = ProgressCache()
            // The changes new here: the batch itself unless some were seen before (a batch sent
            // again), so that a batch of thousands is not copied change by change.
            var fresh: [Change]?
            // By index and field, not `for change in changes`: copying each change retained
            // and released its strings, for thousands of changes per batch.
            for index in changes.indices {
                guard changes[index].channel == channel else {
                    throw ApplyError.wrongChannel(expected: channel, found: changes[index].channel)
                }
                let (origin, sequence) = (changes[index].origin, changes[index].originSequence)
                let last = try progress.last(origin: origin, channel: channel, db)
                if sequence <= last {
                    if fresh == nil {
                        fresh = Array(changes[..<index])
                        fresh?.reserveCapacity(changes.count)
                    }
                    continue
                }
                guard sequence == last + 1 else {
                    throw ApplyError.gap(origin: origin, channel: channel, expected: last + 1, received: sequence)
                }
                progress.advance(origin: origin, channel: channel, to: sequence)
                let stamp = changes[index].clock
                do { try clock.receive(stamp, now: now, maximumLead: lead) } catch let error as ClockLeadError {
                    throw ApplyError.clockAhead(origin: origin, error)
                }
                fresh?.append(changes[index])
            }
            let new = fresh ?? changes
            var log = LogWriter(db)
            do { try log.write(new, arrival: .child, at: now) } catch let violation as OwnershipViolation {
                throw ApplyError.notOwned(violation)
            }
            try progress.save(db)
            try Self.saveClock(clock, db)
            // One transaction appends, so the new entries are the last `new.count` positions.
            let last = try Self.logEnd(db)
            return AppliedBatch(
                applied: new.count, skipped: changes.count - new.count, clock: clock,
                positions: new.isEmpty ? nil : last - Int64(new.count) + 1...last)
        }
        if outcome.applied > 0 { signal.notify([channel]) }
        return outcome
    }

    /// Applies changes pulled from the parent and moves the downward cursor to
    /// `scannedThrough`, in one transaction: a crash before commit re-pulls, never loses.
    ///
    /// Every change must be addressed to this node's subtree, made outside it, by its row's
    /// owner, with a timestamp this node's clock may take in.
    public func applyFromParent(
        _ changes: [Change], parent: DivisionCode, channel: ReplicationChannel, scannedThrough: Int64
    ) async throws -> AppliedBatch {
        let now = wallClock.now()
        let lead = maximumPeerLead
        let outcome = try await writer.write { db -> AppliedBatch in
            var clock = try Self.loadClock(db)
            let node = owner.code
            for change in changes {
                guard change.channel == channel else {
                    throw ApplyError.wrongChannel(expected: channel, found: change.channel)
                }
                let addressed = node.isWithin(change.jurisdiction) || change.jurisdiction.isWithin(node)
                guard addressed, !change.origin.isWithin(node) else {
                    throw ApplyError.notAddressed(node: node, origin: change.origin, jurisdiction: change.jurisdiction)
                }
                do { try RowOwnership.check(change) } catch let error as OwnershipViolation {
                    throw ApplyError.notOwned(error)
                }
                do { try clock.receive(change.clock, now: now, maximumLead: lead) } catch let error as ClockLeadError {
                    throw ApplyError.clockAhead(origin: change.origin, error)
                }
            }
            // Down, a child sees only what is addressed to it, so an origin's sequence has gaps
            // here by design: repeats are recognised by the log's unique key.
            var log = LogWriter(db)
            let applied: Int
            do {
                applied = try log.write(changes, arrival: .parent, at: now, ignoringRepeats: true)
            } catch let violation as OwnershipViolation {
                throw ApplyError.notOwned(violation)
            }
            try Self.setCursor(peer: parent, direction: .down, channel: channel, position: scannedThrough, db)
            try Self.saveClock(clock, db)
            return AppliedBatch(applied: applied, skipped: changes.count - applied, clock: clock)
        }
        if outcome.applied > 0 { signal.notify([channel]) }
        return outcome
    }

    /// Moves this node's clock past a timestamp heard from another node; one too far ahead is
    /// refused (``ClockLeadError``) and changes nothing.
    public func observeClock(_ remote: HybridLogicalClock) async throws {
        let now = wallClock.now()
        let lead = maximumPeerLead
        try await writer.write { db in
            var clock = try Self.loadClock(db)
            try clock.receive(remote, now: now, maximumLead: lead)
            try Self.saveClock(clock, db)
        }
    }

    /// This node's clock as last stored.
    public func currentClock() async throws -> HybridLogicalClock {
        try await writer.read { db in try Self.loadClock(db) }
    }

    /// The current version of one replicated row, if this node holds it.
    public func row(channel: ReplicationChannel, entity: String, key: String) async throws -> ReplicaRow? {
        try await writer.read { db in
            try Row.fetchOne(
                db, sql: "SELECT * FROM replica_row WHERE channel = ? AND entity = ? AND key = ?",
                arguments: [channel.rawValue, entity, key]
            ).map(ReplicaRow.init)
        }
    }

    /// Every row this node holds on `channel` for `entity`, by key.
    public func rows(channel: ReplicationChannel, entity: String) async throws -> [ReplicaRow] {
        try await writer.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM replica_row WHERE channel = ? AND entity = ? ORDER BY key",
                arguments: [channel.rawValue, entity]
            ).map(ReplicaRow.init)
        }
    }
}

/// A row as replicated: its current content and which change of which owner made it so.
public struct ReplicaRow: Codable, Equatable, Sendable {
    public let channel: ReplicationChannel
    public let entity: String
    public let key: String
    public let origin: DivisionCode
    public let originSequence: Int64
    public let clock: HybridLogicalClock
    public let jurisdiction: DivisionCode
    /// JSON text; `nil` for a deleted row (kept so that copies compare equal).
    public let payload: String?

    init(_ row: Row) throws {
        guard let channel = ReplicationChannel(rawValue: row["channel"]) else {
            throw StorageError.invalidChange(reason: "未知通道")
        }
        self.channel = channel
        entity = row["entity"]
        key = row["key"]
        origin = try DivisionCode(row["origin"])
        originSequence = row["origin_seq"]
        clock = HybridLogicalClock(rawValue: row["hlc"])
        jurisdiction = try DivisionCode(row["jurisdiction"])
        payload = row["payload"]
    }

    /// The row as the change that produced it, for re-sending during repair or restore.
    public var change: Change {
        Change(
            origin: origin, originSequence: originSequence, clock: clock, channel: channel, entity: entity, key: key,
            jurisdiction: jurisdiction, payload: payload)
    }
}
