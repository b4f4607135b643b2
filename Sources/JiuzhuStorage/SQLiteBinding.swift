import GRDB
import GRDBSQLite

/// Binds parameters to a prepared statement by position, through SQLite's C interface: a write
/// of thousands of rows would otherwise spend more in GRDB's `StatementArguments` (an array of
/// existentials) than in SQLite's own work.
struct Binder {
    let handle: OpaquePointer

    func text(_ index: Int32, _ value: String?) {
        guard let value else {
            sqlite3_bind_null(handle, index)
            return
        }
        // By the string's own UTF-8 bytes and length: passing a String where C wants a `char *`
        // copies a short (inline) string into a fresh heap array first, on every bind.
        // SQLITE_TRANSIENT: SQLite copies the bytes before the call returns.
        var text = value
        text.withUTF8 { bytes in
            // An empty buffer may have no address, which SQLite would bind as NULL.
            guard let start = bytes.baseAddress else {
                sqlite3_bind_text(handle, index, "", 0, Self.transient)
                return
            }
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

extension Statement {
    /// Runs the statement once with the parameters `bind` sets, then lets go of them (a cached
    /// statement would otherwise hold copies of its last payloads); throws SQLite's error.
    func run(in db: Database, bind: (Binder) -> Void) throws {
        let code = step(bind: bind)
        let failure = code == SQLITE_DONE ? nil : error(code, in: db)
        sqlite3_reset(sqliteStatement)
        sqlite3_clear_bindings(sqliteStatement)
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
