import Foundation
import JiuzhuDomain
import JiuzhuStorage
import Testing

extension LiveClusters {
    /// What an operator's Prometheus scrapes from real node processes, checked by Prometheus's
    /// own tool (`promtool`, from Debian's prometheus package, which `.ci/run` installs).
    @Suite(.serialized) struct MetricsTests {
        @Test func aChannelsBacklogAndBlockShowAndClearAndPromtoolFindsNothing() async throws {
            let cluster = try await ChainCluster.running()
            defer { cluster.stop() }
            let up = [
                ("channel", "registry"), ("peer", cluster.township.code.digits), ("direction", "up"),
            ]
            cluster.kill(cluster.township)
            let village = try cluster.database(cluster.village)
            try await cluster.writeRegistry(at: cluster.village, count: 200, database: village)
            let written = Date()

            // The village's registry channel backs up and says it is blocked.
            let blocked = await eventually {
                let text = (try? await cluster.operatorText(cluster.village, "/metrics")) ?? ""
                return Self.value(in: text, "jiuzhu_replication_backlog_changes", up) == 200
                    && Self.value(in: text, "jiuzhu_replication_channel_blocked", up) == 1
                    && Self.value(in: text, "jiuzhu_federation_parent_up", [("peer", cluster.township.code.digits)])
                        == 0
            }
            #expect(blocked)

            // Down for at least half a second after the last commit, so that the lags below
            // stand out from those of a link that is up.
            try await Task.sleep(for: .milliseconds(500))
            // Once the township is back, the backlog drains and the township counts what it applied.
            let restarted = Date()
            try cluster.start(cluster.township)
            let fromVillage = [
                ("channel", "registry"), ("peer", cluster.village.code.digits), ("direction", "up"),
            ]
            let drained = await eventually {
                let villageText = (try? await cluster.operatorText(cluster.village, "/metrics")) ?? ""
                let townshipText = (try? await cluster.operatorText(cluster.township, "/metrics")) ?? ""
                return Self.value(in: villageText, "jiuzhu_replication_backlog_changes", up) == 0
                    && Self.value(in: villageText, "jiuzhu_replication_channel_blocked", up) == 0
                    && Self.value(in: townshipText, "jiuzhu_replication_applied_changes_total", fromVillage) == 200
            }
            #expect(drained)
            // Each change's lag runs from its commit at the village, before `written`, to its
            // apply at the township, after `restarted`: a lag taken from the push would be
            // milliseconds.
            let townshipText = try await cluster.operatorText(cluster.township, "/metrics")
            let lagged = [("channel", "registry")]
            let count = Self.value(in: townshipText, "jiuzhu_replication_lag_seconds_count", lagged)
            let sum = Self.value(in: townshipText, "jiuzhu_replication_lag_seconds_sum", lagged)
            let down = restarted.timeIntervalSince(written)
            #expect(count == 200)
            #expect((sum ?? 0) / 200 >= down - 0.01, "mean lag \((sum ?? 0) / 200) s, down \(down) s")

            for node in cluster.topology.nodes {
                let text = try await cluster.operatorText(node, "/metrics")
                #expect(text.contains("# HELP jiuzhu_http_requests_total"))
                let file = cluster.directory.url.appending(path: "metrics-\(node.code).txt")
                try Data(text.utf8).write(to: file)
                let check = try runProgram(
                    Self.promtool, ["check", "metrics"], in: cluster.directory.url, input: file)
                #expect(
                    check.status == 0 && check.standardOutput.isEmpty && check.standardError.isEmpty,
                    "\(node.code): \(check.standardOutput)\(check.standardError)")
            }
        }

        @Test func theExampleAlertRulesPassPromtool() throws {
            let rules = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appending(path: "monitoring/alerts.yml")
            let directory = try TemporaryDirectory()
            defer { directory.remove() }
            let check = try runProgram(Self.promtool, ["check", "rules", rules.path], in: directory.url)
            #expect(check.status == 0, "\(check.standardOutput)\(check.standardError)")
            #expect(check.standardOutput.contains("SUCCESS"))
        }

        static let promtool = URL(filePath: "/usr/bin/promtool")

        /// The value of the series `name` with `labels` among its labels, in Prometheus's text format.
        static func value(in text: String, _ name: String, _ labels: [(String, String)]) -> Double? {
            for line in text.split(separator: "\n") where line.hasPrefix(name + "{") {
                guard labels.allSatisfy({ line.contains("\($0.0)=\"\($0.1)\"") }),
                    let value = line.split(separator: " ").last
                else { continue }
                return Double(value)
            }
            return nil
        }
    }
}
