import Foundation
import JiuzhuDomain
import JiuzhuFederation
import JiuzhuServices
import JiuzhuStorage
import Testing

extension LiveClusters {
    /// The binary form is negotiated: a child of the release before it speaks JSON only, and a
    /// parent of this release still takes its pushes and answers its pulls in JSON.
    @Suite(.serialized) struct WireCompatibilityTests {
        @Test func aChildThatSpeaksOnlyJSONReplicatesThroughNewParents() async throws {
            let cluster = try await ChainCluster.running(withoutVillage: true)
            defer { cluster.stop() }
            let city = try cluster.database(cluster.city)
            let text = try String(contentsOf: OperatorFixture.policyFile, encoding: .utf8)
            let (version, _) = try await PolicyService.publish(
                text: text, file: "taizhou.yaml", database: city, by: .commandLine)
            let township = try cluster.database(cluster.township)
            #expect(
                await eventually { (try? await township.policy.latestPolicy())?.contentHash == version.contentHash })
            let village = cluster.village
            let changes = (1...3).map { index in
                Change(
                    origin: village.code, originSequence: Int64(index),
                    clock: HybridLogicalClock(milliseconds: NodeClock.system.now(), counter: Int64(index)),
                    channel: .registry, entity: ChainCluster.syntheticEntity, key: "\(village.code)-json\(index)",
                    jurisdiction: village.code, payload: #"{"n":\#(index)}"#)
            }
            var pulledAsJSON: [Change] = []
            try await cluster.asVillage(binary: false) { client in
                let hello = try await client.hello(cluster.township)
                #expect(hello.changeFormats == [BinaryBatches.mediaType])
                #expect(!client.speaksBinary(cluster.township))
                let outcome = try await client.push(
                    PushRequest(channel: .registry, changes: changes), to: cluster.township)
                #expect(outcome.applied == 3)
                // The client reads a JSON answer only: a binary one would fail to decode here.
                pulledAsJSON = try await client.pull(.policy, after: 0, wait: 0, from: cluster.township).changes
            }
            #expect(pulledAsJSON.contains { $0.origin == cluster.city.code && $0.entity == "policyVersion" })
            // The township forwards them on (in the binary form: its parent is of this release).
            #expect(await cluster.arrives(at: city, from: village, count: 3))
            let row = try await city.changeLog.row(
                channel: .registry, entity: ChainCluster.syntheticEntity, key: "\(village.code)-json2")
            #expect(row?.payload == #"{"n":2}"#)

            // A child of this release reads the same answer in the binary form.
            try await cluster.asVillage { client in
                _ = try await client.hello(cluster.township)
                #expect(client.speaksBinary(cluster.township))
                let binary = try await client.pull(.policy, after: 0, wait: 0, from: cluster.township)
                #expect(binary.changes == pulledAsJSON)
                // Asked for progress only, the township answers without summing the subtree's rows.
                let progress = try await client.progress(.registry, at: cluster.township)
                #expect(progress == [OriginProgress(origin: village.code, lastSequence: 3)])
                #expect(try await client.checksum(.registry, at: cluster.township).progress == progress)
            }
        }

        /// With `JIUZHU_PREVIOUS_RELEASE` naming a `jiuzhu` built from the release before (for
        /// example `git worktree add /tmp/old 82273e4 && swift build -c release` there), its
        /// village replicates through this release's township, county and city both ways.
        @Test(.enabled(if: ProcessInfo.processInfo.environment["JIUZHU_PREVIOUS_RELEASE"] != nil))
        func aVillageOfThePreviousReleaseReplicatesBothWays() async throws {
            let previous = URL(filePath: try #require(ProcessInfo.processInfo.environment["JIUZHU_PREVIOUS_RELEASE"]))
            let cluster = try await ChainCluster.running(withoutVillage: true)
            defer { cluster.stop() }
            try cluster.start(cluster.village, executable: previous)
            #expect(try await cluster.waitUntilHealthy([cluster.village]))
            let city = try cluster.database(cluster.city)
            let text = try String(contentsOf: OperatorFixture.policyFile, encoding: .utf8)
            _ = try await PolicyService.publish(text: text, file: "taizhou.yaml", database: city, by: .commandLine)
            // The previous release writes households at its village through its own code.
            let synth = try runProgram(
                previous,
                [
                    "synth", "--topology", cluster.topologyURL.path, "--data",
                    cluster.directory.url.appending(path: "data").path, "--policy", OperatorFixture.policyFile.path,
                ], in: cluster.directory.url)
            #expect(synth.status == 0, "\(synth.standardError)")
            #expect(
                await eventually {
                    (try? await city.changeLog.lastSequence(origin: cluster.village.code, channel: .registry)) ?? 0
                        >= 24
                }, "\(cluster.log(cluster.village))")
            // Its links report no error: the policy came down to it (a JSON answer) and its pushes were taken.
            let status = try runProgram(
                previous,
                [
                    "federation", "status", "--topology", cluster.topologyURL.path, "--node",
                    cluster.village.code.digits, "--data", cluster.dataDirectory(cluster.village).path, "--certs",
                    cluster.certificates.url.path,
                ], in: cluster.directory.url)
            #expect(status.status == 0)
            #expect(!status.standardOutput.contains("受阻"), "\(status.standardOutput)")
        }
    }
}
