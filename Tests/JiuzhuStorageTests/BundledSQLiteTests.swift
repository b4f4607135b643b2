import CSQLite
import Foundation
import GRDB
import GRDBSQLite
import JiuzhuDomain
import Testing

@testable import JiuzhuStorage

/// The node's databases run on the SQLite compiled into it, not on the system's library.
@Suite struct BundledSQLiteTests {
    /// GRDB links `-lsqlite3`; if the system library answered its calls, a node would run
    /// 3.40.1 (Debian 12), which has the WAL-reset bug, without lookaside.
    @Test func aNodeDatabaseRunsTheBundledSQLite() async throws {
        let database = try NodeDatabase.inMemory(for: .init(code: try DivisionCode("321200"), name: "泰州市", role: .city))
        let version = try await database.writer.read { db in try String.fetchOne(db, sql: "SELECT sqlite_version()") }
        let bundled = Int(jiuzhu_bundled_sqlite_version_number())
        #expect(version == "\(bundled / 1_000_000).\(bundled / 1000 % 1000).\(bundled % 1000)")
        #expect(version == "3.54.1")
        // 3.51.3 fixed the WAL-reset bug, which two connections writing and checkpointing one
        // file (the node's writer and its checkpointer) can meet.
        #expect(jiuzhu_bundled_sqlite_version_number() >= 3_051_003)
    }

    /// A cached statement keeps its plan whatever is bound to it. Without the planner's
    /// stability guarantee, SQLite prepared a statement again on every bind of a parameter its
    /// planner had looked at: here the channel (the log has partial indexes on it) and the limit.
    @Test func aCachedLogStatementIsNotPreparedAgainForNewValues() async throws {
        let folder = FileManager.default.temporaryDirectory.appending(path: "jiuzhu-storage-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = try NodeDatabase.open(
            in: folder, for: .init(code: try DivisionCode("321281"), name: "兴化市", role: .county))
        @Sendable func reprepared(_ db: Database) throws -> Int32 {
            let statement = try db.cachedStatement(
                sql: "SELECT position FROM change_log WHERE channel = ? AND position > ? ORDER BY position LIMIT ?")
            for (channel, limit) in [("registry", 10), ("policy", 20), ("casework", 5000), ("registry", 1)] {
                _ = try Int64.fetchAll(statement, arguments: [channel, 0, limit])
            }
            return sqlite3_stmt_status(statement.sqliteStatement, SQLITE_STMTSTATUS_REPREPARE, 0)
        }
        // A reader of the pool, and the writer.
        #expect(try await database.writer.read(reprepared) == 0)
        #expect(try await database.writer.write(reprepared) == 0)
    }
}
