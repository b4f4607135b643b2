import Foundation
import JiuzhuDomain
import JiuzhuServices
import JiuzhuStorage

extension BenchCluster {
    /// What loading the synthetic city took.
    struct CityLoad {
        var households = 0
        var reached: Duration = .zero
        var indexed: Duration = .zero
        var peakMegabytes: [NodeRole: Double] = [:]
    }

    /// Writes the synthetic city at the villages and waits until the city holds every
    /// household and has indexed it, and every level its subtree, watching each role's memory.
    func loadSyntheticCity(policyText: String, scale: Synthesizer.Scale, say: (String) -> Void) async throws
        -> CityLoad
    {
        let cluster = self
        let clock = ContinuousClock()
        let started = clock.now
        let summary = try await Synthesizer(
            topology: cluster.topology, dataRoot: cluster.folder.appending(path: "data"),
            policyText: policyText, seed: 2026, scale: scale
        ).run()
        say("合成并写入各村：\(summary)，\(BenchMeasure.format(BenchMeasure.seconds(clock.now - started), digits: 1)) 秒")
        var load = CityLoad(households: summary.households)
        let city = try cluster.database(cluster.topology.root)
        var targets: [DivisionCode: Int64] = [:]
        for village in cluster.villages {
            targets[village.code] = try await cluster.database(village).changeLog.lastSequence(
                origin: village.code, channel: .registry)
        }
        func sampleMemory() {
            for (role, megabytes) in cluster.residentMegabytesByRole() {
                load.peakMegabytes[role] = max(load.peakMegabytes[role] ?? 0, megabytes)
            }
        }
        let deadline = clock.now + .seconds(3600)
        func waitUntil(_ what: String, _ done: () async throws -> Bool) async throws {
            while try await !done() {
                guard clock.now < deadline else { throw BenchError.timedOut(what) }
                sampleMemory()
                try await Task.sleep(for: .milliseconds(200))
            }
        }
        try await waitUntil("合成数据到达市级") {
            for (village, count) in targets
            where try await city.changeLog.lastSequence(origin: village, channel: .registry) < count {
                return false
            }
            return true
        }
        load.reached = clock.now - started
        say("全部家庭到达市级（经乡镇、县两级）：自开始写入 \(BenchMeasure.format(BenchMeasure.seconds(load.reached), digits: 1)) 秒")
        try await waitUntil("市级索引") {
            try await city.registry.searchHouseholds(RegistryQuery()).total >= summary.households
        }
        load.indexed = clock.now - started
        say("市级索引与画像建好：自开始写入 \(BenchMeasure.format(BenchMeasure.seconds(load.indexed), digits: 1)) 秒")
        // Every level keeps its own index of its subtree; the figures that follow are taken
        // once all of them are done, so that no node is still busy with the load.
        try await waitUntil("各级索引") {
            for node in cluster.topology.nodes {
                let database = try cluster.database(node)
                if try await database.registry.householdChanges(after: database.registry.indexPosition(), limit: 1)
                    .count > 0
                {
                    return false
                }
            }
            return true
        }
        say("各级节点的索引全部建好：自开始写入 \(BenchMeasure.format(BenchMeasure.seconds(clock.now - started), digits: 1)) 秒")
        return load
    }

    /// Publishes the policy and the three calendars at the city and waits until every village
    /// holds them.
    func publishRules(policyText: String, calendarFolder: URL, say: (String) -> Void) async throws {
        let cluster = self
        let cityNode = cluster.topology.root
        let city = try cluster.database(cityNode)
        _ = try await PolicyService.publish(text: policyText, file: "policy.yaml", database: city, by: .commandLine)
        let rules = CaseworkRulesService(policy: PolicyService(database: city), store: city.policy)
        for year in ["2025", "2026", "2027"] {
            let text = try String(contentsOf: calendarFolder.appending(path: "\(year).yaml"), encoding: .utf8)
            _ = try await rules.publishCalendar(text: text, file: "\(year).yaml", by: .commandLine)
        }
        // Changes pulled from a parent keep no per-origin progress: count them in the log.
        let published = try await city.changeLog.logEntries(origin: cityNode.code, channel: .policy).count
        for village in cluster.villages {
            let database = try cluster.database(village)
            while try await database.changeLog.logEntries(origin: cityNode.code, channel: .policy).count < published {
                try await Task.sleep(for: .milliseconds(20))
            }
        }
        say("政策与 2025–2027 年工作日历已由市级发布并到达全部村。")
    }
}
