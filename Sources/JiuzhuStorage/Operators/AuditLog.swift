import Foundation
import GRDB
import JiuzhuDomain

/// Which audit entries to list: newest first, optionally by actor or action, a page at a time.
public struct AuditQuery: Sendable {
    /// Whose log: this node's own (nil), or the copy held of a node below it.
    public var node: DivisionCode?
    public var actor: String?
    public var action: String?
    /// Only entries older than this sequence (the previous page's last).
    public var before: Int64?
    public var limit: Int

    public init(
        node: DivisionCode? = nil, actor: String? = nil, action: String? = nil, before: Int64? = nil, limit: Int = 50
    ) {
        self.node = node
        self.actor = actor
        self.action = action
        self.before = before
        self.limit = limit
    }
}

/// The result of checking every audit chain a node holds: its own and its subtree's copies.
public struct AuditVerification: Codable, Sendable {
    /// Per node: how many entries were checked.
    public let chains: [String: Int]
    public let problems: [String]

    public var isIntact: Bool { problems.isEmpty }
}

extension OperatorStore {
    /// The entity under which audit entries travel on the audit channel.
    static let auditEntity = "audit"

    /// Appends an entry to the audit log and logs it for the parent, in one transaction.
    @discardableResult
    public func audit(_ record: AuditRecord) async throws -> AuditEntry {
        try await transaction { transaction in try Self.appendAudit(record, in: &transaction) }
    }

    /// Appends an entry inside a transaction that also makes the change it describes.
    @discardableResult
    static func appendAudit(_ record: AuditRecord, in transaction: inout LocalTransaction) throws -> AuditEntry {
        try appendAudits([record], in: &transaction)[0]
    }

    /// Appends entries, chained in order, inside a transaction: read the chain's end once, log
    /// them for the federation in one call (a recomputation audits every deadline it moved).
    @discardableResult
    static func appendAudits(_ records: [AuditRecord], in transaction: inout LocalTransaction) throws -> [AuditEntry] {
        guard !records.isEmpty else { return [] }
        let db = transaction.db
        let last = try Row.fetchOne(db, sql: "SELECT seq, hash FROM audit_entry ORDER BY seq DESC LIMIT 1")
        var seq: Int64 = last?["seq"] ?? 0
        var previous: String = last?["hash"] ?? AuditEntry.genesis
        var entries: [AuditEntry] = []
        var changes: [LocalChange] = []
        for record in records {
            seq += 1
            let entry = AuditEntry.sealing(
                record, seq: seq, at: transaction.now, node: transaction.origin.digits, previousHash: previous)
            previous = entry.hash
            try insert(entry, db)
            entries.append(entry)
            changes.append(
                LocalChange(
                    channel: .audit, entity: auditEntity, key: Self.auditKey(node: entry.node, seq: entry.seq),
                    jurisdiction: transaction.origin,
                    payload: String(decoding: try Self.auditEncoder.encode(entry), as: UTF8.self)))
        }
        try transaction.log(changes)
        return entries
    }

    /// An audit row's replication key: the node and its sequence number, zero-padded to twelve
    /// digits so that keys sort in chain order.
    static func auditKey(node: String, seq: Int64) -> String {
        let digits = String(seq)
        return node + "/" + String(repeating: "0", count: max(0, 12 - digits.count)) + digits
    }

    private static func insert(_ entry: AuditEntry, _ db: Database) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO audit_entry (seq, at, node, actor, role, action, target, outcome, detail, prev_hash, hash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(
            arguments: [
                entry.seq, entry.at, entry.node, entry.actor, entry.role, entry.action, entry.target,
                entry.outcome.rawValue, entry.detail, entry.previousHash, entry.hash,
            ])
    }

    private static let auditEncoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return encoder
    }()

    /// Audit entries, newest first: this node's own, or those of `query.node` as replicated here.
    /// How many of this node's own entries record `action`.
    public func auditCount(action: String) async throws -> Int {
        try await writer.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM audit_entry WHERE action = ?", arguments: [action]) ?? 0
        }
    }

    public func auditEntries(_ query: AuditQuery) async throws -> [AuditEntry] {
        if let node = query.node, node != owner.code { return try await replicatedAuditEntries(of: node, query) }
        return try await writer.read { db in
            var conditions: [String] = []
            var arguments: StatementArguments = []
            if let actor = query.actor {
                conditions.append("actor = ?")
                arguments += [actor]
            }
            if let action = query.action {
                conditions.append("action = ?")
                arguments += [action]
            }
            if let before = query.before {
                conditions.append("seq < ?")
                arguments += [before]
            }
            let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            arguments += [max(1, min(query.limit, 500))]
            return try Row.fetchAll(
                db, sql: "SELECT * FROM audit_entry \(whereClause) ORDER BY seq DESC LIMIT ?", arguments: arguments
            ).map(Self.auditEntry)
        }
    }

    private func replicatedAuditEntries(of node: DivisionCode, _ query: AuditQuery) async throws -> [AuditEntry] {
        let limit = max(1, min(query.limit, 500))
        let before = query.before.map { Self.auditKey(node: node.digits, seq: $0) } ?? node.digits + "/~"
        return try await writer.read { db in
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT payload FROM replica_row
                    WHERE channel = ? AND entity = ? AND origin = ? AND key < ? ORDER BY key DESC
                    """,
                arguments: [ReplicationChannel.audit.rawValue, Self.auditEntity, node.digits, before])
            var entries: [AuditEntry] = []
            while entries.count < limit, let row = try rows.next() {
                guard let payload = row["payload"] as String?,
                    let entry = try? JSONDecoder().decode(AuditEntry.self, from: Data(payload.utf8)),
                    query.actor.map({ $0 == entry.actor }) ?? true, query.action.map({ $0 == entry.action }) ?? true
                else { continue }
                entries.append(entry)
            }
            return entries
        }
    }

    /// Checks this node's chain and every chain it holds for its subtree.
    public func verifyAudit() async throws -> AuditVerification {
        try await writer.read { db in
            var chains: [String: Int] = [:]
            var problems: [AuditChain.Problem] = []
            func recorded(_ origin: String) throws -> Int64 {
                try Int64.fetchOne(
                    db, sql: "SELECT last_seq FROM origin_progress WHERE origin = ? AND channel = ?",
                    arguments: [origin, ReplicationChannel.audit.rawValue]) ?? 0
            }
            let own = try Row.fetchAll(db, sql: "SELECT * FROM audit_entry ORDER BY seq").map(Self.auditEntry)
            chains[owner.code.digits] = own.count
            problems += AuditChain.verify(
                node: owner.code.digits, own, recordedCount: try recorded(owner.code.digits))

            let copies = try Row.fetchAll(
                db,
                sql: """
                    SELECT origin, key, payload FROM replica_row
                    WHERE channel = ? AND entity = ? AND origin <> ? ORDER BY origin, key
                    """,
                arguments: [ReplicationChannel.audit.rawValue, Self.auditEntity, owner.code.digits])
            var byOrigin: [String: [AuditEntry]] = [:]
            for row in copies {
                let origin: String = row["origin"]
                let payload: String? = row["payload"]
                guard let payload, let entry = try? JSONDecoder().decode(AuditEntry.self, from: Data(payload.utf8))
                else {
                    problems.append(
                        AuditChain.Problem(node: origin, seq: 0, message: "副本 \(row["key"] as String) 无法解读"))
                    continue
                }
                byOrigin[origin, default: []].append(entry)
            }
            for (origin, entries) in byOrigin.sorted(by: { $0.key < $1.key }) {
                chains[origin] = entries.count
                problems += AuditChain.verify(node: origin, entries, recordedCount: try recorded(origin))
            }
            return AuditVerification(chains: chains, problems: problems.map(\.description))
        }
    }

    static func auditEntry(_ row: Row) -> AuditEntry {
        AuditEntry(
            seq: row["seq"], at: row["at"], node: row["node"], actor: row["actor"], role: row["role"],
            action: row["action"], target: row["target"],
            outcome: AuditOutcome(rawValue: row["outcome"]) ?? .failed, detail: row["detail"],
            previousHash: row["prev_hash"], hash: row["hash"])
    }
}

extension OperatorStore {
    /// After a restore from the parent: takes this node's own audit entries back from the
    /// replicated copies into its chain, so the chain verifies and the next entry follows the
    /// highest the parent held (instead of starting again at 1 and colliding with the keys
    /// already replicated upward). Returns how many entries came back.
    @discardableResult
    public func restoreOwnAuditEntries() async throws -> Int {
        let code = owner.code.digits
        return try await writer.write { db in
            let last = try Int64.fetchOne(db, sql: "SELECT MAX(seq) FROM audit_entry") ?? 0
            let payloads = try String.fetchAll(
                db,
                sql: """
                    SELECT payload FROM replica_row
                    WHERE channel = ? AND entity = ? AND origin = ? AND payload IS NOT NULL ORDER BY key
                    """,
                arguments: [ReplicationChannel.audit.rawValue, Self.auditEntity, code])
            var restored = 0
            for payload in payloads {
                let entry = try JSONDecoder().decode(AuditEntry.self, from: Data(payload.utf8))
                guard entry.node == code, entry.seq > last else { continue }
                try Self.insert(entry, db)
                restored += 1
            }
            return restored
        }
    }
}
