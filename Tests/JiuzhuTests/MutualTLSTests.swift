import AsyncHTTPClient
import Foundation
import Hummingbird
import JiuzhuDomain
import JiuzhuFederation
import JiuzhuStorage
import JiuzhuWeb
import Logging
import NIOSSL
import ServiceLifecycle
import Testing
import X509

/// The federation listener of a city node, live on a loopback port, against every kind of client.
@Suite struct MutualTLSTests {
    /// A running city federation listener and the cluster material around it.
    struct LiveListener {
        let port: Int
        let authority: CertificateAuthority
        let topology: Topology
        let certificates: CertificateDirectory
        let database: NodeDatabase

        func get(
            as client: IssuedCertificate?, trusting ca: Certificate? = nil, path: String = "/federation/v1/hello"
        ) async throws -> (Int, String) {
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.minimumTLSVersion = .tlsv13
            tls.trustRoots = .certificates([try NIOSSLCertificate(pem: (ca ?? authority.certificate))])
            if let client {
                tls.certificateChain = [
                    .certificate(try NIOSSLCertificate(bytes: Array(try client.certificatePEM().utf8), format: .pem))
                ]
                tls.privateKey = .privateKey(
                    try NIOSSLPrivateKey(bytes: Array(client.privateKeyPEM.utf8), format: .pem))
            }
            let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(tlsConfiguration: tls))
            do {
                let response = try await http.execute(
                    HTTPClientRequest(url: "https://127.0.0.1:\(port)\(path)"), timeout: .seconds(30))
                let body = try await response.body.collect(upTo: 1 << 20)
                try await http.shutdown()
                return (Int(response.status.code), String(buffer: body))
            } catch {
                try? await http.shutdown()
                throw error
            }
        }
    }

    /// Runs `body` against a city federation listener on a free port, then shuts it down.
    static func withCityListener(_ body: (LiveListener) async throws -> Void) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let topology = try Topology.parse(yaml: TopologyTests.yaml())
        let certificates = CertificateDirectory(directory.url.appending(path: "certs"))
        _ = try certificates.issue(for: topology)
        let city = topology.root
        let credentials = try NodeCredentials.load(code: city.code, from: certificates)
        let database = try NodeDatabase.open(
            in: directory.url.appending(path: "data"), for: .init(code: city.code, name: city.name, role: city.role))
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let app = try FederationApp.build(
            node: city, topology: topology, credentials: credentials, database: database,
            logger: Logger(label: "test.federation"), address: ListenAddress(host: "127.0.0.1", port: 0),
            onServerRunning: { portContinuation.yield($0.localAddress?.port ?? 0) })
        let group = ServiceGroup(services: [app], logger: Logger(label: "test"))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var iterator = ports.makeAsyncIterator()
            let port = try #require(await iterator.next())
            do {
                try await body(
                    LiveListener(
                        port: port, authority: try certificates.loadAuthority(), topology: topology,
                        certificates: certificates, database: database))
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    @Test func directChildIsIdentifiedFromItsCertificate() async throws {
        try await Self.withCityListener { listener in
            let county = try listener.authority.issue(
                for: DivisionCode("321281"), name: "兴化市", hosts: ["127.0.0.1"])
            let (status, body) = try await listener.get(as: county)
            #expect(status == 200)
            let hello = try JSONDecoder().decode(FederationHello.self, from: Data(body.utf8))
            #expect(hello.server == "321200")
            #expect(hello.peer == "321281")
            #expect(hello.relation == .child)
            let contacts = try await listener.database.changeLog.peerContacts()
            #expect(contacts.map(\.peer.digits) == ["321281"])
        }
    }

    /// A child asks for its subtree's progress alone, without the checksum; any other `only`
    /// is refused with a message that names it. (The client never sends one.)
    @Test func theChecksumEndpointAnswersProgressAloneAndRefusesAnUnknownOnly() async throws {
        try await Self.withCityListener { listener in
            let county = try listener.authority.issue(
                for: DivisionCode("321281"), name: "兴化市", hosts: ["127.0.0.1"])
            let path = "/federation/v1/checksum?channel=registry"
            let (status, body) = try await listener.get(as: county, path: path + "&only=progress")
            #expect(status == 200)
            #expect(try JSONDecoder().decode(ProgressReport.self, from: Data(body.utf8)).progress.isEmpty)
            #expect(!body.contains("checksum"))
            let (refused, message) = try await listener.get(as: county, path: path + "&only=rows")
            #expect(refused == 400)
            #expect(message.contains("参数 only 只能是 progress，收到 rows"), "\(message)")
            let (whole, report) = try await listener.get(as: county, path: path)
            #expect(whole == 200)
            #expect(report.contains("checksum"))
        }
    }

    @Test func validCertificateOfAnotherNodeIsSeenAsThatNode() async throws {
        try await Self.withCityListener { listener in
            let village = try listener.authority.issue(
                for: DivisionCode("321281100201"), name: "董北村", hosts: ["127.0.0.1"])
            let (status, body) = try await listener.get(as: village)
            #expect(status == 200)
            let hello = try JSONDecoder().decode(FederationHello.self, from: Data(body.utf8))
            #expect(hello.peer == "321281100201")
            #expect(hello.relation == .other)
            // Only direct children count as reachable children.
            #expect(try await listener.database.changeLog.peerContacts().isEmpty)
        }
    }

    @Test func clientWithoutCertificateFailsTheHandshake() async throws {
        try await Self.withCityListener { listener in
            await #expect(throws: (any Error).self) { _ = try await listener.get(as: nil) }
        }
    }

    @Test func certificateFromAForeignAuthorityFailsTheHandshake() async throws {
        try await Self.withCityListener { listener in
            let foreign = try CertificateAuthority.create(clusterName: "外来集群")
            let impostor = try foreign.issue(for: DivisionCode("321281"), name: "兴化市", hosts: ["127.0.0.1"])
            await #expect(throws: (any Error).self) { _ = try await listener.get(as: impostor) }
            #expect(try await listener.database.changeLog.peerContacts().isEmpty)
        }
    }

    @Test func expiredCertificateFailsTheHandshake() async throws {
        try await Self.withCityListener { listener in
            let now = Date()
            let expired = try listener.authority.issue(
                for: DivisionCode("321281"), name: "兴化市", hosts: ["127.0.0.1"],
                notBefore: now.addingTimeInterval(-30 * 86400), notAfter: now.addingTimeInterval(-86400))
            await #expect(throws: (any Error).self) { _ = try await listener.get(as: expired) }
            #expect(try await listener.database.changeLog.peerContacts().isEmpty)
        }
    }

    /// The same matrix through curl, a client that shares no code with the server.
    @Test func curlWithoutCertificateIsRefusedAndWithOneIsAnswered() async throws {
        try await Self.withCityListener { listener in
            let url = "https://127.0.0.1:\(listener.port)/federation/v1/hello"
            let ca = listener.certificates.authorityCertificateURL.path
            let refused = try await runCurl(["--cacert", ca, url])
            #expect(refused.status != 0)
            let county = try DivisionCode("321281")
            let accepted = try await runCurl([
                "--cacert", ca, "--cert", listener.certificates.certificateURL(for: county).path,
                "--key", listener.certificates.keyURL(for: county).path, url,
            ])
            #expect(accepted.status == 0, "\(accepted.output)")
            #expect(accepted.output.contains(#""peer":"321281""#))
            #expect(accepted.output.contains(#""server":"321200""#))
        }
    }
}

extension NIOSSLCertificate {
    convenience init(pem certificate: Certificate) throws {
        try self.init(bytes: Array(certificate.serializeAsPEM().pemString.utf8), format: .pem)
    }
}
