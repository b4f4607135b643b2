import CSQLite
import GRDB
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
}
