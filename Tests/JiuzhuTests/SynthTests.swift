import Foundation
import JiuzhuDomain
import JiuzhuStorage
import JiuzhuTools
import Testing

@testable import JiuzhuWeb

extension LiveClusters {
    /// `jiuzhu synth` writes through the registry's own path into running village nodes; the
    /// households reach the city, and its duplicate check finds exactly the planted ones.
    @Suite(.serialized) struct SynthTests {
        @Test func aSyntheticPopulationReachesTheCityWithItsPlantedDuplicates() async throws {
            let cluster = try await ChainCluster.running()
            defer { cluster.stop() }
            let policy = OperatorFixture.policyFile.path
            let run = try runJiuzhu(
                [
                    "synth", "--topology", cluster.topologyURL.path, "--data",
                    cluster.directory.url.appending(path: "data").path,
                    "--scale", "demo", "--seed", "11", "--policy", policy,
                ], in: cluster.directory.url)
            #expect(run.status == 0, "\(run.standardError)")
            #expect(run.standardOutput.contains("合成完成：24 户"), "\(run.standardOutput)")
            let planted = try #require(run.standardOutput.firstMatch(of: /重复登记 (\d+) 人/).flatMap { Int($0.1) })
            #expect(planted >= 1)

            let again = try runJiuzhu(
                [
                    "synth", "--topology", cluster.topologyURL.path, "--data",
                    cluster.directory.url.appending(path: "data").path,
                    "--scale", "demo", "--seed", "11", "--policy", policy,
                ], in: cluster.directory.url)
            #expect(again.standardOutput.contains("新写入 0 户"), "a second run writes nothing")

            let city = try cluster.database(cluster.city)
            let arrived = await cluster.arrives(at: city, from: cluster.village, count: 24)
            #expect(arrived, "24 registry changes, one per household, reached the city")
            let indexed = await eventually {
                (try? await city.registry.searchHouseholds(RegistryQuery()).total) == 24
            }
            #expect(indexed, "the city's indexer sees all 24")
            #expect(try await city.registry.duplicateRegistrations().count == planted)
        }
    }
}
