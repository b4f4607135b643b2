import CSQLite
import Foundation
import GRDB
import GRDBSQLite
import JiuzhuDomain

/// A node's own SQLite database, in its data folder.
///
/// The database runs in WAL mode (readers never block the writer) with
/// `synchronous=FULL`: a commit that another node will rely on survives a power cut.
/// Migrations run when the database opens. A data folder belongs to exactly one node;
/// opening it for another is refused, so a village can never start on the city's data.
///
/// Its tables are kept by four stores over the one writer: ``changeLog`` (the outbox, applied
/// changes, clocks, links and checksums), ``registry`` (households, their index and search),
/// ``operators`` (accounts, sessions, sign-in throttling, the audit log and security events)
/// and ``policy`` (published policy versions).
///
/// ```swift
/// let database = try NodeDatabase.open(in: dataURL, for: .init(code: code, name: "泰州市", role: .city))
/// try await database.changeLog.recordContact(with: child, relation: .child, at: Date())
/// ```
public struct NodeDatabase: Sendable {
    /// The owner recorded in the database the first time it opened.
    public struct Owner: Equatable, Sendable {
        public let code: DivisionCode
        public let name: String
        public let role: NodeRole

        public init(code: DivisionCode, name: String, role: NodeRole) {
            self.code = code
            self.name = name
            self.role = role
        }
    }

    /// The database file's name inside the data folder.
    public static let fileName = "node.sqlite"

    /// The writer, owner, signal and clock the stores share.
    public let core: StoreCore
    /// The change log (outbox), applied changes, the hybrid logical clock, links and checksums.
    public let changeLog: ChangeLogStore
    /// Households: their versions, index, search and the records set aside.
    public let registry: RegistryStore
    /// Operator accounts, sessions, sign-in throttling, the audit log and security events.
    public let operators: OperatorStore
    /// Published policy versions.
    public let policy: PolicyStore
    /// Cases: their rows, which case each row belongs to, and the summaries for lists and sweeps.
    public let casework: CaseworkStore
    /// Department records, warnings and their verifications.
    public let warnings: WarningStore

    var writer: any DatabaseWriter { core.writer }
    /// The node whose data this is.
    public var owner: Owner { core.owner }
    /// Announces commits to the change log, for the push loop and children's long polls.
    public var signal: ChangeSignal { core.signal }
    /// This node's wall clock: every "now" the stores write comes from it.
    public var wallClock: NodeClock { core.wallClock }
    /// What this node took from its children and has yet to forward to its parent.
    public let relay = RelayCache()

    /// A connection of its own for copying the write-ahead log into the database file, so the
    /// copy runs beside the writer; nil in memory.
    let checkpointer: DatabaseQueue?

    /// How many pages the write-ahead log may hold before a commit copies them into the
    /// database file itself (SQLite's default is 1,000). Copying means flushing pages scattered
    /// over the file, which took 2.5 s after a 100,000-record import on the benchmark machine;
    /// the node's checkpointer does it in the background (``checkpoint()``), and this bound
    /// only keeps the log from growing without end when no node runs. It is far above what one
    /// large import writes (about 15,000 pages), so that a log the node could not start over
    /// for a while (a reader held an old snapshot) does not make an import's commit, and every
    /// commit after it, do the copy itself.
    public static let commitCheckpointPages = 262_144

    /// The size the write-ahead log file is cut back to when it starts over: a burst that grew
    /// it does not keep its disk for good.
    public static let logSizeLimit = 64 * 1024 * 1024

    init(
        writer: any DatabaseWriter, checkpointer: DatabaseQueue? = nil, owner: Owner, clock: NodeClock,
        maximumPeerLead: Int64
    ) {
        self.checkpointer = checkpointer
        core = StoreCore(
            writer: writer, owner: owner, signal: ChangeSignal(), wallClock: clock, maximumPeerLead: maximumPeerLead)
        changeLog = ChangeLogStore(core: core)
        registry = RegistryStore(core: core)
        operators = OperatorStore(core: core)
        policy = PolicyStore(core: core)
        casework = CaseworkStore(core: core)
        warnings = WarningStore(core: core)
    }

    /// Ten minutes: far more than synchronised machines drift, far less than a forged future.
    public static let defaultMaximumPeerLead: Int64 = 10 * 60 * 1000

    /// How many times a connection tries again for a lock another process holds (a `jiuzhu feeds
    /// import` beside the node, or the node beside it), about a millisecond apart: five seconds.
    static let lockRetries = 5_000

    /// Whether to try again for a lock after `tries` tries, having waited a millisecond.
    ///
    /// SQLite's own timeout backs off to sleeps of 100 ms: a write that met a lock held for a
    /// moment slept through its schedule, 1 + 2 + 5 + … + 100 = 328 ms, and single imports at the
    /// city took about 340 ms now and then in the warning benchmark.
    static func retryLock(after tries: Int) -> Bool {
        guard tries < lockRetries else { return false }
        usleep(1_000)
        return true
    }

    /// The page cache of each reader connection at a village, in KiB.
    static let villageReaderCacheKiB = 512

    /// Opens (creating if needed) the database in `directory` and runs the migrations.
    public static func open(
        in directory: URL, for owner: Owner, clock: NodeClock = .system,
        maximumPeerLead: Int64 = defaultMaximumPeerLead
    ) throws(StorageError) -> NodeDatabase {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw .unwritable(path: directory.path, reason: (error as NSError).localizedDescription)
        }
        guard FileManager.default.isWritableFile(atPath: directory.path) else {
            throw .unwritable(path: directory.path, reason: "没有写权限")
        }
        var configuration = Configuration()
        configuration.label = "node-\(owner.code)"
        configuration.busyMode = .callback(Self.retryLock(after:))
        // Releasing memory (MemoryRelief) empties the readers' caches but keeps them open: a
        // request that had to reopen one (the schema read again) waited milliseconds for it.
        configuration.persistentReadOnlyConnections = true
        let role = owner.role
        configuration.prepareDatabase { db in
            try Self.keepPlans(db)
            try db.execute(sql: "PRAGMA synchronous = FULL")
            // A village's readers serve a few operators over a few hundred households and read
            // a backlog once, in order, to push it, and a village machine has little memory:
            // each reader keeps at most 512 KiB of pages, not SQLite's 2 MB (a reader that
            // scans the log fills its whole cache, kept until the next release).
            if role == .village { try db.execute(sql: "PRAGMA cache_size = -\(villageReaderCacheKiB)") }
        }
        let writer: DatabasePool
        let checkpointer: DatabaseQueue
        let path = directory.appending(path: fileName).path
        do {
            writer = try DatabasePool(path: path, configuration: configuration)
            try migrator.migrate(writer)
            // A larger page cache for the one writer: index rows (citizen IDs, incomes, tags,
            // department records) land all over their B-trees, and with the default 2 MiB
            // nearly every row written read its pages back from the operating system. A
            // village's data is a small part of the city's, and a village machine has little
            // memory, so it gets 8 MiB, not 64.
            try writer.writeWithoutTransaction { db in
                // Again for the writer: GRDB sets `synchronous = NORMAL` on the connection that
                // writes when it turns WAL on, after `prepareDatabase`, and under NORMAL a commit
                // is not synced: a batch acknowledged to a child could be lost in a power cut.
                try db.execute(sql: "PRAGMA synchronous = FULL")
                try db.execute(sql: "PRAGMA cache_size = \(owner.role == .village ? -8192 : -65536)")
                try db.execute(sql: "PRAGMA wal_autocheckpoint = \(commitCheckpointPages)")
                try db.execute(sql: "PRAGMA journal_size_limit = \(logSizeLimit)")
            }
            checkpointer = try DatabaseQueue(path: path, configuration: Configuration())
        } catch {
            throw .unwritable(path: path, reason: "\(error)")
        }
        let database = NodeDatabase(
            writer: writer, checkpointer: checkpointer, owner: owner, clock: clock, maximumPeerLead: maximumPeerLead)
        try database.claimOwnership(path: path)
        return database
    }

    /// A database in memory, migrated like a file, for tests of the services and stores: it
    /// lives as long as the value and is shared by nothing else.
    public static func inMemory(
        for owner: Owner, clock: NodeClock = .system, maximumPeerLead: Int64 = defaultMaximumPeerLead
    ) throws -> NodeDatabase {
        var configuration = Configuration()
        configuration.label = "node-\(owner.code)-memory"
        configuration.prepareDatabase { db in try Self.keepPlans(db) }
        let writer = try DatabaseQueue(configuration: configuration)
        try migrator.migrate(writer)
        let database = NodeDatabase(writer: writer, owner: owner, clock: clock, maximumPeerLead: maximumPeerLead)
        try database.claimOwnership(path: ":memory:")
        return database
    }

    /// Keeps a prepared statement's plan whatever is bound to it (see
    /// `jiuzhu_enable_query_planner_stability`): a query that needs a partial index writes its
    /// condition as a literal, as `changesForChild` does with its channel.
    static func keepPlans(_ db: Database) throws {
        let code = jiuzhu_enable_query_planner_stability(db.sqliteConnection)
        guard code == SQLITE_OK else { throw DatabaseError(resultCode: ResultCode(rawValue: code)) }
    }

    private func claimOwnership(path: String) throws(StorageError) {
        let existing: String?
        do {
            existing = try writer.write { db -> String? in
                if let code = try String.fetchOne(db, sql: "SELECT code FROM node_identity") { return code }
                try db.execute(
                    sql: "INSERT INTO node_identity (code, name, role, created_at) VALUES (?, ?, ?, ?)",
                    arguments: [owner.code.digits, owner.name, owner.role.rawValue, wallClock.now()])
                return nil
            }
        } catch {
            throw .unwritable(path: path, reason: "\(error)")
        }
        if let existing, existing != owner.code.digits {
            throw .belongsToAnotherNode(path: path, owner: existing, requested: owner.code.digits)
        }
    }

    /// Closes the database's connections; the value must not be used afterwards.
    public func close() throws {
        try checkpointer?.close()
        try writer.close()
    }

    /// Copies what the write-ahead log holds into the database file, on a connection of its
    /// own, without waiting for or blocking readers and writers (a passive checkpoint); returns
    /// how many pages the log holds and how many of them are in the file now (fewer while a
    /// reader still needs older versions). `truncating` waits for readers and writers and then
    /// empties the log file, for measuring what the database itself takes on disk.
    @discardableResult
    public func checkpoint(truncating: Bool = false) async throws -> (logged: Int, copied: Int) {
        guard let checkpointer else { return (0, 0) }
        return try await checkpointer.writeWithoutTransaction { db in
            let result = try db.checkpoint(truncating ? .truncate : .passive)
            return (result.walFrameCount, result.checkpointedFrameCount)
        }
    }

    /// A number that changes whenever a commit lands, from this process or another (SQLite's
    /// `data_version` as the checkpointer's connection sees it); 0 in memory.
    public func commitVersion() async throws -> Int {
        guard let checkpointer else { return 0 }
        return try await checkpointer.writeWithoutTransaction { db in
            try Int.fetchOne(db, sql: "PRAGMA data_version") ?? 0
        }
    }

    /// Frees SQLite's caches on every connection, without waiting for or blocking the reads and
    /// writes under way.
    public func releaseMemory() {
        if let pool = writer as? DatabasePool { pool.releaseMemoryEventually() }
        (writer as? DatabaseQueue)?.releaseMemory()
    }

    /// The value of a PRAGMA on a reader connection, or with `onWriter` on the one connection
    /// that commits, whose settings decide durability; for checks and diagnostics
    /// (`journal_mode`, `synchronous`).
    public func pragma(_ name: String, onWriter: Bool = false) throws -> String? {
        guard name.allSatisfy({ $0.isLetter || $0 == "_" }) else { return nil }
        let sql = "PRAGMA \(name)"
        if onWriter { return try writer.writeWithoutTransaction { db in try String.fetchOne(db, sql: sql) } }
        return try writer.read { db in try String.fetchOne(db, sql: sql) }
    }

    /// The schema migrations, in order. Each is applied once and recorded by GRDB.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1 node identity and peer contacts") { db in
            try db.create(table: "node_identity") { t in
                t.primaryKey("code", .text)
                t.column("name", .text).notNull()
                t.column("role", .text).notNull()
                t.column("created_at", .integer).notNull()
            }
            try db.create(table: "peer_contact") { t in
                t.primaryKey("peer_code", .text)
                t.column("relation", .text).notNull()
                t.column("last_contact_at", .integer)
                t.column("last_error", .text)
                t.column("last_error_at", .integer)
            }
        }
        migrator.registerMigration("v2 change log and replicas") { db in
            try db.execute(sql: Self.federationSchema)
        }
        migrator.registerMigration("v3 operators, sessions and the audit log") { db in
            try db.execute(sql: Self.operatorSchema)
        }
        migrator.registerMigration("v4 the parent's policy version") { db in
            try db.execute(sql: "ALTER TABLE peer_contact ADD COLUMN policy_version TEXT")
        }
        migrator.registerMigration("v5 registry index") { db in
            try db.execute(sql: RegistryStore.registrySchema)
        }
        migrator.registerMigration("v6 registry age bounds") { db in
            try db.execute(sql: RegistryStore.registryAgeBounds)
        }
        migrator.registerMigration("v7 registry programmes, tags and next births") { db in
            try db.execute(sql: RegistryStore.registryProgrammesAndTags)
        }
        migrator.registerMigration(RegistryStore.setAsideMigration) { db in
            try db.execute(sql: RegistryStore.setAsideSchema)
        }
        migrator.registerMigration(CaseworkStore.migration) { db in
            try db.execute(sql: CaseworkStore.schema)
        }
        migrator.registerMigration(CaseworkStore.onlineCodeMigration) { db in
            try db.execute(sql: CaseworkStore.onlineCodeSchema)
        }
        migrator.registerMigration("v11 the change log's downward address index") { db in
            // One partial index per channel that flows down: the registry's ingest, which never
            // flows down, pays nothing for it.
            for channel in ReplicationChannel.downward {
                try db.execute(
                    sql: """
                        CREATE INDEX change_log_down_\(channel.rawValue) ON change_log (jurisdiction, position)
                        WHERE channel = '\(channel.rawValue)'
                        """)
            }
        }
        migrator.registerMigration(CaseworkStore.decisionColumnsMigration) { db in
            try db.execute(sql: CaseworkStore.decisionColumns)
        }
        migrator.registerMigration(CaseworkStore.stateColumnMigration) { db in
            try db.execute(sql: CaseworkStore.stateColumn)
        }
        migrator.registerMigration(CaseworkStore.rowTriggerMigration) { db in
            try db.execute(sql: CaseworkStore.rowTriggers)
        }
        migrator.registerMigration(WarningStore.migration) { db in
            try db.execute(sql: WarningStore.schema)
        }
        migrator.registerMigration(ChangeLogStore.childLinkMigration) { db in
            try db.execute(sql: ChangeLogStore.childLinkSchema)
        }
        migrator.registerMigration(RowFiling.migration) { db in
            try db.execute(sql: RowFiling.dropTriggers)
        }
        migrator.registerMigration(arrivalCheckMigration) { db in
            try rewriteArrivalCheck(db)
        }
        return migrator
    }

    static let arrivalCheckMigration = "v18 the change log's arrival check without a temporary table"

    /// The change log's check on `arrived_from` as v2 wrote it, and as v18 rewrites it.
    static let arrivalCheck = (
        old: "CHECK (arrived_from IN ('local', 'child', 'parent'))",
        new: "CHECK (arrived_from = 'local' OR arrived_from = 'child' OR arrived_from = 'parent')"
    )

    /// Rewrites the change log's check on `arrived_from` as three comparisons.
    ///
    /// SQLite (3.40) codes `IN` over a list of constants in a check as a temporary B-tree that
    /// every inserted row builds anew: a tenth of appending a change (0.5 µs of 5 in `jiuzhu bench
    /// apply`), paid at every hop. A check is not part of the stored rows, and every entry meets
    /// the new one, so the table's definition is rewritten in place, as SQLite documents for
    /// changing a check; copying the table would take minutes at a city of millions of entries.
    static func rewriteArrivalCheck(_ db: Database) throws {
        let version = try Int.fetchOne(db, sql: "PRAGMA schema_version") ?? 0
        try db.execute(sql: "PRAGMA writable_schema = ON")
        try db.execute(
            sql: "UPDATE sqlite_schema SET sql = replace(sql, ?, ?) WHERE type = 'table' AND name = 'change_log'",
            arguments: [arrivalCheck.old, arrivalCheck.new])
        try db.execute(sql: "PRAGMA schema_version = \(version + 1)")
        try db.execute(sql: "PRAGMA writable_schema = OFF")
        db.clearSchemaCache()
        let definition = try String.fetchOne(
            db, sql: "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'change_log'")
        guard definition?.contains(arrivalCheck.new) == true else {
            throw DatabaseError(message: "变更日志表 change_log 的定义与预期不符，未能改写 arrived_from 的检查")
        }
    }

    /// The change log (outbox), the replicated rows, and the state of each link. (Migration v18
    /// rewrites the change log's check on `arrived_from`: ``rewriteArrivalCheck(_:)``.)
    static let federationSchema = """
        CREATE TABLE change_log (
            position INTEGER PRIMARY KEY AUTOINCREMENT,
            origin TEXT NOT NULL,
            origin_seq INTEGER NOT NULL,
            hlc INTEGER NOT NULL,
            channel TEXT NOT NULL,
            entity TEXT NOT NULL,
            key TEXT NOT NULL,
            jurisdiction TEXT NOT NULL,
            payload TEXT,
            arrived_from TEXT NOT NULL CHECK (arrived_from IN ('local', 'child', 'parent')),
            committed_at INTEGER NOT NULL,
            UNIQUE (origin, channel, origin_seq)
        );
        CREATE INDEX change_log_by_channel ON change_log (channel, position);
        CREATE TABLE replica_row (
            channel TEXT NOT NULL,
            entity TEXT NOT NULL,
            key TEXT NOT NULL,
            origin TEXT NOT NULL,
            origin_seq INTEGER NOT NULL,
            hlc INTEGER NOT NULL,
            jurisdiction TEXT NOT NULL,
            payload TEXT,
            digest INTEGER NOT NULL,
            PRIMARY KEY (channel, entity, key)
        ) WITHOUT ROWID;
        CREATE TABLE origin_progress (
            origin TEXT NOT NULL,
            channel TEXT NOT NULL,
            last_seq INTEGER NOT NULL,
            PRIMARY KEY (origin, channel)
        ) WITHOUT ROWID;
        CREATE TABLE link_cursor (
            peer TEXT NOT NULL,
            direction TEXT NOT NULL CHECK (direction IN ('up', 'down')),
            channel TEXT NOT NULL,
            position INTEGER NOT NULL,
            PRIMARY KEY (peer, direction, channel)
        ) WITHOUT ROWID;
        CREATE TABLE link_state (
            peer TEXT NOT NULL,
            direction TEXT NOT NULL,
            channel TEXT NOT NULL,
            last_success_at INTEGER,
            last_error TEXT,
            last_error_at INTEGER,
            checksum TEXT,
            checksum_detail TEXT,
            checksum_at INTEGER,
            PRIMARY KEY (peer, direction, channel)
        ) WITHOUT ROWID;
        CREATE TABLE clock_state (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            hlc INTEGER NOT NULL
        );
        """
}

extension NodeDatabase {
    /// Operator accounts and sessions stay on their node; the audit log also travels up.
    ///
    /// The triggers make the audit log append-only for every connection that goes through
    /// SQLite; `AuditChain` catches whoever edits the file by other means.
    static let operatorSchema = """
        ALTER TABLE peer_contact ADD COLUMN reported_backlog INTEGER;
        CREATE TABLE operator_account (
            username TEXT PRIMARY KEY,
            display_name TEXT NOT NULL,
            role TEXT NOT NULL,
            password_hash TEXT NOT NULL,
            disabled INTEGER NOT NULL DEFAULT 0,
            created_at INTEGER NOT NULL,
            created_by TEXT NOT NULL,
            password_set_at INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE operator_session (
            token_hash TEXT PRIMARY KEY,
            username TEXT NOT NULL REFERENCES operator_account(username),
            csrf_token TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            last_seen_at INTEGER NOT NULL,
            expires_at INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE login_throttle (
            username TEXT PRIMARY KEY,
            failures INTEGER NOT NULL,
            first_failure_at INTEGER NOT NULL,
            locked_until INTEGER
        ) WITHOUT ROWID;
        CREATE TABLE audit_entry (
            seq INTEGER PRIMARY KEY,
            at INTEGER NOT NULL,
            node TEXT NOT NULL,
            actor TEXT NOT NULL,
            role TEXT NOT NULL,
            action TEXT NOT NULL,
            target TEXT NOT NULL,
            outcome TEXT NOT NULL,
            detail TEXT NOT NULL,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL
        );
        CREATE INDEX audit_entry_by_actor ON audit_entry (actor, seq);
        CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_entry
            BEGIN SELECT RAISE(ABORT, '审计日志只能追加，不能修改'); END;
        CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_entry
            BEGIN SELECT RAISE(ABORT, '审计日志只能追加，不能删除'); END;
        """
}

/// Why the node's storage cannot be used. Each message names the file or folder.
public enum StorageError: Error, Equatable, Sendable, CustomStringConvertible {
    case unwritable(path: String, reason: String)
    case belongsToAnotherNode(path: String, owner: String, requested: String)
    case outsideJurisdiction(node: String, jurisdiction: String)
    case invalidChange(reason: String)

    public var description: String {
        switch self {
        case .unwritable(let path, let reason):
            "数据目录不可用：\(path)（\(reason)）"
        case .belongsToAnotherNode(let path, let owner, let requested):
            "数据库 \(path) 属于节点 \(owner)，不能用于节点 \(requested)"
        case .outsideJurisdiction(let node, let jurisdiction):
            "节点 \(node) 不能写入辖区 \(jurisdiction) 的数据：该辖区不在本节点之下"
        case .invalidChange(let reason):
            "变更无效：\(reason)"
        }
    }
}
