import Foundation
import JiuzhuFederation
import Testing

extension LiveClusters {
    /// A node that dies of a crash comes back at once on the same ports, even while the Swift
    /// runtime's backtracer is still writing the dead node's backtrace.
    @Suite(.serialized) struct CrashRestartTests {
        /// The processes whose parent is `pid` (the backtracer the runtime spawned, say).
        static func children(of pid: Int32) -> [Int32] {
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
            return entries.compactMap(Int32.init).filter { candidate in
                guard let stat = try? String(contentsOfFile: "/proc/\(candidate)/stat", encoding: .utf8),
                    let close = stat.lastIndex(of: ")")
                else { return false }
                // `pid (name) state ppid …`: the parent is the second field after the name.
                let fields = stat[stat.index(after: close)...].split(separator: " ")
                return fields.count > 1 && Int32(fields[1]) == pid
            }
        }

        @Test func aCrashedNodeRestartsWithinSecondsOnTheSamePorts() async throws {
            let cluster = try ChainCluster()
            defer { cluster.stop() }
            let city = cluster.city
            // Test-started nodes run without the backtracer (`quietCrashes`); this one has it on.
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
            // The crashed node ends once its backtrace is written; the backtracer must not outlive it.
            let backtracers = Self.children(of: crashing.processIdentifier)
            let ended = await eventually(timeout: .seconds(90)) { !crashing.isRunning }
            if !ended {
                for child in Self.children(of: crashing.processIdentifier) { kill(child, SIGKILL) }
                kill(crashing.processIdentifier, SIGKILL)
            }
            crashing.waitUntilExit()
            #expect(ended, "the crashed node ended by itself")
            #expect(crashing.terminationReason == .uncaughtSignal)
            for child in backtracers where kill(child, 0) == 0 { kill(child, SIGKILL) }
        }
    }
}
