import Foundation
import GRDB
import JiuzhuDomain
import JiuzhuStorage
import Synchronization
import Testing

@Suite struct StorageTests {
    static let city = NodeDatabase.Owner(code: try! DivisionCode("321200"), name: "泰州市", role: .city)

    @Test func databaseIsDurableWAL() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try NodeDatabase.open(in: directory.url.appending(path: "321200"), for: Self.city)
        #expect(try database.pragma("journal_mode") == "wal")
        // FULL on every connection, the writer above all: it commits what children are told is safe.
        #expect(try database.pragma("synchronous", onWriter: true) == "2")
        #expect(try database.pragma("synchronous") == "2")
        #expect(FileManager.default.fileExists(atPath: directory.url.appending(path: "321200/node.sqlite").path))
    }

    /// A village's readers keep at most 512 KiB of pages each; other nodes' keep SQLite's default.
    @Test func villageReadersHaveASmallCache() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let village = NodeDatabase.Owner(code: try DivisionCode("321281100201"), name: "村", role: .village)
        let atVillage = try NodeDatabase.open(in: directory.url.appending(path: "village"), for: village)
        let atCity = try NodeDatabase.open(in: directory.url.appending(path: "city"), for: Self.city)
        defer {
            try? atVillage.close()
            try? atCity.close()
        }
        #expect(try atVillage.pragma("cache_size") == "-512")
        #expect(try atCity.pragma("cache_size") == "-2000")
    }

    /// A registry change as an import in another process commits it.
    static func imported(_ number: Int) -> LocalChange {
        LocalChange(
            channel: .registry, entity: "benchmark-change", key: "321200-\(number)", jurisdiction: city.code,
            payload: #"{"members":1}"#)
    }

    /// Another process's commit is announced, and a watcher with nothing to see does not poll:
    /// on Linux it waits for the write-ahead log to be written (or a one-second fallback).
    @Test func externalCommitsAreAnnouncedWithoutPolling() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let node = try NodeDatabase.open(in: directory.url, for: Self.city)
        let checks = Mutex(0)
        let watch = Task {
            try await node.changeLog.watchExternalCommits(every: .milliseconds(10)) { checks.withLock { $0 += 1 } }
        }
        defer { watch.cancel() }
        try await Task.sleep(for: .milliseconds(500))
        #if canImport(Glibc)
            // Polling every 10 ms would have asked about 50 times (the one allowed is the start).
            #expect(checks.withLock { $0 } <= 1, "an idle watcher asked \(checks.withLock { $0 }) times in 0.5 s")
        #endif
        // The watcher says when it has taken its starting point; a commit before that would be
        // its starting point, unannounced.
        #expect(await eventually { checks.withLock { $0 } >= 1 })
        let seen = node.signal.generation(of: .registry)
        let caseworkSeen = node.signal.generation(of: .casework)
        // A second connection to the file, as `jiuzhu registry import` opens from its own process.
        let importer = try NodeDatabase.open(in: directory.url, for: Self.city)
        defer { try? importer.close() }
        try await importer.changeLog.commit([Self.imported(1)])
        #expect(await node.signal.wait(for: .registry, after: seen, timeout: .seconds(5)), "the commit is announced")
        // Only on the channel it logged on: the casework's waiters (children's long polls) sleep on.
        #expect(node.signal.generation(of: .casework) == caseworkSeen)
    }

    /// A commit writes the log and syncs it before it is marked in the shared index: the look
    /// its write wakes may find nothing yet, and the watcher looks again rather than wait for
    /// its fallback (a minute here) or another write. On an idle machine the sync is usually
    /// over by the first look; under the federation benchmark's load it was not, and a policy
    /// published from another process reached the villages in 0.3–0.7 s instead of 0.05–0.1 s.
    @Test func aCommitStillSyncingWhenTheWatcherWakesIsAnnounced() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let node = try NodeDatabase.open(in: directory.url, for: Self.city)
        let checks = Mutex(0)
        let watch = Task {
            try await node.changeLog.watchExternalCommits(every: .milliseconds(10), fallback: .seconds(60)) {
                checks.withLock { $0 += 1 }
            }
        }
        defer { watch.cancel() }
        #expect(await eventually { checks.withLock { $0 } >= 1 })
        let importer = try NodeDatabase.open(in: directory.url, for: Self.city)
        defer { try? importer.close() }
        for number in 1...3 {
            let seen = node.signal.generation(of: .registry)
            try await importer.changeLog.commit([Self.imported(number)])
            #expect(
                await node.signal.wait(for: .registry, after: seen, timeout: .seconds(5)),
                "commit \(number) is announced")
        }
    }

    /// Commits leave the write-ahead log to the checkpointer (up to a bound far above SQLite's
    /// 1,000 pages), which copies it into the file on its own connection.
    @Test func commitsLeaveTheLogToTheCheckpointer() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try NodeDatabase.open(in: directory.url, for: Self.city)
        let village = try DivisionCode("321281100201")
        let evidence = String(repeating: "证", count: 60_000)  // 180 KB of UTF-8
        for number in 0..<30 {
            let key = "321200-W" + String(repeating: "0", count: 14) + String(format: "%02d", number)
            try await database.changeLog.commit([
                LocalChange(
                    channel: .warnings, entity: "warning", key: key, jurisdiction: village,
                    payload: #"{"evidence":"\#(evidence)"}"#)
            ])
        }
        let first = try await database.checkpoint()
        #expect(first.logged > 1_000, "30 commits of 180 KB, left in the log: \(first.logged) pages")
        #expect(first.copied == first.logged, "with no reader in the way, all of it is copied")
        #expect(try await database.checkpoint().logged == first.logged, "nothing written since")
    }

    /// A write that meets another process's write lock (an import beside the node) waits for it
    /// and then commits, rather than failing.
    @Test func aWriteWaitsForAnotherConnectionsLock() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try NodeDatabase.open(in: directory.url, for: Self.city)
        let other = try DatabaseQueue(path: directory.url.appending(path: "node.sqlite").path)
        // The other connection takes the write lock on a thread of its own and holds it.
        await withCheckedContinuation { (locked: CheckedContinuation<Void, Never>) in
            Thread {
                var resumed = false
                try? other.writeWithoutTransaction { db in
                    try db.execute(sql: "BEGIN IMMEDIATE")
                    resumed = true
                    locked.resume()
                    Thread.sleep(forTimeInterval: 0.3)
                    try db.execute(sql: "COMMIT")
                }
                if !resumed { locked.resume() }  // never left waiting
            }.start()
        }
        let change = LocalChange(
            channel: .warnings, entity: "warning", key: "321200-W0000000000000001",
            jurisdiction: try DivisionCode("321281100201"), payload: "{}")
        try await database.changeLog.commit([change])
        #expect(try await database.changeLog.lastSequence(origin: Self.city.code, channel: .warnings) == 1)
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
        try await database.changeLog.recordContact(with: county, relation: .child, at: success)
        try await database.changeLog.recordFailure(
            with: county, relation: .child, error: "refused", at: success.addingTimeInterval(5))
        let contact = try #require(try await database.changeLog.peerContacts().first)
        #expect(contact.lastContact == success)
        #expect(contact.lastError == "refused")
        #expect(contact.lastErrorAt == success.addingTimeInterval(5))
    }
}

@Suite struct ChangeApplicationTests {
    static let township = NodeDatabase.Owner(code: try! DivisionCode("321281100"), name: "戴南镇", role: .township)

    func change(origin: String, jurisdiction: String, sequence: Int64, channel: ReplicationChannel = .casework) throws
        -> Change
    {
        Change(
            origin: try DivisionCode(origin), originSequence: sequence,
            clock: HybridLogicalClock(milliseconds: Int64(Date().timeIntervalSince1970 * 1000), counter: sequence),
            channel: channel,
            entity: channel == .registry ? "benchmark-change" : "caseStep", key: "\(origin)-k\(sequence)",
            jurisdiction: try DivisionCode(jurisdiction), payload: "{}")
    }

    @Test func aParentsBatchMustBeAddressedToThisSubtreeOrItChangesNothing() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try NodeDatabase.open(in: directory.url, for: Self.township)
        let county = try DivisionCode("321281")
        let addressed = [
            try change(origin: "321200", jurisdiction: "321200", sequence: 1),
            try change(origin: "321281", jurisdiction: "321281100201", sequence: 2),
        ]
        let outcome = try await database.changeLog.applyFromParent(
            addressed, parent: county, channel: .casework, scannedThrough: 7)
        #expect(outcome.applied == 2)
        #expect(try await database.changeLog.cursor(peer: county, direction: .down, channel: .casework) == 7)

        for stray in [
            try change(origin: "321281", jurisdiction: "321281101", sequence: 3),  // a sibling township's
            try change(origin: "321281100201", jurisdiction: "321281100201", sequence: 4),  // our own village's
        ] {
            await #expect(throws: ApplyError.self) {
                _ = try await database.changeLog.applyFromParent(
                    [try change(origin: "321200", jurisdiction: "321200", sequence: 9), stray], parent: county,
                    channel: .casework, scannedThrough: 20)
            }
        }
        // Refused whole: neither the good change in the same batch nor the cursor moved.
        #expect(try await database.changeLog.row(channel: .casework, entity: "caseStep", key: "321200-k9") == nil)
        #expect(try await database.changeLog.cursor(peer: county, direction: .down, channel: .casework) == 7)
    }

    @Test func aGapRefusesTheWholeBatch() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try NodeDatabase.open(in: directory.url, for: Self.township)
        let village = "321281100201"
        _ = try await database.changeLog.applyFromChild(
            [try change(origin: village, jurisdiction: village, sequence: 1, channel: .registry)], channel: .registry)
        let skipping = [
            try change(origin: village, jurisdiction: village, sequence: 3, channel: .registry),
            try change(origin: village, jurisdiction: village, sequence: 4, channel: .registry),
        ]
        await #expect(
            throws: ApplyError.gap(origin: try DivisionCode(village), channel: .registry, expected: 2, received: 3)
        ) {
            _ = try await database.changeLog.applyFromChild(skipping, channel: .registry)
        }
        #expect(try await database.changeLog.lastSequence(origin: try DivisionCode(village), channel: .registry) == 1)
        #expect(try await database.changeLog.logCount(origin: try DivisionCode(village), channel: .registry) == 1)
    }

    /// A batch sent again with new changes after it (the child did not hear the answer): the
    /// repeats are skipped, the new ones logged in order at consecutive positions.
    @Test func aBatchSentAgainAppliesOnlyWhatIsNew() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try NodeDatabase.open(in: directory.url, for: Self.township)
        let village = "321281100201"
        let changes = try (1...5).map {
            try change(origin: village, jurisdiction: village, sequence: $0, channel: .registry)
        }
        let first = try await database.changeLog.applyFromChild(Array(changes[..<3]), channel: .registry)
        #expect(first.applied == 3 && first.skipped == 0)
        let again = try await database.changeLog.applyFromChild(Array(changes[1...]), channel: .registry)
        #expect(again.applied == 2 && again.skipped == 2)
        let logged = try await database.changeLog.logEntries(origin: try DivisionCode(village), channel: .registry)
        #expect(logged.map(\.change) == changes)
        #expect(again.positions == logged[3].position...logged[4].position)
        #expect(
            try await database.changeLog.row(channel: .registry, entity: "benchmark-change", key: "\(village)-k5")
                != nil)
    }
}
