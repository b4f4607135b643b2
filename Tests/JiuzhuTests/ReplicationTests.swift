import Foundation
import JiuzhuDomain
import JiuzhuFederation
import JiuzhuServices
import JiuzhuStorage
import Testing

@testable import JiuzhuWeb

extension LiveClusters {
    /// Replication through real node processes over mutual TLS.
    @Suite(.serialized) struct ReplicationTests {
        @Test func changesReachTheCityAndPolicyReachesTheVillage() async throws {
            let cluster = try await ChainCluster.running()
            defer { cluster.stop() }
            let village = try cluster.database(cluster.village)
            let city = try cluster.database(cluster.city)
            let written = try await cluster.writeRegistry(
                at: cluster.village, count: 50, perCommit: 10, database: village)
            #expect(written.map(\.originSequence) == Array(1...50))

            let arrived = await cluster.arrives(at: city, from: cluster.village, count: 50)
            #expect(arrived, "\(cluster.log(cluster.township))")
            let row = try #require(
                try await city.changeLog.row(channel: .registry, entity: written[7].entity, key: written[7].key))
            #expect(row.payload == #"{"n":7}"#)
            #expect(row.origin == cluster.village.code)

            // The city publishes a policy version for everyone; it flows down three hops, the
            // village computes with it and learns from its hello that its parent has no newer one.
            let text = try String(contentsOf: OperatorFixture.policyFile, encoding: .utf8)
            let (version, _) = try await PolicyService.publish(
                text: text, file: "taizhou.yaml", database: city, by: .commandLine)
            let reached = await eventually {
                (try? await village.policy.latestPolicy())?.contentHash == version.contentHash
            }
            #expect(reached)
            let running = try await PolicyService(database: village).current()
            #expect(running?.calculator.version == version)
            let parentHasIt = await eventually {
                let contacts = (try? await village.changeLog.peerContacts()) ?? []
                return contacts.first { $0.peer == cluster.township.code }?.policyVersion
                    == "\(version.id)@\(version.contentHash)"
            }
            #expect(parentHasIt)
            // A decision the county addresses to the township reaches everything inside it;
            // one addressed to another township of the county does not come this way.
            let county = try cluster.database(cluster.county)
            try await county.changeLog.commit([
                LocalChange(
                    channel: .casework, entity: "caseStep", key: "\(cluster.county.code)-d1",
                    jurisdiction: cluster.township.code,
                    payload: #"{"approved":true}"#),
                LocalChange(
                    channel: .casework, entity: "caseStep", key: "\(cluster.county.code)-d2",
                    jurisdiction: try DivisionCode("321281101"),
                    payload: #"{"approved":false}"#),
            ])
            let township = try cluster.database(cluster.township)
            #expect(
                await eventually {
                    (try? await village.changeLog.row(
                        channel: .casework, entity: "caseStep", key: "\(cluster.county.code)-d1"))
                        != nil
                })
            #expect(
                await eventually {
                    (try? await city.changeLog.row(
                        channel: .casework, entity: "caseStep", key: "\(cluster.county.code)-d2"))
                        != nil
                })
            #expect(
                try await township.changeLog.row(
                    channel: .casework, entity: "caseStep", key: "\(cluster.county.code)-d1") != nil)
            #expect(
                try await township.changeLog.row(
                    channel: .casework, entity: "caseStep", key: "\(cluster.county.code)-d2") == nil)
            #expect(
                try await village.changeLog.row(
                    channel: .casework, entity: "caseStep", key: "\(cluster.county.code)-d2") == nil)
            // Nothing that came down goes back up: the township's log holds the city's policy once.
            #expect(try await township.changeLog.logCount(origin: cluster.city.code, channel: .policy) == 1)
        }

        @Test func killingTheParentWhileItAppliesLosesAndRepeatsNothing() async throws {
            let cluster = try await ChainCluster.running()
            defer { cluster.stop() }
            let village = try cluster.database(cluster.village)
            let total = 20_000
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    try await cluster.writeRegistry(
                        at: cluster.village, count: total, perCommit: 500, database: village)
                }
                group.addTask {
                    // kill -9 the township three times while batches stream into it.
                    for _ in 0..<3 {
                        try await Task.sleep(for: .milliseconds(400))
                        cluster.kill(cluster.township)
                        try await Task.sleep(for: .milliseconds(200))
                        try cluster.start(cluster.township)
                    }
                }
                try await group.waitForAll()
            }
            let city = try cluster.database(cluster.city)
            let township = try cluster.database(cluster.township)
            let complete = await eventually(timeout: .seconds(90)) {
                (try? await city.changeLog.lastSequence(origin: cluster.village.code, channel: .registry))
                    == Int64(total)
            }
            #expect(complete, "\(cluster.log(cluster.village).suffix(2000))")
            for database in [township, city] {
                #expect(
                    try await database.changeLog.logCount(origin: cluster.village.code, channel: .registry) == total)
                #expect(
                    try await database.changeLog.checksum(channel: .registry, subtree: cluster.village.code).count
                        == Int64(total)
                )
            }
            #expect(
                try await city.changeLog.checksum(channel: .registry, subtree: cluster.village.code)
                    == village.changeLog.checksum(channel: .registry, subtree: cluster.village.code))
        }
        /// A long poll ends when a change addressed to the child arrives, not when the parent logs
        /// something addressed elsewhere: the child would only write down what was scanned and
        /// ask again, for every entry any other village got.
        @Test func aLongPollSleepsThroughChangesAddressedElsewhere() async throws {
            let cluster = try await ChainCluster.running(withoutVillage: true)
            defer { cluster.stop() }
            let township = try cluster.database(cluster.township)
            func commitCase(_ key: String, for village: String) async throws -> Int64 {
                let logged = try await township.changeLog.commit([
                    LocalChange(
                        channel: .casework, entity: "caseStep", key: key, jurisdiction: try DivisionCode(village),
                        payload: #"{"n":1}"#)
                ])
                return try #require(
                    try await township.changeLog.logPosition(
                        origin: cluster.township.code, channel: .casework, sequence: logged[0].originSequence))
            }
            try await cluster.asVillage { client in
                let start = try await township.changeLog.lastLogPosition()
                let started = ContinuousClock.now
                async let answer = client.pull(.casework, after: start, wait: 3, from: cluster.township)
                try await Task.sleep(for: .milliseconds(500))
                let elsewhere = try await commitCase("321281100-C-1", for: "321281100202")
                let quiet = try await answer
                #expect(quiet.changes.isEmpty)
                #expect(ContinuousClock.now - started >= .seconds(2.5), "ended by a change for another village")
                #expect(quiet.scannedThrough >= elsewhere, "what was scanned is still reported at the end")

                async let next = client.pull(.casework, after: quiet.scannedThrough, wait: 20, from: cluster.township)
                try await Task.sleep(for: .milliseconds(500))
                _ = try await commitCase("321281100-C-2", for: "321281100202")
                let mine = try await commitCase("321281100-C-3", for: cluster.village.code.digits)
                let answered = try await next
                #expect(answered.changes.map(\.key) == ["321281100-C-3"])
                #expect(answered.scannedThrough >= mine)
            }
        }
    }
}
