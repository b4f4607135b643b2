import Foundation
import GRDB
import JiuzhuDomain
import JiuzhuFederation
import JiuzhuServices
import JiuzhuStorage
import Testing

@testable import JiuzhuWeb

extension LiveClusters {
    /// Crashes, outages, hostile peers, skewed clocks and lost disks, with real node processes.
    @Suite(.serialized) struct FederationFaultTests {
        @Test func childKilledAfterCommitDeliversAfterRestart() async throws {
            let cluster = try await ChainCluster.running()
            defer { cluster.stop() }
            cluster.kill(cluster.village)
            // Committed at the village while its process is down: nothing can have pushed it.
            let village = try cluster.database(cluster.village)
            try await cluster.writeRegistry(at: cluster.village, count: 100, database: village)
            let city = try cluster.database(cluster.city)
            try await Task.sleep(for: .milliseconds(500))
            #expect(try await city.changeLog.lastSequence(origin: cluster.village.code, channel: .registry) == 0)
            try cluster.start(cluster.village)
            #expect(
                await cluster.arrives(at: city, from: cluster.village, count: 100)
            )
            #expect(try await city.changeLog.logCount(origin: cluster.village.code, channel: .registry) == 100)
        }

        @Test func parentDownWhileChildWritesThenCatchesUpAndChecksumsAgree() async throws {
            let cluster = try await ChainCluster.running()
            defer { cluster.stop() }
            cluster.kill(cluster.township)
            let village = try cluster.database(cluster.village)
            try await cluster.writeRegistry(at: cluster.village, count: 3000, perCommit: 100, database: village)

            // The village keeps the backlog and says why it is stuck. The first attempt after
            // the kill may meet the closing connection; the next ones find nothing listening.
            let blocked = await eventually {
                let status = try? await FederationStatus.read(
                    node: cluster.village, parent: cluster.township, database: village)
                let registry = status?.links.first { $0.channel == .registry && $0.direction == .up }
                return registry?.backlog == 3000 && registry?.lastError?.contains("连接被拒绝") == true
            }
            #expect(blocked)
            let status = try cluster.federation("status", for: cluster.village)
            #expect(status.status == 0, "\(status.standardError)")
            #expect(status.standardOutput.contains("登记上行 · 积压 3000"))
            #expect(status.standardOutput.contains("受阻：无法连接节点 \(cluster.township.code)"))
            // Nothing listens at the stopped township's address: told apart, and retried sooner.
            #expect(status.standardOutput.contains("连接被拒绝"), "\(status.standardOutput)")

            try cluster.start(cluster.township)
            let city = try cluster.database(cluster.city)
            #expect(
                await cluster.arrives(at: city, from: cluster.village, count: 3000))
            let agreed = await eventually {
                let state = try? await village.changeLog.linkStates().first {
                    $0.channel == .registry && $0.direction == .up
                }
                return state?.checksumAgrees == true && state?.lastError == nil
            }
            #expect(agreed)
            #expect(
                try await city.changeLog.checksum(channel: .registry, subtree: cluster.village.code)
                    == village.changeLog.checksum(channel: .registry, subtree: cluster.village.code))
        }

        /// A child started before its parent meets a refused connection on every channel; once
        /// the parent listens, every channel says it works, though nothing waits to be sent.
        @Test func aChannelsStateFollowsItsLatestOutcome() async throws {
            let cluster = try await ChainCluster.running()
            defer { cluster.stop() }
            cluster.kill(cluster.township)
            cluster.kill(cluster.village)
            try cluster.start(cluster.village)
            let village = try cluster.database(cluster.village)
            let upward = Set(ReplicationChannel.upward)
            func upwardStates() async -> [LinkState] {
                ((try? await village.changeLog.linkStates()) ?? []).filter {
                    $0.peer == cluster.township.code && $0.direction == .up
                }
            }
            let refused = await eventually {
                Set(await upwardStates().filter { $0.lastError != nil }.map(\.channel)) == upward
            }
            #expect(refused)

            try cluster.start(cluster.township)
            let working = await eventually {
                let states = await upwardStates()
                return Set(states.map(\.channel)) == upward
                    && states.allSatisfy { $0.lastError == nil && $0.lastSuccessAt != nil }
            }
            #expect(working)
            // Downward channels too, once their next pull has answered.
            let healthy = await eventually {
                (try? cluster.federation("status", for: cluster.village))?.standardOutput.contains("全部通道正常") == true
            }
            let status = try cluster.federation("status", for: cluster.village)
            #expect(healthy, "\(status.standardOutput)")
            #expect(!status.standardOutput.contains("受阻"), "\(status.standardOutput)")
        }

        @Test func repeatedBatchIsAppliedOnceAndAGapIsRefused() async throws {
            let cluster = try await ChainCluster.running(withoutVillage: true)
            defer { cluster.stop() }
            try await cluster.asVillage { client in
                func change(_ sequence: Int64) -> Change {
                    Change(
                        origin: cluster.village.code, originSequence: sequence,
                        clock: HybridLogicalClock(
                            milliseconds: Int64(Date().timeIntervalSince1970 * 1000), counter: sequence),
                        channel: .registry,
                        entity: ChainCluster.syntheticEntity, key: "\(cluster.village.code)-k\(sequence)",
                        jurisdiction: cluster.village.code, payload: "{}")
                }
                let batch = PushRequest(channel: .registry, changes: [change(1), change(2), change(3)])
                let first = try await client.push(batch, to: cluster.township)
                #expect(first.applied == 3 && first.skipped == 0)
                let again = try await client.push(batch, to: cluster.township)
                #expect(again.applied == 0 && again.skipped == 3)
                do {
                    _ = try await client.push(
                        PushRequest(channel: .registry, changes: [change(5), change(6)]), to: cluster.township)
                    Issue.record("a batch that skips sequence 4 must be refused")
                } catch let error as FederationError {
                    #expect(
                        error
                            == .refused(
                                target: cluster.township.code, status: 409, code: .sequenceGap,
                                reason: "来源 \(cluster.village.code) 的登记通道序号不连续：应为 4，收到 5"))
                }
                let township = try cluster.database(cluster.township)
                #expect(
                    try await township.changeLog.lastSequence(origin: cluster.village.code, channel: .registry) == 3)
                #expect(try await township.changeLog.logCount(origin: cluster.village.code, channel: .registry) == 3)
            }
        }

        @Test func foreignChangesAndSkippedLevelsAreRefusedAndReachTheCity() async throws {
            let cluster = try await ChainCluster.running(withoutVillage: true)
            defer { cluster.stop() }
            try await cluster.asVillage { client in
                let neighbour = try DivisionCode("321281100202")
                let forged = Change(
                    origin: neighbour, originSequence: 1, clock: HybridLogicalClock(milliseconds: 1, counter: 0),
                    channel: .registry, entity: "household", key: "stolen", jurisdiction: neighbour, payload: "{}")
                await #expect(throws: FederationError.self) {
                    _ = try await client.push(PushRequest(channel: .registry, changes: [forged]), to: cluster.township)
                }
                // The village's certificate used to talk to the county directly, skipping its township.
                await #expect(throws: FederationError.self) {
                    _ = try await client.pull(.policy, after: 0, wait: 0, from: cluster.county)
                }
                let township = try cluster.database(cluster.township)
                #expect(try await township.changeLog.row(channel: .registry, entity: "household", key: "stolen") == nil)

                let city = try cluster.database(cluster.city)
                let reported = await eventually {
                    let events = (try? await city.changeLog.rows(channel: .security, entity: SecurityLog.entity)) ?? []
                    let kinds = Set(
                        events.compactMap(\.payload).compactMap { try? SecurityLog.Event(payload: $0) }
                            .map { "\($0.node):\($0.kind):\($0.peer)" })
                    return kinds.isSuperset(of: [
                        "\(cluster.township.code):outside-subtree:\(cluster.village.code)",
                        "\(cluster.county.code):not-a-child:\(cluster.village.code)",
                    ])
                }
                #expect(reported)
            }
        }

        @Test func aVillageClockFiveMinutesAheadStillOrdersTheCityCausally() async throws {
            let cluster = try ChainCluster()
            defer { cluster.stop() }
            let ahead: Int64 = 5 * 60 * 1000
            for node in [cluster.city, cluster.county, cluster.township] { try cluster.start(node) }
            try cluster.start(cluster.village, environment: ["JIUZHU_CLOCK_OFFSET_MS": "\(ahead)"])
            #expect(try await cluster.waitUntilHealthy())
            let village = try cluster.database(cluster.village, clockOffset: ahead)
            let city = try cluster.database(cluster.city)
            let early = try #require(
                try await cluster.writeRegistry(at: cluster.village, count: 1, database: village).first)
            #expect(
                await cluster.arrives(at: city, from: cluster.village, count: 1))
            // The city acts after seeing the village's change; its wall clock is five minutes behind.
            let later = try #require(
                try await city.changeLog.commit([
                    LocalChange(
                        channel: .warnings, entity: "warning", key: "\(cluster.city.code)-w1",
                        jurisdiction: cluster.village.code,
                        payload: #"{"reason":"复核"}"#)
                ]).first)
            #expect(later.clock > early.clock)
            #expect(later.clock.milliseconds >= early.clock.milliseconds)
            // And the village, hearing back, orders its next change after the city's.
            #expect(
                await eventually {
                    (try? await village.changeLog.row(
                        channel: .warnings, entity: "warning", key: "\(cluster.city.code)-w1"))
                        != nil
                })
            let next = try #require(
                try await cluster.writeRegistry(at: cluster.village, count: 1, prefix: "n", database: village).first)
            #expect(next.clock > later.clock)
        }

        @Test func aVillageIsRestoredFromItsTownshipAndResumesItsSequence() async throws {
            let cluster = try await ChainCluster.running()
            defer { cluster.stop() }
            var village = try cluster.database(cluster.village)
            let city = try cluster.database(cluster.city)
            try await cluster.writeRegistry(at: cluster.village, count: 200, perCommit: 50, database: village)
            let (policy, _) = try await PolicyService.publish(
                text: try String(contentsOf: OperatorFixture.policyFile, encoding: .utf8), file: "taizhou.yaml",
                database: city, by: .commandLine)
            #expect(
                await cluster.arrives(at: city, from: cluster.village, count: 200)
            )
            #expect(
                await eventually {
                    (try? await village.policy.latestPolicy())?.id == policy.id
                })

            for index in 1...3 {
                try await village.operators.audit(
                    AuditRecord(
                        actor: "tester", role: "villageSpecialist", action: "read", target: "/households/\(index)",
                        outcome: .allowed, detail: "恢复前"))
            }
            let township = try cluster.database(cluster.township)
            #expect(await cluster.arrives(at: township, from: cluster.village, channel: .audit, count: 3))

            cluster.kill(cluster.village)
            try village.close()
            try FileManager.default.removeItem(at: cluster.dataDirectory(cluster.village))
            let restore = try cluster.federation("restore", for: cluster.village)
            #expect(restore.status == 0, "\(restore.standardError)")
            #expect(restore.standardOutput.contains("登记：200 行，本节点序号从 201 继续"))

            village = try cluster.database(cluster.village)
            #expect(
                try await village.changeLog.checksum(channel: .registry, subtree: cluster.village.code).count == 200)
            // Its own audit chain is back whole, and the next entry follows the last one its parent held.
            #expect(try await village.operators.auditEntries(AuditQuery()).map(\.seq) == [3, 2, 1])
            #expect(try await village.operators.verifyAudit().isIntact)
            #expect(
                try await village.operators.audit(
                    AuditRecord(
                        actor: "tester", role: "villageSpecialist", action: "read", target: "/", outcome: .allowed,
                        detail: "恢复后")
                ).seq == 4)
            try cluster.start(cluster.village)
            let next = try await cluster.writeRegistry(
                at: cluster.village, count: 1, prefix: "after", database: village)
            #expect(next.first?.originSequence == 201)
            #expect(
                await cluster.arrives(at: city, from: cluster.village, count: 201)
            )
            #expect(
                await eventually {
                    (try? await village.policy.latestPolicy())?.id == policy.id
                })
            // Restoring over existing data is refused and changes nothing.
            let again = try cluster.federation("restore", for: cluster.village)
            #expect(again.status == 1)
            #expect(again.standardError.lastLine.contains("不是空的"))
        }

        /// The township loses its disk after acknowledging changes it never forwarded; it is
        /// restored from the county, which never saw them. The village still holds them, and the
        /// township's refusal of the next batch (a gap) makes it send them again.
        @Test func changesAcknowledgedByALostTownshipStillReachTheCity() async throws {
            let cluster = try await ChainCluster.running()
            defer { cluster.stop() }
            let village = try cluster.database(cluster.village)
            let city = try cluster.database(cluster.city)
            try await cluster.writeRegistry(at: cluster.village, count: 100, database: village)
            #expect(await cluster.arrives(at: city, from: cluster.village, count: 100))

            cluster.kill(cluster.county)
            try await cluster.writeRegistry(at: cluster.village, count: 50, prefix: "unforwarded", database: village)
            let township = try cluster.database(cluster.township)
            #expect(await cluster.arrives(at: township, from: cluster.village, count: 150))
            cluster.kill(cluster.township)
            try township.close()
            try FileManager.default.removeItem(at: cluster.dataDirectory(cluster.township))
            try cluster.start(cluster.county)
            #expect(try await cluster.waitUntilHealthy([cluster.county]))
            let restore = try cluster.federation("restore", for: cluster.township)
            #expect(restore.status == 0, "\(restore.standardError)")
            try cluster.start(cluster.township)

            try await cluster.writeRegistry(at: cluster.village, count: 1, prefix: "after", database: village)
            #expect(await cluster.arrives(at: city, from: cluster.village, count: 151))
            let complete = await eventually {
                (try? await city.changeLog.checksum(channel: .registry, subtree: cluster.village.code))
                    == (try? await village.changeLog.checksum(channel: .registry, subtree: cluster.village.code))
            }
            #expect(complete)
            #expect(cluster.log(cluster.village).contains("上级缺少已确认的变更"))
        }

        @Test func aDivergedParentIsReportedAndRepaired() async throws {
            let cluster = try await ChainCluster.running()
            defer { cluster.stop() }
            let village = try cluster.database(cluster.village)
            let township = try cluster.database(cluster.township)
            try await cluster.writeRegistry(at: cluster.village, count: 100, database: village)
            #expect(
                await cluster.arrives(at: township, from: cluster.village, count: 100))
            // The township's copy of ten rows goes missing behind replication's back.
            // The township writes beside us (link states, its indexer), so wait for its lock.
            var configuration = Configuration()
            configuration.busyMode = .timeout(10)
            let file = try DatabaseQueue(
                path: cluster.dataDirectory(cluster.township).appending(path: NodeDatabase.fileName).path,
                configuration: configuration)
            try await file.write { db in
                try db.execute(
                    sql: """
                        DELETE FROM replica_row WHERE key IN
                            (SELECT key FROM replica_row WHERE channel = 'registry' ORDER BY key DESC LIMIT 10)
                        """)
            }
            try await file.close()
            #expect(
                try await township.changeLog.checksum(channel: .registry, subtree: cluster.village.code).count == 90)

            try await cluster.writeRegistry(at: cluster.village, count: 1, prefix: "more", database: village)
            let repaired = await eventually {
                let ours = try? await township.changeLog.checksum(channel: .registry, subtree: cluster.village.code)
                let theirs = try? await village.changeLog.checksum(channel: .registry, subtree: cluster.village.code)
                return ours != nil && ours == theirs && ours?.count == 101
            }
            #expect(repaired)
            // The village reported the difference before repairing it, in its log and its link state.
            #expect(cluster.log(cluster.village).contains("校验和不一致，重发本辖区数据"))
            let settled = await eventually {
                let state = try? await village.changeLog.linkStates().first {
                    $0.channel == .registry && $0.direction == .up
                }
                return state?.checksumAgrees == true
            }
            #expect(settled)
        }
    }
}
