import AsyncHTTPClient
import Foundation
import JiuzhuDomain
import JiuzhuFederation
import JiuzhuStorage
import JiuzhuTools
import NIOCore
import NIOSSL

/// A city → county → township → village chain of real `jiuzhu serve` processes on loopback,
/// with the test holding its own connections to each node's database (WAL allows it).
///
/// Until the registry and casework exist, tests make changes through `ChangeLogStore.commit`,
/// the same write path those capabilities will use, from the test process.
final class ChainCluster: @unchecked Sendable {
    let directory: TemporaryDirectory
    let topologyURL: URL
    let topology: Topology
    let processes = NodeProcesses()
    private var environments: [String: [String: String]] = [:]

    var city: TopologyNode { node("321200") }
    var county: TopologyNode { node("321281") }
    var township: TopologyNode { node("321281100") }
    var village: TopologyNode { node("321281100201") }
    /// The county's other township, in a cluster made `withSibling`.
    var sibling: TopologyNode { node("321281001") }

    private func node(_ code: String) -> TopologyNode {
        topology.nodes.first { $0.code.digits == code } ?? topology.nodes[0]
    }

    /// A chain, with the county's second township when `withSibling`, and the county
    /// delegating `delegates` to its townships.
    init(withSibling: Bool = false, delegates: [String] = []) throws {
        directory = try TemporaryDirectory()
        topologyURL = directory.url.appending(path: "chain.yaml")
        try Data(try chainTopologyYAML(sibling: withSibling, delegates: delegates).utf8).write(to: topologyURL)
        topology = try Topology.load(from: topologyURL)
        _ = try certificates.issue(for: topology)
    }

    /// A cluster with every node started and answering; `withoutVillage` leaves the village
    /// down, for tests that speak with the village's certificate themselves.
    /// `environment` is every node's.
    static func running(
        withoutVillage: Bool = false, withSibling: Bool = false, delegates: [String] = [],
        environment: [String: String]? = nil
    ) async throws -> ChainCluster {
        let cluster = try ChainCluster(withSibling: withSibling, delegates: delegates)
        let nodes = cluster.topology.nodes.filter { !withoutVillage || $0.code != cluster.village.code }
        do {
            for node in nodes { try cluster.start(node, environment: environment) }
            guard try await cluster.waitUntilHealthy(nodes) else { throw ClusterError.notHealthy }
        } catch {
            cluster.stop()
            throw error
        }
        return cluster
    }

    /// Runs `body` with a federation client holding the village's certificate.
    /// `binary: false` speaks as a node of the release before the binary form did.
    func asVillage(binary: Bool = true, _ body: (FederationClient) async throws -> Void) async throws {
        let client = FederationClient(
            credentials: try NodeCredentials.load(code: village.code, from: certificates), binary: binary)
        do {
            try await body(client)
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }

    enum ClusterError: Error { case notHealthy }

    /// Whether `database` comes to hold `count` changes from `origin` on `channel` within 30 s.
    func arrives(
        at database: NodeDatabase, from origin: TopologyNode, channel: ReplicationChannel = .registry, count: Int64
    )
        async -> Bool
    {
        await eventually {
            (try? await database.changeLog.lastSequence(origin: origin.code, channel: channel)) == count
        }
    }

    /// Runs `jiuzhu federation <subcommand>` for `node` in the cluster's folder.
    func federation(_ subcommand: String, for node: TopologyNode) throws -> CommandResult {
        try runJiuzhu(
            [
                "federation", subcommand, "--topology", topologyURL.path, "--node", node.code.digits, "--data",
                dataDirectory(node).path, "--certs", certificates.url.path,
            ], in: directory.url)
    }

    var certificates: CertificateDirectory { CertificateDirectory(directory.url.appending(path: "certs")) }

    func dataDirectory(_ node: TopologyNode) -> URL { directory.url.appending(path: "data/\(node.code)") }

    /// Starts the node's process (`executable`, another release's, or this build's);
    /// `environment` is remembered for restarts.
    func start(_ node: TopologyNode, environment: [String: String]? = nil, executable: URL? = nil) throws {
        if let environment { environments[node.code.digits] = environment }
        var variables = ["JIUZHU_HELLO_INTERVAL": "0.5", "JIUZHU_CHECKSUM_INTERVAL": "0"]
        variables.merge(environments[node.code.digits] ?? [:]) { $1 }
        try processes.serve(
            topology: topologyURL, code: node.code.digits, in: directory.url, environment: variables,
            executable: executable)
    }

    func startAll() throws {
        for node in topology.nodes { try start(node) }
    }

    func kill(_ node: TopologyNode) { processes.kill(node.code.digits) }

    /// The test's own connection to a node's database.
    func database(_ node: TopologyNode, clockOffset: Int64 = 0) throws -> NodeDatabase {
        try NodeDatabase.open(
            in: dataDirectory(node), for: .init(code: node.code, name: node.name, role: node.role),
            clock: NodeClock.system.offset(by: clockOffset))
    }

    /// An HTTPS client trusting the cluster's CA, for the operator listeners; the caller shuts it down.
    func operatorClient() throws -> HTTPClient {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates([
            try NIOSSLCertificate(file: certificates.authorityCertificateURL.path, format: .pem)
        ])
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(tlsConfiguration: tls))
    }

    /// The body of `GET https://<operator address><path>` at `node`, unauthenticated.
    func operatorText(_ node: TopologyNode, _ path: String) async throws -> String {
        let http = try operatorClient()
        do {
            let response = try await http.execute(
                HTTPClientRequest(url: "https://\(node.operator)\(path)"), timeout: .seconds(10))
            let body = try await response.body.collect(upTo: 1 << 22)
            try await http.shutdown()
            return String(buffer: body)
        } catch {
            try? await http.shutdown()
            throw error
        }
    }

    /// Waits until every started node answers `/healthz`.
    func waitUntilHealthy(_ nodes: [TopologyNode]? = nil, timeout: Duration = .seconds(30)) async throws -> Bool {
        let http = try operatorClient()
        var healthy = true
        for node in nodes ?? topology.nodes {
            healthy =
                await eventually(timeout: timeout) {
                    let request = HTTPClientRequest(url: "https://\(node.operator)/healthz")
                    guard let response = try? await http.execute(request, timeout: .seconds(2)) else { return false }
                    _ = try? await response.body.collect(upTo: 1 << 16)
                    return response.status == .ok
                } && healthy
        }
        try await http.shutdown()
        return healthy
    }

    /// The registry entity of the changes tests write: owned by the node named at the start of
    /// the key, as the benchmarks' are, and passed over by the registry's indexer.
    static let syntheticEntity = "benchmark-change"

    /// `count` registry changes written at the village in transactions of `perCommit`.
    @discardableResult
    func writeRegistry(
        at node: TopologyNode, count: Int, perCommit: Int = 1000, prefix: String = "h", database: NodeDatabase
    ) async throws -> [Change] {
        var written: [Change] = []
        var next = 0
        while next < count {
            let size = min(perCommit, count - next)
            let changes = (next..<(next + size)).map { index in
                LocalChange(
                    channel: .registry, entity: Self.syntheticEntity, key: "\(node.code)-\(prefix)\(index)",
                    jurisdiction: node.code, payload: #"{"n":\#(index)}"#)
            }
            written += try await database.changeLog.commit(changes)
            next += size
        }
        return written
    }

    func log(_ node: TopologyNode) -> String {
        (try? String(contentsOf: directory.url.appending(path: "\(node.code).log"), encoding: .utf8)) ?? ""
    }

    /// Ends every node process; the folder stays when `JIUZHU_KEEP_TEST_DATA` is set, for a look at the logs.
    func stop() {
        processes.stopAll()
        if ProcessInfo.processInfo.environment["JIUZHU_KEEP_TEST_DATA"] == nil {
            directory.remove()
        } else {
            print("test data kept in \(directory.url.path)")
        }
    }
}
