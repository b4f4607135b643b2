import Foundation
import JiuzhuDomain
import JiuzhuStorage
import Testing

@Suite struct StorageTests {
    static let city = NodeDatabase.Owner(code: try! DivisionCode("321200"), name: "泰州市", role: .city)

    @Test func databaseIsDurableWAL() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try NodeDatabase.open(in: directory.url.appending(path: "321200"), for: Self.city)
        #expect(try database.pragma("journal_mode") == "wal")
        #expect(try database.pragma("synchronous") == "2")  // FULL
        #expect(FileManager.default.fileExists(atPath: directory.url.appending(path: "321200/node.sqlite").path))
    }

    @Test func dataFolderBelongsToOneNode() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        _ = try NodeDatabase.open(in: directory.url, for: Self.city)
        let village = NodeDatabase.Owner(code: try DivisionCode("321281100201"), name: "董北村", role: .village)
        #expect(throws: StorageError.self) { try NodeDatabase.open(in: directory.url, for: village) }
        // The rightful owner still opens it.
        _ = try NodeDatabase.open(in: directory.url, for: Self.city)
    }

    @Test func unusableFolderIsNamed() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = directory.url.appending(path: "occupied")
        try Data("x".utf8).write(to: file)
        do {
            _ = try NodeDatabase.open(in: file.appending(path: "data"), for: Self.city)
            Issue.record("a folder under a regular file must be refused")
        } catch {
            #expect(error.description.hasPrefix("数据目录不可用：\(file.path)/data"))
        }
    }

    @Test func contactsKeepTheLastSuccessAndTheLastFailure() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try NodeDatabase.open(in: directory.url, for: Self.city)
        let county = try DivisionCode("321281")
        let success = Date(timeIntervalSince1970: 1_800_000_000)
        try await database.recordContact(with: county, relation: .child, at: success)
        try await database.recordFailure(
            with: county, relation: .child, error: "refused", at: success.addingTimeInterval(5))
        let contact = try #require(try await database.peerContacts().first)
        #expect(contact.lastContact == success)
        #expect(contact.lastError == "refused")
        #expect(contact.lastErrorAt == success.addingTimeInterval(5))
    }
}
