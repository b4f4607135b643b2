import Foundation
import JiuzhuFederation
import JiuzhuNode
import JiuzhuStorage
import JiuzhuTools
import Testing

/// `jiuzhu demo` over a four-level chain on free loopback ports, started in a fresh folder and
/// waited for until every node is ready and the city's policy has reached the village; for the
/// suites that drive the whole cluster from outside (a browser, schemathesis).
final class RunningDemo: @unchecked Sendable {
    static let repository = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    let directory: TemporaryDirectory
    let topology: Topology
    let credentials: [DemoAccounts.Credential]
    private let process: Process

    var village: TopologyNode { topology.nodes[topology.nodes.count - 1] }
    var caCertificate: URL { directory.url.appending(path: "certs/ca.pem") }

    init() async throws {
        directory = try TemporaryDirectory()
        let topologyURL = directory.url.appending(path: "chain.yaml")
        try Data(try chainTopologyYAML().utf8).write(to: topologyURL)
        topology = try Topology.load(from: topologyURL)
        process = Process()
        process.executableURL = jiuzhuExecutable
        process.arguments = [
            "demo", "--topology", topologyURL.path, "--data", "data", "--certs", "certs", "--policy",
            Self.repository.appending(path: "policy/taizhou.yaml").path, "--calendars",
            Self.repository.appending(path: "calendar").path,
        ]
        process.currentDirectoryURL = directory.url
        var environment = ProcessInfo.processInfo.environment
        environment["JIUZHU_SUPERVISOR_PID"] = "\(getpid())"
        environment.merge(quietCrashes) { current, _ in current }
        process.environment = environment
        let log = directory.appending("demo.log")
        process.standardOutput = log.handle
        process.standardError = log.handle
        try start(process)
        do {
            let ready = await eventually(timeout: .seconds(90)) {
                ((try? String(contentsOf: log.url, encoding: .utf8)) ?? "").contains("全部 4 个节点已就绪")
            }
            try #require(ready, "the demo should start: \((try? String(contentsOf: log.url, encoding: .utf8)) ?? "")")
            credentials = try await DemoAccounts(topology: topology, dataRoot: directory.url.appending(path: "data"))
                .ensure()
            // The demo publishes the policy at the city; the calculator answers only once it reached the village.
            let village = topology.nodes[topology.nodes.count - 1]
            let database = try NodeDatabase.open(
                in: directory.url.appending(path: "data/\(village.code)"),
                for: .init(code: village.code, name: village.name, role: village.role))
            defer { try? database.close() }
            #expect(await eventually(timeout: .seconds(60)) { (try? await database.policy.latestPolicy()) != nil })
        } catch {
            Self.stop(process)
            directory.remove()
            throw error
        }
    }

    /// Ends the demo (and so every node) and removes its folder.
    func stop() {
        Self.stop(process)
        directory.remove()
    }

    /// Ends a process a test started, by its pid, and waits for it.
    static func stop(_ process: Process) {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGTERM)
        let deadline = Date().addingTimeInterval(15)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}
