import AsyncHTTPClient
import Foundation
import JiuzhuDomain
import JiuzhuFederation
import JiuzhuServices
import JiuzhuStorage
import NIOSSL
import Synchronization

/// The benchmark's cluster: a city, three counties, a township under each and two villages
/// under each township, as child processes on free loopback ports, with the benchmark's own
/// connections to every node's database.
final class BenchCluster: Sendable {
    let topology: Topology
    let folder: URL
    private let processes: [DivisionCode: NodeProcess]
    private let exits: AsyncStream<NodeProcess.Exit>.Continuation
    private let databases = Mutex<[DivisionCode: NodeDatabase]>([:])

    /// `cityOnly` starts just the city node, for benchmarks of one node's operator API;
    /// `delegating` names the programmes 兴化市 (321281) delegates to its township.
    init(folder: URL, executable: URL, cityOnly: Bool = false, delegating: [String] = []) throws {
        self.folder = folder
        var lines = ["cluster: 基准测试集群", "nodes:"]
        var ports = try LoopbackPort.free(26)
        func add(_ code: String, _ name: String, _ role: NodeRole, _ parent: String?) {
            lines += [
                "  - code: \"\(code)\"", "    name: \(name)", "    role: \(role.rawValue)",
                "    federation: 127.0.0.1:\(ports.removeLast())", "    operator: 127.0.0.1:\(ports.removeLast())",
            ]
            if let parent { lines.append("    parent: \"\(parent)\"") }
        }
        add("321200", "泰州市", .city, nil)
        for (county, name) in cityOnly ? [] : [("321281", "兴化市"), ("321282", "靖江市"), ("321283", "泰兴市")] {
            add(county, name, .county, "321200")
            if county == "321281", !delegating.isEmpty {
                lines.append("    delegates: [\(delegating.joined(separator: ", "))]")
            }
            add("\(county)100", "\(name)一镇", .township, county)
            for village in ["201", "202"] {
                add("\(county)100\(village)", "\(name)一镇\(village)村", .village, "\(county)100")
            }
        }
        let topologyURL = folder.appending(path: "bench.yaml")
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: topologyURL)
        topology = try Topology.load(from: topologyURL)
        let certificates = CertificateDirectory(folder.appending(path: "certs"))
        _ = try certificates.issue(for: topology)

        var environment = ProcessInfo.processInfo.environment
        environment["JIUZHU_SUPERVISOR_PID"] = "\(getpid())"
        environment["JIUZHU_LOG_LEVEL"] = "warning"
        let (_, exits) = AsyncStream.makeStream(of: NodeProcess.Exit.self)
        self.exits = exits
        var processes: [DivisionCode: NodeProcess] = [:]
        for node in topology.nodes {
            let data = folder.appending(path: "data/\(node.code)")
            processes[node.code] = NodeProcess(
                node: node, executable: executable,
                arguments: [
                    "serve", "--topology", topologyURL.path, "--node", node.code.digits, "--data", data.path,
                    "--certs", certificates.url.path,
                ],
                environment: environment, logURL: data.appending(path: "node.log"), exits: exits)
        }
        self.processes = processes
    }

    var villages: [TopologyNode] { topology.nodes.filter { $0.role == .village } }

    /// An HTTPS client that trusts the cluster's CA; the caller shuts it down.
    func operatorClient() throws -> HTTPClient {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates([
            try NIOSSLCertificate(file: folder.appending(path: "certs/ca.pem").path, format: .pem)
        ])
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(tlsConfiguration: tls))
    }

    /// Starts every node and waits until each answers `/healthz`.
    func start() async throws {
        for process in processes.values { try process.launch() }
        try await waitUntilHealthy()
    }

    private func waitUntilHealthy() async throws {
        let client = try operatorClient()
        defer { _ = client.shutdown() }
        for node in topology.nodes {
            while !(await ClusterSupervisor.isHealthy(node, client: client)) {
                try await Task.sleep(for: .milliseconds(50))
            }
        }
    }

    /// The size of a node's write-ahead log file in pages: what the log held at its largest
    /// since it was last cut back (a commit copies it into the database itself past
    /// ``NodeDatabase/commitCheckpointPages``).
    func logPages(_ node: TopologyNode) -> Int {
        let path = folder.appending(path: "data/\(node.code)/\(NodeDatabase.fileName)-wal").path
        let bytes = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        return bytes / (4_096 + 24)
    }

    /// The benchmark's connection to a node's database, opened once.
    func database(_ node: TopologyNode) throws -> NodeDatabase {
        if let open = databases.withLock({ $0[node.code] }) { return open }
        let database = try NodeDatabase.open(
            in: folder.appending(path: "data/\(node.code)"),
            for: .init(code: node.code, name: node.name, role: node.role))
        databases.withLock { $0[node.code] = database }
        return database
    }

    /// Waits until `database` holds `count` changes from `origin` on `channel`.
    func waitFor(_ database: NodeDatabase, origin: DivisionCode, channel: ReplicationChannel, count: Int64) async throws
    {
        while try await database.changeLog.lastSequence(origin: origin, channel: channel) < count {
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    /// Creates an account of `role` at `node` (before or after it starts), named after the
    /// role; returns its user name and password.
    func account(at node: TopologyNode, role: OperatorRole) async throws -> (username: String, password: String) {
        let username = "bench-" + role.rawValue.lowercased()
        let password = try await AccountAdministration(database: try database(node))
            .create(username: username, displayName: "基准测试", role: role, by: .commandLine).password
        return (username, password)
    }

    /// The user name of the account `benchAccount(at:)` creates.
    static let accountName = "bench"

    /// Creates an account at `node` (before or after it starts): a data analyst at the city, a
    /// livelihood specialist at a village. Returns its password.
    func benchAccount(at node: TopologyNode) async throws -> String {
        try await AccountAdministration(database: try database(node))
            .create(
                username: Self.accountName, displayName: "基准测试",
                role: node.role == .village ? .villageSpecialist : .cityAnalyst, by: .commandLine
            ).password
    }

    func kill(_ node: TopologyNode) {
        guard let process = processes[node.code] else { return }
        process.send(SIGKILL)
        while process.pid != nil { usleep(1000) }
    }

    func restart(_ node: TopologyNode) throws {
        try processes[node.code]?.launch()
    }

    /// Stops every node and starts them again with `environment` added (a moved clock), then
    /// waits until each answers.
    func restartAll(environment: [String: String]) async throws {
        for process in processes.values { process.send(SIGTERM) }
        while processes.values.contains(where: { $0.pid != nil }) { try await Task.sleep(for: .milliseconds(20)) }
        for process in processes.values { try process.launch(adding: environment) }
        try await waitUntilHealthy()
    }

    /// The processor time a node's process has used so far (user and system), in seconds.
    func processorSeconds(_ node: TopologyNode) -> Double {
        guard let pid = processes[node.code]?.pid,
            let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return 0 }
        // After the command's closing parenthesis: state is field 3, utime and stime 14 and 15.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// The largest resident set of the node processes of each role, in MiB.
    func residentMegabytesByRole() -> [NodeRole: Double] { largestByRole("VmRSS") }

    /// The largest anonymous part of those resident sets (the heap and SQLite's caches, without
    /// the program's and libraries' pages, which the processes share), in MiB.
    func anonymousMegabytesByRole() -> [NodeRole: Double] { largestByRole("RssAnon") }

    private func largestByRole(_ field: String) -> [NodeRole: Double] {
        var largest: [NodeRole: Double] = [:]
        for (code, process) in processes {
            guard let pid = process.pid, let role = topology.node(code)?.role,
                let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
                let line = status.split(separator: "\n").first(where: { $0.hasPrefix(field + ":") }),
                let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "")
            else { continue }
            largest[role] = max(largest[role] ?? 0, kilobytes / 1024)
        }
        return largest
    }

    func stop() {
        for process in processes.values { process.send(SIGTERM) }
        let deadline = Date().addingTimeInterval(10)
        while processes.values.contains(where: { $0.pid != nil }), Date() < deadline { usleep(20_000) }
        for process in processes.values where process.pid != nil { process.send(SIGKILL) }
        exits.finish()
    }
}
