import Foundation
import GRDB
import GRDBSQLite
import JiuzhuDomain

/// A change as this node's log holds it: its place in the local order, and when it was committed here.
public struct LoggedChange: Codable, Equatable, Sendable {
    /// The change's position in this node's log; links checkpoint on it.
    public let position: Int64
    public let change: Change
    /// When this node committed it (milliseconds since 1970, this node's clock).
    public let committedAt: Int64
}

/// One write transaction on the node's own data, able to log changes for the federation.
struct LocalTransaction {
    let db: Database
    let origin: DivisionCode
    /// The transaction's wall-clock time in milliseconds, the same for all it writes.
    let now: Int64
    private(set) var channels: Set<ReplicationChannel> = []

    init(db: Database, origin: DivisionCode, now: Int64) {
        self.db = db
        self.origin = origin
        self.now = now
    }

    /// Logs changes to data this node owns, assigning sequences and clocks.
    ///
    /// A node may only write rows whose jurisdiction lies inside its own, but for applications
    /// it routes to another village.
    @discardableResult
    mutating func log(_ changes: [LocalChange]) throws -> [Change] {
        for change in changes {
            let routed =
                RowOwnership.rule(channel: change.channel, entity: change.entity)?.addressedToAnyVillage ?? false
            guard change.jurisdiction.isWithin(origin) || routed else {
                throw StorageError.outsideJurisdiction(node: origin.digits, jurisdiction: change.jurisdiction.digits)
            }
            guard !change.entity.isEmpty, !change.key.isEmpty else {
                throw StorageError.invalidChange(reason: "实体名和键不能为空")
            }
            guard (change.payload?.utf8.count ?? 0) <= ChangeLogStore.maximumPayloadBytes else {
                throw StorageError.invalidChange(
                    reason: "\(change.entity)/\(change.key) 的内容超过 \(ChangeLogStore.maximumPayloadBytes / 1024) KiB")
            }
        }
        var clock = try ChangeLogStore.loadClock(db)
        var progress = ProgressCache()
        var logged: [Change] = []
        logged.reserveCapacity(changes.count)
        var lastChannel: ReplicationChannel?
        for local in changes {
            let sequence = try progress.last(origin: origin, channel: local.channel, db) + 1
            let change = Change(
                origin: origin, originSequence: sequence, clock: clock.tick(now: now), channel: local.channel,
                entity: local.entity, key: local.key, jurisdiction: local.jurisdiction, payload: local.payload)
            // A node writes only rows it owns, by the same rule its parent will apply.
            do { try RowOwnership.check(change) } catch {
                throw StorageError.invalidChange(reason: error.description)
            }
            progress.advance(origin: origin, channel: local.channel, to: sequence)
            logged.append(change)
            if local.channel != lastChannel {
                channels.insert(local.channel)
                lastChannel = local.channel
            }
        }
        var log = LogWriter(db)
        try log.write(logged, arrival: .local, at: now)
        try progress.save(db)
        try ChangeLogStore.saveClock(clock, db)
        return logged
    }
}

extension Change {
    /// Whether the change's row may be written only once (``RowOwnership/Rule/writtenOnce``).
    fileprivate var isWrittenOnce: Bool { RowOwnership.rule(channel: channel, entity: entity)?.writtenOnce ?? false }
}

/// How a change reached this node's log.
enum Arrival: String {
    case local, child, parent
}

extension ChangeLogStore {
    /// Commits changes to data this node owns, writing each to the change log in the same
    /// transaction: nothing is committed without reaching the log, nothing is logged that was
    /// not committed. Returns the changes as logged, with their sequence numbers and clocks.
    ///
    /// A node may only write rows whose jurisdiction lies inside its own, but for applications
    /// it routes to another village.
    @discardableResult
    public func commit(_ changes: [LocalChange]) async throws -> [Change] {
        try await transaction { transaction in try transaction.log(changes) }
    }

    /// The largest payload one change may carry; a batch of them must fit a federation request.
    public static let maximumPayloadBytes = 256 * 1024

    /// The next changes on `channel` to push to the parent: local ones and those from children,
    /// never those that came down from the parent.
    ///
    /// A batch holds at most `limit` changes and, past its first, at most `byteLimit` bytes of payload.
    public func changesToPushUp(channel: ReplicationChannel, after position: Int64, limit: Int, byteLimit: Int)
        async throws -> [LoggedChange]
    {
        let changes = try await writer.read { db in
            try Self.fetchLogged(
                db,
                sql: """
                    SELECT * FROM change_log WHERE channel = ? AND position > ? AND arrived_from <> 'parent'
                    ORDER BY position LIMIT ?
                    """,
                arguments: [channel.rawValue, position, limit])
        }
        var bytes = 0
        let fitting = changes.prefix { logged in
            bytes += logged.change.payload?.utf8.count ?? 0
            return bytes <= byteLimit
        }
        return fitting.isEmpty ? Array(changes.prefix(1)) : Array(fitting)
    }

    /// The next batch to push, as ``changesToPushUp(channel:after:limit:byteLimit:)`` chooses
    /// it but none at or after `end`, written as binary records straight from the log's rows (no
    /// `Change` values in between), with the last position it holds; nil when nothing waits.
    public func recordsToPushUp(
        channel: ReplicationChannel, after position: Int64, before end: Int64 = .max, limit: Int, byteLimit: Int
    ) async throws -> (records: ChangeRecords, last: Int64)? {
        try await writer.read { db in
            let statement = try db.cachedStatement(
                sql: """
                    SELECT position, origin, origin_seq, hlc, channel, entity, key, jurisdiction, payload
                    FROM change_log
                    WHERE channel = ? AND position > ? AND position < ? AND arrived_from <> 'parent'
                    ORDER BY position LIMIT ?
                    """)
            var records = ChangeRecords()
            var last: Int64 = 0
            var payloadBytes = 0
            try statement.forEachRow(in: db) { bind in
                bind.text(1, channel.rawValue)
                bind.integer(2, position)
                bind.integer(3, end)
                bind.integer(4, Int64(limit))
            } _: { row in
                func text(_ column: Int32) -> UnsafeBufferPointer<UInt8> {
                    UnsafeBufferPointer(
                        start: sqlite3_column_text(row, column), count: Int(sqlite3_column_bytes(row, column)))
                }
                let deleted = sqlite3_column_type(row, 8) == SQLITE_NULL
                payloadBytes += deleted ? 0 : Int(sqlite3_column_bytes(row, 8))
                // Past its first change, a batch stops before the payload limit.
                if !records.isEmpty, payloadBytes > byteLimit { return false }
                records.append(
                    origin: text(1), sequence: sqlite3_column_int64(row, 2), clock: sqlite3_column_int64(row, 3),
                    channel: text(4), entity: text(5), key: text(6), jurisdiction: text(7),
                    payload: deleted ? nil : text(8))
                last = sqlite3_column_int64(row, 0)
                return true
            }
            return records.isEmpty ? nil : (records, last)
        }
    }

    /// The changes after `position` a child must receive: those addressed to its subtree or to
    /// a division that contains it, except what its own subtree made; at most `limit`, in log
    /// order. Returns them and the position the child checkpoints: the last one returned when
    /// there may be more, else the end of the log as this read saw it.
    ///
    /// Found by the address index (one partial index per downward channel, on jurisdiction and
    /// position), not by reading every entry: a village pulls its few changes without the city
    /// reading everything the city logged for every other village.
    public func changesForChild(
        _ child: DivisionCode, channel: ReplicationChannel, after position: Int64, scanLimit limit: Int
    ) async throws -> (changes: [LoggedChange], scannedThrough: Int64) {
        guard channel.flowsDown else { return ([], position) }
        let address = AddressFilter(child)
        let arguments: StatementArguments = [position] + address.arguments + [limit]
        return try await writer.read { db in
            let found = try Self.fetchLogged(
                db,
                sql: """
                    SELECT * FROM change_log INDEXED BY change_log_down_\(channel.rawValue)
                    WHERE channel = '\(channel.rawValue)' AND position > ? AND \(address.sql)
                    ORDER BY position LIMIT ?
                    """,
                arguments: arguments)
            if found.count == limit, let last = found.last { return (found, last.position) }
            let end = try Self.logEnd(db)
            return (found, max(end, position))
        }
    }

    /// How many entries the log holds from `origin` on `channel` (each at most once: the log's
    /// unique key is origin, channel and sequence).
    public func logCount(origin: DivisionCode, channel: ReplicationChannel) async throws -> Int {
        try await writer.read { db in
            try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM change_log WHERE origin = ? AND channel = ?",
                arguments: [origin.digits, channel.rawValue]) ?? 0
        }
    }

    /// Every entry the log holds from `origin` on `channel`, in log order.
    public func logEntries(origin: DivisionCode, channel: ReplicationChannel) async throws -> [LoggedChange] {
        try await writer.read { db in
            try Self.fetchLogged(
                db, sql: "SELECT * FROM change_log WHERE origin = ? AND channel = ? ORDER BY position",
                arguments: [origin.digits, channel.rawValue])
        }
    }

    /// The last position the log ever gave out (0 before the first). Pruning may have removed
    /// that entry, or every entry: positions are never given out twice (`AUTOINCREMENT`), and
    /// `sqlite_sequence` keeps the highest.
    static func logEnd(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'change_log'") ?? 0
    }

    /// The last position the log gave out, or 0 when it never held an entry.
    public func lastLogPosition() async throws -> Int64 {
        try await writer.read { db in try Self.logEnd(db) }
    }

    /// The cursor of a link: for `up`, the last local position the parent acknowledged;
    /// for `down`, the last parent position applied here.
    public func cursor(peer: DivisionCode, direction: LinkDirection, channel: ReplicationChannel) async throws -> Int64
    {
        try await writer.read { db in try Self.cursor(peer: peer, direction: direction, channel: channel, db) }
    }

    static func cursor(peer: DivisionCode, direction: LinkDirection, channel: ReplicationChannel, _ db: Database)
        throws -> Int64
    {
        try Int64.fetchOne(
            db, sql: "SELECT position FROM link_cursor WHERE peer = ? AND direction = ? AND channel = ?",
            arguments: [peer.digits, direction.rawValue, channel.rawValue]) ?? 0
    }

    /// After the parent acknowledged everything through `position`: moves the upward cursor,
    /// takes in the parent's clock and marks the channel healthy, in one transaction.
    public func acknowledgeUp(
        peer: DivisionCode, channel: ReplicationChannel, through position: Int64, parentClock: HybridLogicalClock
    ) async throws {
        let now = wallClock.now()
        try await writer.write { db in
            try Self.setCursor(peer: peer, direction: .up, channel: channel, position: position, db)
            var clock = try Self.loadClock(db)
            // A parent's clock too far ahead is not taken in; the changes it acknowledged are safe all the same.
            try? clock.receive(parentClock, now: now, maximumLead: maximumPeerLead)
            try Self.saveClock(clock, db)
            try Self.markLinkHealthy(peer: peer, direction: .up, channel: channel, at: now, db)
        }
    }

    /// Where the log holds `origin`'s change number `sequence` on `channel`, if it does.
    public func logPosition(origin: DivisionCode, channel: ReplicationChannel, sequence: Int64) async throws -> Int64? {
        try await writer.read { db in
            try Int64.fetchOne(
                db, sql: "SELECT position FROM change_log WHERE origin = ? AND channel = ? AND origin_seq = ?",
                arguments: [origin.digits, channel.rawValue, sequence])
        }
    }

    /// Moves the upward cursor back to `position`, so that pushing starts again after it: the
    /// parent lost changes it had acknowledged, and skips those it still holds as repeats.
    public func rewindUpwardCursor(peer: DivisionCode, channel: ReplicationChannel, to position: Int64) async throws {
        try await writer.write { db in
            try Self.setCursor(peer: peer, direction: .up, channel: channel, position: position, db)
        }
    }

    /// The highest sequence this node holds from `origin` on `channel` (0 if none).
    public func lastSequence(origin: DivisionCode, channel: ReplicationChannel) async throws -> Int64 {
        try await writer.read { db in
            var cache = ProgressCache()
            return try cache.last(origin: origin, channel: channel, db)
        }
    }

    // MARK: - Shared pieces of the write transactions

    static func setCursor(
        peer: DivisionCode, direction: LinkDirection, channel: ReplicationChannel, position: Int64, _ db: Database
    ) throws {
        try db.execute(
            sql: """
                INSERT INTO link_cursor (peer, direction, channel, position) VALUES (?, ?, ?, ?)
                ON CONFLICT (peer, direction, channel) DO UPDATE SET position = excluded.position
                """,
            arguments: [peer.digits, direction.rawValue, channel.rawValue, position])
    }

    static func loadClock(_ db: Database) throws -> HybridLogicalClock {
        HybridLogicalClock(rawValue: try Int64.fetchOne(db, sql: "SELECT hlc FROM clock_state WHERE id = 1") ?? 0)
    }

    static func saveClock(_ clock: HybridLogicalClock, _ db: Database) throws {
        try db.execute(
            sql: "INSERT INTO clock_state (id, hlc) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET hlc = excluded.hlc",
            arguments: [clock.rawValue])
    }

    static func fetchLogged(_ db: Database, sql: String, arguments: StatementArguments) throws -> [LoggedChange] {
        try Row.fetchAll(db.cachedStatement(sql: sql), arguments: arguments).map(loggedChange)
    }

    /// Reads a `SELECT * FROM change_log` row by column position (the schema's order):
    /// looking columns up by name is the slowest part of reading a batch.
    static func loggedChange(_ row: Row) throws -> LoggedChange {
        guard let channel = ReplicationChannel(rawValue: row[4]) else {
            throw StorageError.invalidChange(reason: "未知通道 \(row[4] as String? ?? "")")
        }
        let change = Change(
            origin: try DivisionCode(row[1]), originSequence: row[2], clock: HybridLogicalClock(rawValue: row[3]),
            channel: channel, entity: row[5], key: row[6], jurisdiction: try DivisionCode(row[7]), payload: row[8])
        return LoggedChange(position: row[0], change: change, committedAt: row[10])
    }
}

/// What a child receives from its parent: changes addressed to its subtree or to a division
/// that contains it (its township, county and city, by code), except what its own subtree
/// made. A condition on `jurisdiction` and `origin`, for the log and for rows alike.
struct AddressFilter {
    let sql: String
    let arguments: StatementArguments

    init(_ child: DivisionCode) {
        let prefix = String(child.jurisdictionPrefix)
        let digits = child.digits
        let containing =
            [9, 6].filter { $0 < digits.count }.map { String(digits.prefix($0)) } + [String(digits.prefix(4)) + "00"]
        let placeholders = containing.map { _ in "?" }.joined(separator: ", ")
        sql = """
            (jurisdiction IN (\(placeholders)) OR (jurisdiction >= ? AND jurisdiction < ?)) AND substr(origin, 1, ?) <> ?
            """
        arguments = StatementArguments(containing) + [prefix, prefix + ":", prefix.count, prefix]
    }
}

/// Which way a link carries changes, seen from this node.
public enum LinkDirection: String, Codable, Sendable {
    /// To the parent.
    case up
    /// From the parent.
    case down
}

/// The highest sequence seen per origin and channel, read once and written back once per transaction.
struct ProgressCache {
    private struct Key: Hashable {
        let origin: DivisionCode
        let channel: ReplicationChannel
    }
    private var values: [Key: Int64] = [:]
    private var dirty: Set<Key> = []
    /// The key used last and its current value, which `values` may not hold yet: a batch's
    /// changes mostly share origin and channel, and comparing two keys costs less than hashing one.
    private var recent: (key: Key, value: Int64)?

    mutating func last(origin: DivisionCode, channel: ReplicationChannel, _ db: Database) throws -> Int64 {
        let key = Key(origin: origin, channel: channel)
        if let recent, recent.key == key { return recent.value }
        let value =
            try values[key]
            ?? Int64.fetchOne(
                db.cachedStatement(sql: "SELECT last_seq FROM origin_progress WHERE origin = ? AND channel = ?"),
                arguments: [origin.digits, channel.rawValue]) ?? 0
        values[key] = value
        remember(key, value)
        return value
    }

    mutating func advance(origin: DivisionCode, channel: ReplicationChannel, to sequence: Int64) {
        let key = Key(origin: origin, channel: channel)
        if let recent, recent.key == key {
            self.recent = (key, max(recent.value, sequence))
        } else {
            remember(key, max(values[key] ?? 0, sequence))
        }
    }

    /// Makes `key` the recent one, first writing the one before back into `values`.
    private mutating func remember(_ key: Key, _ value: Int64) {
        settleRecent()
        recent = (key, value)
    }

    /// Writes the recent value into `values`, marked for saving when it moved.
    private mutating func settleRecent() {
        guard let recent, values[recent.key] != recent.value else { return }
        values[recent.key] = recent.value
        dirty.insert(recent.key)
    }

    mutating func save(_ db: Database) throws {
        settleRecent()
        let statement = try db.cachedStatement(
            sql: """
                INSERT INTO origin_progress (origin, channel, last_seq) VALUES (?, ?, ?)
                ON CONFLICT (origin, channel) DO UPDATE SET last_seq = MAX(last_seq, excluded.last_seq)
                """)
        for key in dirty {
            try statement.execute(arguments: [key.origin.digits, key.channel.rawValue, values[key] ?? 0])
        }
    }
}

/// A 32-bit fingerprint of a row's version, summed per jurisdiction to compare two nodes' copies.
///
/// FNV-1a: stable across processes and releases (Swift's `Hasher` is seeded per process).
enum RowDigest {
    static func of(_ change: Change) -> Int64 {
        var hash = FNV1a()
        hash.mix(change.channel.rawValue)
        hash.mix(change.entity)
        hash.mix(change.key)
        hash.mix(change.origin.digits)
        hash.mix(decimal: change.originSequence)
        hash.mix(change.payload ?? "\u{0}deleted")
        return Int64((hash.value ^ (hash.value >> 32)) & 0xFFFF_FFFF)
    }

    /// FNV-1a over fields, each followed by 0xFF, read as bytes (no `String` made on the way).
    private struct FNV1a {
        private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

        mutating func mix(_ text: String) {
            text.withUTF8Bytes { mix($0) }
        }

        /// The number's decimal digits, as `String(number)` writes them.
        mutating func mix(decimal number: Int64) {
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { buffer in
                var rest = number.magnitude
                var start = buffer.count
                repeat {
                    start -= 1
                    buffer[start] = UInt8(ascii: "0") + UInt8(rest % 10)
                    rest /= 10
                } while rest > 0
                if number < 0 {
                    start -= 1
                    buffer[start] = UInt8(ascii: "-")
                }
                mix(UnsafeBufferPointer(rebasing: buffer[start...]))
            }
        }

        private mutating func mix(_ field: UnsafeBufferPointer<UInt8>) {
            var hash = value
            for byte in field {
                hash ^= UInt64(byte)
                hash &*= 0x100_0000_01b3
            }
            hash ^= 0xff
            value = hash &* 0x100_0000_01b3
        }
    }
}

/// Writes changes to the log and their rows to `replica_row`, many rows per statement, bound
/// through SQLite's C interface: a batch writes thousands of changes, and per-statement and
/// per-argument overhead (GRDB's `StatementArguments` is an array of existentials) would
/// otherwise cost more than SQLite's own work.
struct LogWriter {
    /// Rows per statement: 64 rows of 10 parameters stay far below SQLite's parameter limit.
    static let rowsPerStatement = 64
    private let db: Database
    private var statements: [String: Statement] = [:]
    /// Where bound text waits for each statement's run.
    private let arena = TextArena()

    init(_ db: Database) {
        self.db = db
    }

    /// Appends `changes` to the log and makes their rows current; returns how many entered
    /// the log (with `ignoringRepeats`, changes already there are left out).
    @discardableResult
    mutating func write(_ changes: [Change], arrival: Arrival, at now: Int64, ignoringRepeats: Bool = false) throws
        -> Int
    {
        var appended = 0
        var held = HeldRows()
        for start in stride(from: 0, to: changes.count, by: Self.rowsPerStatement) {
            let chunk = changes[start..<min(start + Self.rowsPerStatement, changes.count)]
            // A second version of a row written once, from its own owner, would pass the upsert's
            // condition: such rows are checked before they are written.
            try checkOwnership(chunk.filter { $0.isWrittenOnce }, against: &held)
            let append = try statement(
                ignoringRepeats ? "INSERT OR IGNORE" : "INSERT", Self.appendSQL, suffix: "", rows: chunk.count)
            try append.run(in: db, arena: arena) { bind in
                // Each change bound where it lies: a copy (`for change in chunk`) would retain
                // and release its strings.
                func bindRow(_ row: Int, _ change: Change) {
                    let base = Int32(row * 10)
                    bind.text(base + 1, change.origin.digits)
                    bind.integer(base + 2, change.originSequence)
                    bind.integer(base + 3, change.clock.rawValue)
                    bind.text(base + 4, change.channel.rawValue)
                    bind.text(base + 5, change.entity)
                    bind.text(base + 6, change.key)
                    bind.text(base + 7, change.jurisdiction.digits)
                    bind.text(base + 8, change.payload)
                    bind.text(base + 9, arrival.rawValue)
                    bind.integer(base + 10, now)
                }
                for index in chunk.indices { bindRow(index - chunk.startIndex, chunk[index]) }
            }
            appended += db.changesCount
            // Every other row is checked only when the upsert left one alone: its condition
            // refuses a row held from another origin, and leaves a repeat at its version. Then
            // the exact check, against the rows as the upsert left them, tells which it was.
            // Looking every row up first cost a B-tree search and a dictionary entry per change.
            if try upsertRows(chunk) < chunk.count { try checkOwnership(chunk, against: &held) }
        }
        return appended
    }

    /// Makes each row reflect its change, unless the row already holds the same owner's later
    /// version. A row held from another origin is never replaced, whatever the clocks say
    /// (``checkOwnership`` then refuses the change, and the transaction is rolled back). `repairing` also
    /// rewrites a row at the same version, whose content a repair restores. Files the rows in
    /// the tables derived from them (``RowFiling``). Returns how many rows it inserted or changed.
    @discardableResult
    mutating func upsertRows(_ changes: some Collection<Change>, repairing: Bool = false) throws -> Int {
        let upsert = try statement(
            "INSERT", Self.upsertSQL, suffix: repairing ? Self.repairConflict : Self.upsertConflict,
            rows: changes.count)
        try upsert.run(in: db, arena: arena) { bind in
            func bindRow(_ row: Int, _ change: Change) {
                let base = Int32(row * 9)
                bind.text(base + 1, change.channel.rawValue)
                bind.text(base + 2, change.entity)
                bind.text(base + 3, change.key)
                bind.text(base + 4, change.origin.digits)
                bind.integer(base + 5, change.originSequence)
                bind.integer(base + 6, change.clock.rawValue)
                bind.text(base + 7, change.jurisdiction.digits)
                bind.text(base + 8, change.payload)
                bind.integer(base + 9, RowDigest.of(change))
            }
            var row = 0
            for index in changes.indices {
                bindRow(row, changes[index])
                row += 1
            }
        }
        let written = db.changesCount
        try RowFiling.file(changes, db)
        return written
    }

    private static let appendSQL = (
        table:
            "change_log (origin, origin_seq, hlc, channel, entity, key, jurisdiction, payload, arrived_from, committed_at)",
        columns: 10
    )
    private static let upsertSQL = (
        table: "replica_row (channel, entity, key, origin, origin_seq, hlc, jurisdiction, payload, digest)", columns: 9
    )
    private static let upsertConflict = """
         ON CONFLICT (channel, entity, key) DO UPDATE SET
            origin_seq = excluded.origin_seq, hlc = excluded.hlc,
            jurisdiction = excluded.jurisdiction, payload = excluded.payload, digest = excluded.digest
        WHERE excluded.origin = replica_row.origin AND excluded.origin_seq > replica_row.origin_seq
        """
    private static let repairConflict = """
         ON CONFLICT (channel, entity, key) DO UPDATE SET
            origin_seq = excluded.origin_seq, hlc = excluded.hlc,
            jurisdiction = excluded.jurisdiction, payload = excluded.payload, digest = excluded.digest
        WHERE excluded.origin = replica_row.origin AND excluded.origin_seq >= replica_row.origin_seq
        """

    /// The origin and sequence of rows seen so far in one write, by channel, entity and key.
    struct HeldRows {
        struct Key: Hashable {
            let channel: String
            let entity: String
            let key: String
        }
        var rows: [Key: (origin: DivisionCode, sequence: Int64)] = [:]
    }

    /// Refuses a change to a row held from another origin, and a second version of a row
    /// that is written once (an audit entry, a security event, a policy version). A repeat of
    /// the version already held passes: pulls and restores see the same change twice.
    mutating func checkOwnership(_ changes: some Collection<Change>, against held: inout HeldRows) throws {
        // One primary-key lookup per row not seen yet in this write (a row-value IN over the
        // chunk made SQLite scan the table, and ingest fell twentyfold).
        let lookup = try lookupStatement()
        let handle = lookup.sqliteStatement
        let binder = Binder(handle: handle)
        for change in changes {
            let key = HeldRows.Key(channel: change.channel.rawValue, entity: change.entity, key: change.key)
            guard held.rows[key] == nil else { continue }
            sqlite3_reset(handle)
            binder.text(1, key.channel)
            binder.text(2, key.entity)
            binder.text(3, key.key)
            let code = sqlite3_step(handle)
            if code == SQLITE_ROW {
                let origin = try DivisionCode(String(cString: sqlite3_column_text(handle, 0)))
                held.rows[key] = (origin, sqlite3_column_int64(handle, 1))
            } else if code != SQLITE_DONE {
                throw DatabaseError(
                    resultCode: ResultCode(rawValue: code),
                    message: String(cString: sqlite3_errmsg(db.sqliteConnection)), sql: lookup.sql)
            }
        }
        sqlite3_reset(handle)
        for change in changes {
            let key = HeldRows.Key(channel: change.channel.rawValue, entity: change.entity, key: change.key)
            if let holder = held.rows[key] {
                guard holder.origin == change.origin, !change.isWrittenOnce || holder.sequence == change.originSequence
                else {
                    throw OwnershipViolation.rewritesHeldRow(
                        entity: change.entity, key: change.key, holder: holder.origin, origin: change.origin)
                }
            } else {
                held.rows[key] = (change.origin, change.originSequence)
            }
        }
    }

    private mutating func lookupStatement() throws -> Statement {
        let key = "SELECT replica_row"
        if let statement = statements[key] { return statement }
        let statement = try db.cachedStatement(
            sql: "SELECT origin, origin_seq FROM replica_row WHERE channel = ? AND entity = ? AND key = ?")
        statements[key] = statement
        return statement
    }

    /// `<verb> INTO <table> VALUES (?, …), … <suffix>` for `rows` rows, prepared once per
    /// connection: preparing a statement of 640 parameters, which SQLite's authorizer (GRDB's)
    /// checks column by column, cost as much as a tenth of applying a batch.
    private mutating func statement(
        _ verb: String, _ target: (table: String, columns: Int), suffix: String, rows: Int
    ) throws -> Statement {
        let key = "\(verb) \(target.table) \(rows)"
        if let statement = statements[key] { return statement }
        let tuple = "(" + Array(repeating: "?", count: target.columns).joined(separator: ", ") + ")"
        let values = Array(repeating: tuple, count: rows).joined(separator: ", ")
        let statement = try db.cachedStatement(sql: "\(verb) INTO \(target.table) VALUES \(values)\(suffix)")
        statements[key] = statement
        return statement
    }
}
