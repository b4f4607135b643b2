import Foundation
import GRDB
import JiuzhuDomain
import Testing

@testable import JiuzhuStorage

/// The audit log is append-only through SQLite, and `AuditChain` names every entry that
/// was edited, moved or removed by other means.
@Suite struct AuditLogTests {
    /// A village node's database with `count` audit entries.
    func database(entries count: Int) async throws -> (NodeDatabase, TemporaryDirectory) {
        let directory = try TemporaryDirectory()
        let code = try DivisionCode("321281100201")
        let database = try NodeDatabase.open(in: directory.url, for: .init(code: code, name: "董北村", role: .village))
        for index in 1...count {
            try await database.operators.audit(
                AuditRecord(
                    actor: "specialist", role: "villageSpecialist", action: "read", target: "/households/\(index)",
                    outcome: .allowed, detail: "查阅第 \(index) 户"))
        }
        return (database, directory)
    }

    /// Runs raw SQL with the append-only triggers removed, as someone editing the file would.
    func tamper(_ database: NodeDatabase, _ sql: String) async throws {
        try await database.writer.write { db in
            try db.execute(
                sql: "DROP TRIGGER IF EXISTS audit_entry_no_update; DROP TRIGGER IF EXISTS audit_entry_no_delete")
            try db.execute(sql: sql)
        }
    }

    @Test func anIntactChainVerifies() async throws {
        let (database, directory) = try await database(entries: 10)
        defer { directory.remove() }
        let verification = try await database.operators.verifyAudit()
        #expect(verification.isIntact)
        #expect(verification.chains == ["321281100201": 10])
    }

    @Test func sqliteRefusesToEditOrDeleteAnEntry() async throws {
        let (database, directory) = try await database(entries: 3)
        defer { directory.remove() }
        await #expect(throws: DatabaseError.self) {
            try await database.writer.write { db in try db.execute(sql: "UPDATE audit_entry SET detail = 'x'") }
        }
        await #expect(throws: DatabaseError.self) {
            try await database.writer.write { db in try db.execute(sql: "DELETE FROM audit_entry WHERE seq = 2") }
        }
        #expect(try await database.operators.verifyAudit().isIntact)
    }

    @Test(arguments: [
        ("UPDATE audit_entry SET detail = '什么也没看' WHERE seq = 4", ["节点 321281100201 第 4 条：内容被修改（与其哈希不符）"]),
        (
            "DELETE FROM audit_entry WHERE seq = 6",
            ["节点 321281100201 第 6 条：已被删除（第 6–6 条缺失）"]
        ),
        (
            "UPDATE audit_entry SET seq = -seq WHERE seq IN (3, 4); UPDATE audit_entry SET seq = CASE seq WHEN -3 THEN 4 ELSE 3 END WHERE seq < 0",
            [
                "节点 321281100201 第 3 条：顺序被调换：它原本紧接在现第 4 条之后",
                "节点 321281100201 第 4 条：顺序被调换：它原本紧接在现第 2 条之后",
                "节点 321281100201 第 5 条：顺序被调换：它原本紧接在现第 3 条之后",
            ]
        ),
        (
            "DELETE FROM audit_entry WHERE seq = 10",
            ["节点 321281100201 第 10 条：已被删除（变更日志记录了 10 条，审计日志只有 9 条）"]
        ),
    ])
    func tamperingIsFoundAndNamed(sql: String, expected: [String]) async throws {
        let (database, directory) = try await database(entries: 10)
        defer { directory.remove() }
        try await tamper(database, sql)
        let verification = try await database.operators.verifyAudit()
        #expect(verification.problems == expected)
    }

    @Test func anEditWithARecomputedHashBreaksTheNextLink() async throws {
        let (database, directory) = try await database(entries: 5)
        defer { directory.remove() }
        let entries = try await database.operators.auditEntries(.init()).reversed().map { $0 }
        let third = entries[2]
        let forged = AuditEntry.sealing(
            AuditRecord(
                actor: third.actor, role: third.role, action: third.action, target: third.target,
                outcome: third.outcome,
                detail: "伪造的说明"),
            seq: 3, at: third.at, node: third.node, previousHash: third.previousHash)
        try await tamper(
            database, "UPDATE audit_entry SET detail = '伪造的说明', hash = '\(forged.hash)' WHERE seq = 3")
        let problems = try await database.operators.verifyAudit().problems
        #expect(problems == ["节点 321281100201 第 3 条：被修改后重算了哈希（与第 4 条记录的前一条哈希不符）"])
    }
}
