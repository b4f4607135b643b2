import AsyncHTTPClient
import Foundation
import JiuzhuDomain
import JiuzhuFederation
import Logging
import NIOCore
import NIOSSL
import ServiceLifecycle

/// `jiuzhu demo`: runs every node of a topology as its own child process, waits until all
/// answer `/healthz`, prints where to reach them, and stops them all on Ctrl-C.
///
/// A node that dies is announced with its last log lines and started again after a pause
/// that grows with repeated failures; after `maximumRestarts` failures in a row it is left
/// down, and the announcement says so. No restart happens silently.
public struct ClusterSupervisor: Service {
    public let topology: Topology
    public let dataRoot: URL
    public let certificates: CertificateDirectory
    public let topologyPath: String
    /// The `jiuzhu` binary to start for each node.
    public let executable: URL
    public let environment: [String: String]
    public let maximumRestarts = 5
    let print: @Sendable (String) -> Void

    public init(
        topology: Topology, topologyPath: String, dataRoot: URL, certificates: CertificateDirectory,
        executable: URL, environment: [String: String], print: @escaping @Sendable (String) -> Void
    ) {
        self.topology = topology
        self.topologyPath = topologyPath
        self.dataRoot = dataRoot
        self.certificates = certificates
        self.executable = executable
        self.environment = environment
        self.print = print
    }

    public func run() async throws {
        let started = ContinuousClock.now
        let (exits, continuation) = AsyncStream.makeStream(of: NodeProcess.Exit.self)
        var childEnvironment = environment
        childEnvironment["JIUZHU_SUPERVISOR_PID"] = "\(getpid())"
        let processes = topology.nodes.map { node in
            NodeProcess(
                node: node, executable: executable,
                arguments: [
                    "serve", "--topology", topologyPath, "--node", node.code.digits,
                    "--data", dataRoot.appending(path: node.code.digits).path, "--certs", certificates.url.path,
                ],
                environment: childEnvironment,
                logURL: dataRoot.appending(path: node.code.digits).appending(path: "node.log"),
                exits: continuation)
        }
        defer { stop(processes) }
        print("正在逐级启动 \(processes.count) 个节点进程（上级就绪后再启动下级）……")
        // Parents first: a child's first exchange then finds its parent listening, instead of
        // recording a refused connection for the operator to puzzle over.
        let deadline = ContinuousClock.now + .seconds(90)
        var unhealthy: [TopologyNode] = []
        for level in DivisionLevel.allCases {
            let starting = processes.filter { $0.node.role == level }
            for process in starting { try process.launch() }
            unhealthy += try await waitUntilHealthy(starting.map(\.node), until: deadline)
        }
        if unhealthy.isEmpty {
            let elapsed = ContinuousClock.now - started
            print(table())
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            print("全部 \(processes.count) 个节点已就绪，用时 \(String(format: "%.1f", seconds)) 秒。")
            print("浏览器会提示证书不受信任：演示集群使用自建根证书 \(certificates.authorityCertificateURL.path)。")
            print("按 Ctrl-C 停止全部节点。")
        } else {
            for node in unhealthy {
                print("节点 \(node.label) 未能就绪，日志：\(dataRoot.appending(path: node.code.digits).path)/node.log")
            }
        }
        try await supervise(processes, exits: exits)
    }

    /// Watches exits until shutdown, restarting each dead node unless it keeps failing.
    private func supervise(_ processes: [NodeProcess], exits: AsyncStream<NodeProcess.Exit>) async throws {
        let byCode = Dictionary(uniqueKeysWithValues: processes.map { ($0.node.code, $0) })
        var failures: [DivisionCode: Int] = [:]
        await withTaskGroup(of: Void.self) { restarts in
            for await exit in exits.cancelOnGracefulShutdown() {
                guard let process = byCode[exit.node.code] else { continue }
                // A node that ran a good while before dying starts its count afresh.
                let longRun = exit.uptime > .seconds(60)
                let count = (longRun ? 0 : failures[exit.node.code, default: 0]) + 1
                failures[exit.node.code] = count
                print("⚠ 节点 \(exit.node.label) 异常退出（\(exit.description)）。最后的日志：")
                for line in process.logTail() { print("    \(line)") }
                guard count <= maximumRestarts else {
                    print("⚠ 节点 \(exit.node.label) 已连续失败 \(count) 次，不再重启；日志：\(process.logURL.path)")
                    continue
                }
                let delay = Duration.seconds(1 << min(count - 1, 4))
                print("  将在 \(delay.components.seconds) 秒后重启（第 \(count) 次）。")
                restarts.addTask {
                    guard (try? await Task.sleep(for: delay)) != nil, !Task.isShuttingDownGracefully else { return }
                    do {
                        try process.launch()
                        print("节点 \(process.node.label) 已重启。")
                    } catch {
                        print("⚠ 节点 \(process.node.label) 重启失败：\(error)")
                    }
                }
            }
            restarts.cancelAll()
        }
    }

    /// Asks every node to stop, and kills those that have not within ten seconds.
    private func stop(_ processes: [NodeProcess]) {
        let running = processes.filter { $0.pid != nil }
        guard !running.isEmpty else { return }
        print("正在停止 \(running.count) 个节点……")
        for process in running { process.send(SIGTERM) }
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline, running.contains(where: { $0.pid != nil }) {
            usleep(50_000)
        }
        for process in running where process.pid != nil {
            print("节点 \(process.node.label) 未在 10 秒内停止，强制结束。")
            process.send(SIGKILL)
        }
        print("全部节点已停止。")
    }

    /// Polls each of `nodes`' `/healthz` until all answer; returns those that never did.
    private func waitUntilHealthy(_ nodes: [TopologyNode], until deadline: ContinuousClock.Instant) async throws
        -> [TopologyNode]
    {
        let authority = try NIOSSLCertificate(file: certificates.authorityCertificateURL.path, format: .pem)
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates([authority])
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(tlsConfiguration: tls))
        let pending = await withTaskGroup(of: TopologyNode?.self) { group in
            for node in nodes {
                group.addTask {
                    while ContinuousClock.now < deadline, !Task.isShuttingDownGracefully {
                        if await Self.isHealthy(node, client: client) { return nil }
                        try? await Task.sleep(for: .milliseconds(100))
                    }
                    return node
                }
            }
            return await group.reduce(into: [TopologyNode]()) { if let node = $1 { $0.append(node) } }
        }
        try await client.shutdown()
        return pending.sorted { $0.code < $1.code }
    }

    static func isHealthy(_ node: TopologyNode, client: HTTPClient) async -> Bool {
        let request = HTTPClientRequest(url: "https://\(node.operator)/healthz")
        guard let response = try? await client.execute(request, timeout: .seconds(2)) else { return false }
        _ = try? await response.body.collect(upTo: 1 << 16)
        return response.status == .ok
    }

    /// The table printed once every node is up.
    func table() -> String {
        var lines = ["\("级别".padded(to: 6))\("代码".padded(to: 14))\("名称".padded(to: 18))运营地址"]
        for node in topology.nodes {
            let indent = String(repeating: "  ", count: DivisionLevel.allCases.firstIndex(of: node.role) ?? 0)
            let name = (indent + node.name).padded(to: 18)
            lines.append(
                "\(node.role.shortName.padded(to: 6))\(node.code.digits.padded(to: 14))\(name)https://\(node.operator)/"
            )
        }
        return lines.joined(separator: "\n")
    }
}

extension String {
    /// Pads to `width` display columns, counting a CJK character as two.
    func padded(to width: Int) -> String {
        let columns = reduce(0) { $0 + ($1.unicodeScalars.first.map { $0.value > 0x2E7F } == true ? 2 : 1) }
        return self + String(repeating: " ", count: max(0, width - columns))
    }
}
