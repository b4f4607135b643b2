import Foundation
import JiuzhuFederation
import Testing

extension LiveClusters {
    /// A node that dies of a crash comes back at once on the same ports, even while the Swift
    /// runtime's backtracer is still writing the dead node's backtrace.
    @Suite(.serialized) struct CrashRestartTests {
        @Test func aCrashedNodeRestartsWithinSecondsOnTheSamePorts() async throws {
            let cluster = try ChainCluster()
            defer { cluster.stop() }
            let city = cluster.city
            // The test runner turns the backtracer off for the processes it starts; a node has it on.
            let crashing = try cluster.processes.serve(
                topology: cluster.topologyURL, code: city.code.digits, in: cluster.directory.url,
                environment: ["SWIFT_BACKTRACE": "enable=yes,interactive=no"])
            #expect(try await cluster.waitUntilHealthy([city]))

            // SIGILL is what an overflow trap raises: the runtime's handler starts swift-backtrace.
            kill(crashing.processIdentifier, SIGILL)
            try cluster.start(city)
            let back = try await cluster.waitUntilHealthy([city], timeout: .seconds(10))
            #expect(back, "\(cluster.log(city))")
            #expect(
                await eventually(timeout: .seconds(10)) { cluster.log(city).contains("Backtracing") },
                "the crash ran the backtracer")
            #expect(!cluster.log(city).contains("端口冲突"))
            if crashing.isRunning { kill(crashing.processIdentifier, SIGKILL) }
            crashing.waitUntilExit()
            #expect(crashing.terminationReason == .uncaughtSignal)
        }
    }
}
