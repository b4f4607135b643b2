import GRDB
import GRDBSQLite

/// Binds parameters to a prepared statement by position, through SQLite's C interface: a write
/// of thousands of rows would otherwise spend more in GRDB's `StatementArguments` (an array of
/// existentials) than in SQLite's own work.
struct Binder {
    let handle: OpaquePointer
    /// Where text is copied for the statement's run, when the caller keeps one (``TextArena``);
    /// without it SQLite makes its own copy of each value.
    var arena: TextArena? = nil

    func text(_ index: Int32, _ value: String?) {
        guard let value else {
            sqlite3_bind_null(handle, index)
            return
        }
        // By the string's own UTF-8 bytes and length: passing a String where C wants a `char *`
        // copies a short (inline) string into a fresh heap array first, on every bind.
        value.withUTF8Bytes { bytes in
            if let arena {
                // SQLITE_STATIC: the arena keeps the bytes until the statement has run.
                sqlite3_bind_text(handle, index, arena.copy(bytes), Int32(bytes.count), nil)
                return
            }
            // An empty buffer may have no address, which SQLite would bind as NULL.
            guard let start = bytes.baseAddress else {
                sqlite3_bind_text(handle, index, "", 0, Self.transient)
                return
            }
            // SQLITE_TRANSIENT: SQLite copies the bytes before the call returns.
            start.withMemoryRebound(to: CChar.self, capacity: bytes.count) { pointer in
                _ = sqlite3_bind_text(handle, index, pointer, Int32(bytes.count), Self.transient)
            }
        }
    }

    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    func integer(_ index: Int32, _ value: Int64) {
        sqlite3_bind_int64(handle, index, value)
    }
}

/// Memory for the text bound to a statement until it has run: each value is copied once into
/// blocks the arena keeps and reuses, where SQLite would allocate, copy and free every value
/// itself (SQLITE_TRANSIENT). A multi-row insert binds hundreds of text values per run, and
/// those allocations were a tenth of applying a batch.
final class TextArena {
    private var blocks: [UnsafeMutableRawBufferPointer] = []
    private var block = 0
    private var used = 0
    /// The first block's size: a transaction of one change, the common case, binds a few
    /// hundred bytes, and a larger block (from 128 KiB up) would be mapped afresh for it. Each
    /// further block doubles, up to ``largestBlock``; a value larger than that gets a block of
    /// its own size.
    static let firstBlock = 16 * 1024
    static let largestBlock = 256 * 1024

    /// Copies `bytes` into the arena; the copy stays valid until ``reset()``.
    func copy(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafePointer<CChar> {
        while block < blocks.count, used + bytes.count > blocks[block].count {
            block += 1
            used = 0
        }
        if block == blocks.count {
            let grown = blocks.last.map { min(Self.largestBlock, 2 * $0.count) } ?? Self.firstBlock
            blocks.append(.allocate(byteCount: max(grown, bytes.count), alignment: MemoryLayout<UInt8>.alignment))
            used = 0
        }
        let destination = blocks[block].baseAddress! + used
        if let source = bytes.baseAddress { destination.copyMemory(from: source, byteCount: bytes.count) }
        used += bytes.count
        return UnsafePointer(destination.assumingMemoryBound(to: CChar.self))
    }

    /// Makes all the arena's memory free for the next run; what was copied before is no longer valid.
    func reset() {
        block = 0
        used = 0
    }

    deinit {
        for block in blocks { block.deallocate() }
    }
}

extension String {
    /// Calls `body` with the string's UTF-8 bytes where they lie, without copying the string
    /// first: `withUTF8`, which may have to make a bridged string contiguous, needs a mutable
    /// copy, and that copy cost a retain and a release on every bound value.
    @inline(__always)
    func withUTF8Bytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        if let result = utf8.withContiguousStorageIfAvailable(body) { return result }
        var copy = self
        return copy.withUTF8(body)
    }
}

extension Statement {
    /// Runs the statement once with the parameters `bind` sets, then lets go of them (a cached
    /// statement would otherwise hold copies of its last payloads); throws SQLite's error.
    ///
    /// With an `arena`, text is bound from copies in it, which are let go of once the statement
    /// has run (its bindings cleared first, so that it refers to none of them).
    func run(in db: Database, arena: TextArena? = nil, bind: (Binder) -> Void) throws {
        sqlite3_reset(sqliteStatement)
        bind(Binder(handle: sqliteStatement, arena: arena))
        let code = sqlite3_step(sqliteStatement)
        let failure = code == SQLITE_DONE ? nil : error(code, in: db)
        sqlite3_reset(sqliteStatement)
        sqlite3_clear_bindings(sqliteStatement)
        arena?.reset()
        if let failure { throw failure }
    }

    /// Runs a query with the parameters `bind` sets and returns its first row's first column as
    /// text, nil when it finds no row.
    func firstText(in db: Database, bind: (Binder) -> Void) throws -> String? {
        let code = step(bind: bind)
        defer { sqlite3_reset(sqliteStatement) }
        switch code {
        case SQLITE_ROW: return sqlite3_column_text(sqliteStatement, 0).map { String(cString: $0) }
        case SQLITE_DONE: return nil
        default: throw error(code, in: db)
        }
    }

    /// Runs a query with the parameters `bind` sets and hands each row's statement to `row`
    /// until the rows end or `row` returns false; throws SQLite's error.
    func forEachRow(in db: Database, bind: (Binder) -> Void, _ row: (OpaquePointer) -> Bool) throws {
        var code = step(bind: bind)
        defer { sqlite3_reset(sqliteStatement) }
        while code == SQLITE_ROW {
            guard row(sqliteStatement) else { return }
            code = sqlite3_step(sqliteStatement)
        }
        guard code == SQLITE_DONE else { throw error(code, in: db) }
    }

    private func step(bind: (Binder) -> Void) -> Int32 {
        sqlite3_reset(sqliteStatement)
        bind(Binder(handle: sqliteStatement))
        return sqlite3_step(sqliteStatement)
    }

    private func error(_ code: Int32, in db: Database) -> DatabaseError {
        DatabaseError(
            resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)),
            sql: sql)
    }
}
