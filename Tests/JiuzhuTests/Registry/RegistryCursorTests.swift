import JiuzhuDomain
import JiuzhuStorage
import Testing

/// The registry's readers of the change log move over entries of other entities, so that they
/// are read once, not at every commit and every second after.
@Suite struct RegistryCursorTests {
    static let village = try! DivisionCode("321281100201")

    @Test func theIndexersReadMovesOverOtherEntities() async throws {
        let database = try NodeDatabase.inMemory(for: .init(code: Self.village, name: "村", role: .village))
        let others = try await database.changeLog.commit(
            (1...3).map { index in
                LocalChange(
                    channel: .registry, entity: "benchmark-change", key: "\(Self.village)-other-\(index)",
                    jurisdiction: Self.village, payload: #"{"n":\#(index)}"#)
            })
        #expect(others.count == 3)
        let household = "\(Self.village)-000001"
        _ = try await database.registry.saveHousehold(
            key: household, village: Self.village, payload: #"{"village":"\#(Self.village)","members":[]}"#,
            expectedSequence: nil,
            audit: AuditRecord(
                actor: "test", role: "villageSpecialist", action: "registry.create", target: household,
                outcome: .allowed, detail: ""))

        let first = try await database.registry.householdChanges(after: 0, limit: 2)
        #expect(first.count == 2, "two entries read, though neither is a household")
        #expect(first.records.isEmpty)
        let afterTwo = try #require(first.lastPosition, "the cursor moves over them")
        let rest = try await database.registry.householdChanges(after: afterTwo, limit: 100)
        #expect(rest.count >= 2, "the third other entry and the household")
        #expect(rest.records.map(\.key) == [household])
        #expect(
            rest.records.first?.payload?.contains("members") == true, "the household's current record comes with it")
        let end = try #require(rest.lastPosition)
        #expect(try await database.registry.householdChanges(after: end, limit: 100).count == 0)
    }
}
