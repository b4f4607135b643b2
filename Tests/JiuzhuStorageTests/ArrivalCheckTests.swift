import GRDB
import JiuzhuDomain
import Testing

@testable import JiuzhuStorage

/// The change log's check on how an entry arrived, after migration v18.
@Suite struct ArrivalCheckTests {
    @Test func theCheckStillRefusesAnUnknownArrivalWithoutATemporaryTable() async throws {
        let database = try NodeDatabase.inMemory(for: .init(code: try DivisionCode("321200"), name: "泰州市", role: .city))
        let insert = """
            INSERT INTO change_log (origin, origin_seq, hlc, channel, entity, key, jurisdiction, payload,
                arrived_from, committed_at) VALUES ('321200', 1, 1, 'registry', 'household', '321200-1', '321200', NULL, ?, 0)
            """
        try await database.writer.write { db in
            let definition = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_schema WHERE name = 'change_log'")
            #expect(definition?.contains(NodeDatabase.arrivalCheck.new) == true)
            #expect(definition?.contains(NodeDatabase.arrivalCheck.old) == false)
            // An IN list in a check made every inserted row build a temporary B-tree.
            let program = try Row.fetchAll(db, sql: "EXPLAIN \(insert)", arguments: ["local"]).map {
                $0["opcode"] as String
            }
            #expect(!program.contains("OpenEphemeral"))
            #expect(throws: DatabaseError.self) { try db.execute(sql: insert, arguments: ["elsewhere"]) }
            try db.execute(sql: insert, arguments: ["parent"])
            #expect(try String.fetchOne(db, sql: "PRAGMA quick_check") == "ok")
        }
    }
}
