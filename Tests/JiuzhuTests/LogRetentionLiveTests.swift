import Foundation
import JiuzhuDomain
import JiuzhuFederation
import JiuzhuServices
import JiuzhuStorage
import Testing

extension LiveClusters {
    /// Retention on a live chain: every node lets go of log entries once nothing needs them,
    /// and replication, checksums and restore go on from rows.
    @Suite(.serialized) struct LogRetentionLiveTests {
        @Test func aPrunedChainStillReplicatesAgreesAndRestores() async throws {
            // Entries go once older than about 1.7 s, looked at every second.
            let cluster = try await ChainCluster.running(
                environment: ["JIUZHU_LOG_RETENTION_DAYS": "0.00002", "JIUZHU_LOG_PRUNE_INTERVAL": "1"])
            defer { cluster.stop() }
            let city = try cluster.database(cluster.city)
            let township = try cluster.database(cluster.township)
            var village = try cluster.database(cluster.village)
            let text = try String(contentsOf: OperatorFixture.policyFile, encoding: .utf8)
            let (policy, _) = try await PolicyService.publish(
                text: text, file: "taizhou.yaml", database: city, by: .commandLine)
            #expect(await eventually { (try? await village.policy.latestPolicy())?.id == policy.id })
            try await cluster.writeRegistry(at: cluster.village, count: 300, perCommit: 50, database: village)
            #expect(await cluster.arrives(at: city, from: cluster.village, count: 300))

            // Every node on the way lets the village's entries go; the city keeps the rows.
            for node in [cluster.village, cluster.township, cluster.county, cluster.city] {
                let database = node == cluster.village ? village : try cluster.database(node)
                let pruned = await eventually {
                    (try? await database.changeLog.logCount(origin: cluster.village.code, channel: .registry)) == 0
                }
                #expect(pruned, "\(node.code) still logs the village's entries")
            }
            #expect(try await city.changeLog.checksum(channel: .registry, subtree: cluster.village.code).count == 300)
            // The policy's entry goes at the township too, once its one child has pulled it.
            #expect(
                await eventually {
                    (try? await township.changeLog.logCount(origin: cluster.city.code, channel: .policy)) == 0
                })
            // The township shows when its child last pulled and pushed, channel by channel.
            let metrics = try await cluster.operatorText(cluster.township, "/metrics")
            let peer = "peer=\"\(cluster.village.code)\""
            #expect(
                metrics.split(separator: "\n").contains {
                    $0.hasPrefix("jiuzhu_federation_child_last_pull_timestamp_seconds") && $0.contains(peer)
                        && $0.contains("channel=\"policy\"")
                }, "\(metrics)")
            #expect(
                metrics.split(separator: "\n").contains {
                    $0.hasPrefix("jiuzhu_federation_child_last_push_timestamp_seconds") && $0.contains(peer)
                        && $0.contains("channel=\"registry\"")
                })
            // Checksums are compared from rows: the village's link agrees with its parent.
            #expect(
                await eventually {
                    let status = (try? cluster.federation("status", for: cluster.village))?.standardOutput ?? ""
                    return status.contains("登记上行") && status.contains("一致") && !status.contains("受阻")
                })

            // A pull from before the township's pruned log is refused, not answered with a gap.
            try await cluster.asVillage { client in
                let error = await #expect(throws: FederationError.self) {
                    _ = try await client.pull(.policy, after: 0, wait: 0, from: cluster.township)
                }
                guard case .refused(_, 410, .logPruned, _)? = error else {
                    Issue.record("expected log-pruned, got \(String(describing: error))")
                    return
                }
            }

            // The village loses its disk: it comes back from the township's rows, the policy too.
            cluster.kill(cluster.village)
            try village.close()
            try FileManager.default.removeItem(at: cluster.dataDirectory(cluster.village))
            let restore = try cluster.federation("restore", for: cluster.village)
            #expect(restore.status == 0, "\(restore.standardError)")
            #expect(restore.standardOutput.contains("登记：300 行，本节点序号从 301 继续"), "\(restore.standardOutput)")
            #expect(restore.standardOutput.contains("政策（上级发给本节点）：1 行"), "\(restore.standardOutput)")
            village = try cluster.database(cluster.village)
            #expect(try await village.policy.latestPolicy()?.id == policy.id)
            try cluster.start(cluster.village)
            let next = try await cluster.writeRegistry(
                at: cluster.village, count: 1, prefix: "after", database: village)
            #expect(next.first?.originSequence == 301)
            #expect(await cluster.arrives(at: city, from: cluster.village, count: 301))
            // Its pulls go on from where the restore left them: no log-pruned refusal blocks them.
            var status = ""
            #expect(
                await eventually {
                    status = (try? cluster.federation("status", for: cluster.village))?.standardOutput ?? ""
                    return status.contains("政策下行 · 正常")
                }, "\(status)")
        }
    }
}
