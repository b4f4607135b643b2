import Foundation
import GRDB
import JiuzhuDomain
import Testing

@testable import JiuzhuStorage

/// The tables derived from replicated rows (`warning_index`, `case_row`) follow the rows
/// however they arrive: written here, pushed by a child or pulled from the parent, in either
/// order, again, or in an older version.
@Suite struct RowFilingTests {
    static let city = try! DivisionCode("321200")
    static let township = try! DivisionCode("321281100")
    static let village = try! DivisionCode("321281100201")

    static func warning(_ name: String, generation: Int) -> LocalChange {
        LocalChange(
            channel: .warnings, entity: "warning", key: "321200-\(name)", jurisdiction: village,
            payload: """
                {"rule":"death","household":"321281100201-0001","generation":\(generation),\
                "raisedOn":"2026-12-0\(generation)","dueOn":"2026-12-1\(generation)"}
                """)
    }

    static func verification(of name: String, generation: Int, sequence: Int64) -> Change {
        Change(
            origin: village, originSequence: sequence, clock: HybridLogicalClock(), channel: .warnings,
            entity: "warningVerification", key: "321281100201/321200-\(name)/\(generation)", jurisdiction: village,
            payload: """
                {"warning":"321200-\(name)","generation":\(generation),"outcome":"confirmed",\
                "verifiedOn":"2026-12-03","reason":"已核实"}
                """)
    }

    @Test func aVerificationCountsWhetherItArrivesBeforeOrAfterItsWarning() async throws {
        let database = try NodeDatabase.inMemory(for: .init(code: Self.city, name: "泰州市", role: .city))
        let store = database.changeLog

        try await store.commit([Self.warning("A", generation: 1)])
        #expect(try await database.warnings.warning("321200-A")?.state.status == "open")
        _ = try await store.applyFromChild([Self.verification(of: "A", generation: 1, sequence: 1)], channel: .warnings)
        let verified = try #require(try await database.warnings.warning("321200-A")?.state)
        #expect(verified.status == "confirmed")
        #expect(verified.verifiedOn == 20_261_203)
        #expect(verified.reason == "已核实")

        _ = try await store.applyFromChild([Self.verification(of: "B", generation: 1, sequence: 2)], channel: .warnings)
        #expect(try await database.warnings.warning("321200-B") == nil)
        try await store.commit([Self.warning("B", generation: 1)])
        #expect(try await database.warnings.warning("321200-B")?.state.status == "confirmed")

        // Raised again: the verification of the first raising no longer counts.
        try await store.commit([Self.warning("A", generation: 2)])
        let raisedAgain = try #require(try await database.warnings.warning("321200-A")?.state)
        #expect(raisedAgain.generation == 2)
        #expect(raisedAgain.status == "open")
        #expect(raisedAgain.dueOn == 20_261_212)
    }

    @Test func anOlderVersionPulledAgainLeavesTheNewerIndexed() async throws {
        let database = try NodeDatabase.inMemory(for: .init(code: Self.township, name: "乡镇", role: .township))
        func pulled(_ generation: Int) -> Change {
            let local = Self.warning("C", generation: generation)
            return Change(
                origin: Self.city, originSequence: Int64(generation), clock: HybridLogicalClock(), channel: .warnings,
                entity: local.entity, key: local.key, jurisdiction: local.jurisdiction, payload: local.payload)
        }
        _ = try await database.changeLog.applyFromParent(
            [pulled(2)], parent: try DivisionCode("321281"), channel: .warnings, scannedThrough: 5)
        _ = try await database.changeLog.applyFromParent(
            [pulled(1), pulled(2)], parent: try DivisionCode("321281"), channel: .warnings, scannedThrough: 3)
        let state = try #require(try await database.warnings.warning("321200-C")?.state)
        #expect(state.generation == 2)
        #expect(state.raisedOn == 20_261_202)
    }

    @Test func caseworkRowsAreFiledUnderTheCaseTheyName() async throws {
        let database = try NodeDatabase.inMemory(for: .init(code: Self.village, name: "村", role: .village))
        func row(_ entity: String, _ key: String, _ payload: String?) -> LocalChange {
            LocalChange(channel: .casework, entity: entity, key: key, jurisdiction: Self.village, payload: payload)
        }
        let opened = "321281100201-0001"
        try await database.changeLog.commit([
            row("caseOpened", opened, #"{"caseID":"321281100201-0001"}"#),
            row("caseStep", "\(opened)/1", #"{"caseID":"321281100201-0001","n":1}"#),
            // An opening that names another case is filed nowhere, and so is a row without one.
            row("caseOpened", "321281100201-0002", #"{"caseID":"321281100201-0001"}"#),
            row("caseStep", "321281100201-0003/1", #"{"n":1}"#),
        ])
        // A new version of the opening is filed once.
        try await database.changeLog.commit([row("caseOpened", opened, #"{"caseID":"321281100201-0001","x":1}"#)])
        let filed = try await database.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT case_id, entity, key, step FROM case_row ORDER BY entity, key")
                .map { "\($0[0] as String) \($0[1] as String) \($0[2] as String) \($0[3] as Int? ?? -1)" }
        }
        #expect(
            filed == [
                "321281100201-0001 caseOpened 321281100201-0001 -1",
                "321281100201-0001 caseStep 321281100201-0001/1 1",
            ])
    }

    /// SQLite runs every row trigger for every row written, whatever its `WHEN` clause says:
    /// five of them cost each registry row about 1.3 µs at every hop.
    @Test func noTriggerRunsForEveryReplicatedRow() async throws {
        let database = try NodeDatabase.inMemory(for: .init(code: Self.city, name: "泰州市", role: .city))
        let triggers = try await database.writer.read { db in
            try String.fetchAll(
                db, sql: "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'replica_row'")
        }
        #expect(triggers.isEmpty)
    }
}
