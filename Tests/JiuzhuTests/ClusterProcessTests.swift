import AsyncHTTPClient
import Foundation
import JiuzhuDomain
import JiuzhuFederation
import JiuzhuNode
import JiuzhuStorage
import JiuzhuTools
import NIOSSL
import Testing

extension LiveClusters {
    /// Real `jiuzhu` processes talking real mutual TLS on loopback.
    @Suite(.serialized) struct ClusterProcessTests {
        struct NodeView: Decodable {
            struct Neighbour: Decodable {
                struct Summary: Decodable { let code: String }
                let node: Summary
                let reachability: String
            }
            let parent: Neighbour?
            let children: [Neighbour]
        }

        @Test func everyLevelSaysHelloToItsParent() async throws {
            let directory = try TemporaryDirectory()
            defer { directory.remove() }
            let topologyURL = directory.url.appending(path: "chain.yaml")
            try Data(try chainTopologyYAML().utf8).write(to: topologyURL)
            let issued = try runJiuzhu(
                ["certs", "issue", "--topology", topologyURL.path, "--out", "certs"], in: directory.url)
            #expect(issued.status == 0, "\(issued.standardError)")
            #expect(issued.standardOutput.contains("新建  321281100201 董北村"))

            let topology = try Topology.load(from: topologyURL)
            let accounts = try await DemoAccounts(topology: topology, dataRoot: directory.url.appending(path: "data"))
                .ensure()
            let nodes = NodeProcesses()
            defer { nodes.stopAll() }
            for node in topology.nodes {
                try nodes.serve(
                    topology: topologyURL, code: node.code.digits, in: directory.url,
                    environment: ["JIUZHU_HELLO_INTERVAL": "0.5"])
            }

            var tls = TLSConfiguration.makeClientConfiguration()
            tls.trustRoots = .certificates([
                try NIOSSLCertificate(file: directory.url.appending(path: "certs/ca.pem").path, format: .pem)
            ])
            let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(tlsConfiguration: tls))
            do {
                try await checkLinks(
                    topology: topology, http: http, accounts: accounts,
                    certificates: directory.url.appending(path: "certs"))
            } catch {
                try? await http.shutdown()
                throw error
            }
            try await http.shutdown()
        }

        private func checkLinks(
            topology: Topology, http: HTTPClient, accounts: [DemoAccounts.Credential], certificates: URL
        ) async throws {
            var cookies: [DivisionCode: String] = [:]
            for node in topology.nodes {
                let auditor = try #require(accounts.first { $0.node == node.code && $0.role == .auditor })
                cookies[node.code] = try await signIn(http, node, auditor)
            }

            func view(_ node: TopologyNode) async -> NodeView? {
                var request = HTTPClientRequest(url: "https://\(node.operator)/api/v1/node")
                request.headers.add(name: "Cookie", value: cookies[node.code] ?? "")
                guard let response = try? await http.execute(request, timeout: .seconds(2)),
                    let body = try? await response.body.collect(upTo: 1 << 20)
                else { return nil }
                return try? JSONDecoder().decode(NodeView.self, from: Data(buffer: body))
            }

            for node in topology.nodes {
                let children = topology.children(of: node.code).map(\.code.digits)
                let linked = await eventually {
                    guard let view = await view(node) else { return false }
                    let parentOK = node.parent == nil ? view.parent == nil : view.parent?.reachability == "reachable"
                    let childrenOK =
                        view.children.map(\.node.code) == children
                        && view.children.allSatisfy { $0.reachability == "reachable" }
                    return parentOK && childrenOK
                }
                #expect(linked, "node \(node.label) should see its parent and children reachable")
            }
            // The village's own certificate, presented by this test, is identified as the village.
            let village = try #require(topology.nodes.last)
            let township = try #require(topology.parent(of: village.code))
            let credentials = try NodeCredentials.load(
                code: village.code, from: CertificateDirectory(certificates))
            let client = FederationClient(credentials: credentials)
            let hello = try await client.hello(township)
            try await client.shutdown()
            #expect(hello.server == township.code.digits)
            #expect(hello.peer == village.code.digits)
            #expect(hello.relation == .child)

            // The village auditor's sign-in travelled up the audit channel; the city verifies the chain.
            let verified = await eventually {
                var request = HTTPClientRequest(url: "https://\(topology.root.operator)/api/v1/audit/verify")
                request.headers.add(name: "Cookie", value: cookies[topology.root.code] ?? "")
                guard let response = try? await http.execute(request, timeout: .seconds(2)),
                    let body = try? await response.body.collect(upTo: 1 << 20),
                    let result = try? JSONDecoder().decode(AuditVerification.self, from: Data(buffer: body))
                else { return false }
                return result.isIntact && (result.chains[village.code.digits] ?? 0) >= 2
            }
            #expect(verified, "the city holds the village's audit chain and it verifies")
            var request = HTTPClientRequest(
                url: "https://\(topology.root.operator)/api/v1/audit?node=\(village.code.digits)&action=session.signIn")
            request.headers.add(name: "Cookie", value: cookies[topology.root.code] ?? "")
            let response = try await http.execute(request, timeout: .seconds(2))
            let entries = try JSONDecoder().decode(
                [AuditEntry].self, from: Data(buffer: try await response.body.collect(upTo: 1 << 20)))
            #expect(entries.first?.node == village.code.digits)
            #expect(entries.first?.actor == "auditor.\(village.code.digits)")
        }

        /// Signs in at `node` through the API; returns the session cookie.
        private func signIn(_ http: HTTPClient, _ node: TopologyNode, _ credential: DemoAccounts.Credential)
            async throws -> String
        {
            var request = HTTPClientRequest(url: "https://\(node.operator)/api/v1/session")
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(
                Data(#"{"username":"\#(credential.username)","password":"\#(credential.password)"}"#.utf8))
            // The node may still be starting: try until it answers, and sign in once.
            let deadline = ContinuousClock.now + .seconds(30)
            while true {
                if let response = try? await http.execute(request, timeout: .seconds(2)), response.status == .ok,
                    let cookie = response.headers.first(name: "Set-Cookie")
                {
                    return String(cookie.prefix { $0 != ";" })
                }
                try #require(ContinuousClock.now < deadline, "sign-in at \(node.label)")
                try await Task.sleep(for: .milliseconds(50))
            }
        }

        @Test func badStartsEndWithOneLineAndNonZeroExit() async throws {
            let directory = try TemporaryDirectory()
            defer { directory.remove() }
            let topologyURL = directory.url.appending(path: "chain.yaml")
            try Data(try chainTopologyYAML().utf8).write(to: topologyURL)
            let topology = try Topology.load(from: topologyURL)
            let city = topology.root

            // No certificates yet.
            let missing = try runJiuzhu(
                ["serve", "--topology", topologyURL.path, "--node", "321200", "--certs", "certs"], in: directory.url)
            #expect(missing.status == 1)
            #expect(missing.standardError.lastLine.hasPrefix("错误：节点 321200 的证书文件"))
            #expect(missing.standardError.lastLine.contains("certs/321200.pem 不存在"))

            // A malformed topology.
            let broken = directory.url.appending(path: "broken.yaml")
            try Data("nodes: [ {code: ".utf8).write(to: broken)
            let malformed = try runJiuzhu(["certs", "issue", "--topology", broken.path], in: directory.url)
            #expect(malformed.status == 1)
            #expect(malformed.standardError.lastLine.hasPrefix("错误：拓扑文件 \(broken.path) 格式错误"))

            // An unknown node.
            let unknown = try runJiuzhu(
                ["serve", "--topology", topologyURL.path, "--node", "321282"], in: directory.url)
            #expect(unknown.status == 1)
            #expect(unknown.standardError.lastLine == "错误：拓扑中没有节点 321282")

            _ = try runJiuzhu(["certs", "issue", "--topology", topologyURL.path, "--out", "certs"], in: directory.url)

            // An unwritable data folder (a path below a regular file).
            let blocker = directory.url.appending(path: "blocker")
            try Data("x".utf8).write(to: blocker)
            let unwritable = try runJiuzhu(
                [
                    "serve", "--topology", topologyURL.path, "--node", "321200", "--certs", "certs", "--data",
                    blocker.appending(path: "data").path,
                ], in: directory.url)
            #expect(unwritable.status == 1)
            #expect(unwritable.standardError.lastLine.hasPrefix("错误：数据目录不可用：\(blocker.path)/data"))

            // A port in use: something else holds the city's operator port.
            let squatter = try PortSquatter(port: city.operator.port)
            defer { squatter.release() }
            let busy = try runJiuzhu(
                ["serve", "--topology", topologyURL.path, "--node", "321200", "--certs", "certs"], in: directory.url)
            #expect(busy.status == 1)
            #expect(busy.standardError.lastLine == "错误：节点 321200 的运营监听 \(city.operator) 已被占用（端口冲突）")

            for result in [missing, malformed, unknown, unwritable, busy] {
                #expect(!result.standardError.contains("Stack dump"))
                #expect(!result.standardError.contains("Fatal error"))
            }
        }
    }
}

/// Holds a loopback TCP port by listening on it.
struct PortSquatter {
    let fd: Int32

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0, listen(fd, 1) == 0 else { throw POSIXError(.EADDRINUSE) }
    }

    func release() { close(fd) }
}

extension String {
    var lastLine: String {
        split(separator: "\n", omittingEmptySubsequences: true).last.map(String.init) ?? ""
    }
}
