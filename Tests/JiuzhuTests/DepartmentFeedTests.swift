import AsyncHTTPClient
import Foundation
import JiuzhuDomain
import JiuzhuFederation
import JiuzhuRegistry
import JiuzhuServices
import JiuzhuStorage
import NIOCore
import NIOSSL
import Testing

extension LiveClusters {
    /// The city's feed endpoint, `POST /feeds/{feed}` on its federation listener, against a real
    /// `jiuzhu serve` process over real mutual TLS, with department certificates issued by
    /// `jiuzhu certs department`: which certificate may send what, a malformed file, the same
    /// file twice.
    @Suite(.serialized) struct DepartmentFeedTests {
        @Test func theDepartmentCertificateMatrix() async throws {
            let city = try await FeedCity.running()
            defer { city.stop() }
            let file = FeedCity.deathsCSV(count: 3)

            // The right department, for its feed: taken.
            let accepted = try await city.post("deaths", file, as: .department(.health))
            #expect(accepted.status == 200, "\(accepted.body)")
            let imported = try accepted.decode(WarningService.FeedImported.self)
            #expect(imported.feed == .deaths)
            #expect(FeedCity.counts(imported) == [3, 3, 0, 0])
            #expect(imported.message.hasPrefix("已导入死亡信息 3 条"))
            // The other sender of deaths may send them too.
            let other = try await city.post(
                "deaths", FeedCity.deathsCSV(count: 1, prefix: "GA"), as: .department(.publicSecurity))
            #expect(other.status == 200, "\(other.body)")

            // Another department's certificate, for that feed: 403 naming the department and the feed.
            let wrongDepartment = try await city.post("deaths", file, as: .department(.medicalInsurance))
            #expect(wrongDepartment.status == 403)
            let wrongRefusal = try wrongDepartment.decode(FederationRefusal.self)
            #expect(wrongRefusal.code == .notASender)
            #expect(wrongRefusal.error.contains("市医疗保障局"), "\(wrongRefusal.error)")
            #expect(wrongRefusal.error.contains("死亡信息"), "\(wrongRefusal.error)")

            // A node's certificate, the county's and the city's own: 403, nodes send no department data.
            for node in [city.cluster.county, city.cluster.city] {
                let asNode = try await city.post("deaths", file, as: .node(node.code))
                #expect(asNode.status == 403, "\(node.label): \(asNode.body)")
                let refusal = try asNode.decode(FederationRefusal.self)
                #expect(refusal.code == .nodeCertificate)
                #expect(refusal.error.contains("节点 \(node.code) 的证书不能报送部门数据"), "\(refusal.error)")
            }

            // A department's certificate on a node-to-node route: 403.
            let hello = try await city.get("/federation/v1/hello", as: .department(.health))
            #expect(hello.status == 403, "\(hello.body)")
            #expect(try hello.decode(FederationRefusal.self).code == .departmentCertificate)

            // No client certificate: refused in the handshake, before any HTTP.
            await #expect(throws: (any Error).self) { _ = try await city.post("deaths", file, as: nil) }

            // Nothing of the refused requests was stored: only the two files taken.
            #expect(try await city.database.warnings.feedCounts()["deaths"] == 4)

            // Every 403 is a security event at the city, naming the caller refused.
            let events = await city.securityEvents()
            #expect(events.contains("medicalInsurance:not-a-sender"), "\(events)")
            #expect(events.contains("\(city.cluster.county.code):node-certificate"), "\(events)")
            #expect(events.contains("\(city.cluster.city.code):node-certificate"), "\(events)")
            #expect(events.contains("health:department-certificate"), "\(events)")

            // Every import is audited in the department's name, and so is every refusal.
            let audit = try await city.database.operators.auditEntries(AuditQuery(action: "feeds.import", limit: 50))
            let allowed = audit.filter { $0.outcome == .allowed }.map(\.actor)
            #expect(Set(allowed) == ["市卫生健康委员会", "市公安局"], "\(allowed)")
            #expect(audit.contains { $0.outcome == .refused && $0.actor == "市医疗保障局" && $0.target == "deaths" })
            #expect(audit.contains { $0.outcome == .refused && $0.actor == "节点 \(city.cluster.county.code)" })
        }

        @Test func aMalformedFileIsRefusedByRowAndFieldAndStoresNothing() async throws {
            let city = try await FeedCity.running()
            defer { city.stop() }
            let good = FeedCity.citizenID(serial: 11)
            let badCheck = String(good.dropLast()) + (good.last == "0" ? "1" : "0")
            let file = Data(
                """
                记录编号,公民身份号码,姓名,死亡日期,证明编号
                WJ-1,\(good),张三,2026-10-01,
                WJ-2,\(FeedCity.citizenID(serial: 12)),李四,,
                WJ-3,\(badCheck),王五,2026-10-03,

                """.utf8)

            let refused = try await city.post("deaths", file, as: .department(.health))
            #expect(refused.status == 422, "\(refused.body)")
            let refusal = try refused.decode(FederationRefusal.self)
            #expect(refusal.code == .invalidFile)
            let problems = (refusal.problems ?? []).map { "\($0.row):\($0.field)" }
            #expect(problems == ["3:死亡日期", "4:公民身份号码"], "\(refusal.error)")
            #expect(refusal.problems?.allSatisfy { $0.format == "csv" && !$0.message.isEmpty } == true)
            #expect(refusal.error.contains("第 4 行，“公民身份号码”列"), "\(refusal.error)")
            #expect(try await city.database.warnings.feedCounts()["deaths"] == nil)

            // JSON is named by index and key.
            let json = Data(#"[{"recordID": "WJ-9", "citizenID": "\#(good)", "diedOn": "明天"}]"#.utf8)
            let refusedJSON = try await city.post(
                "deaths", json, contentType: "application/json", as: .department(.health))
            #expect(refusedJSON.status == 422, "\(refusedJSON.body)")
            #expect(try refusedJSON.decode(FederationRefusal.self).problems?.map(\.field) == ["diedOn"])

            // An unknown feed, a body of another type, a file over the limit.
            let unknown = try await city.post("weather", file, as: .department(.health))
            #expect(unknown.status == 404, "\(unknown.body)")
            #expect(try unknown.decode(FederationRefusal.self).error.contains("deaths（死亡信息）"))
            let form = try await city.post(
                "deaths", file, contentType: "application/x-www-form-urlencoded", as: .department(.health))
            #expect(form.status == 415, "\(form.body)")
            let huge = try await city.post(
                "deaths", Data(count: 64 * 1024 * 1024 + 1), as: .department(.health))
            #expect(huge.status == 413, "\(huge.body)")
            #expect(try huge.decode(FederationRefusal.self).error.contains("64 MiB"))

            #expect(try await city.database.warnings.feedCounts().isEmpty)
            let refusals = try await city.database.operators.auditEntries(AuditQuery(action: "feeds.import", limit: 50))
            #expect(refusals.count == 5)
            #expect(refusals.allSatisfy { $0.outcome == .refused && $0.actor == "市卫生健康委员会" })
            // And counted on /metrics by code, for an alert on a department whose files keep failing.
            let metrics = try await city.cluster.operatorText(city.cluster.city, "/metrics")
            for (code, count) in [
                ("invalid-file", 2), ("unknown-feed", 1), ("unsupported-media-type", 1), ("file-too-large", 1),
            ] {
                #expect(
                    metrics.contains("jiuzhu_feeds_refused_requests_total{code=\"\(code)\"} \(count)"), "\(metrics)")
            }
        }

        @Test func theSameFileTwiceChangesNothingTheSecondTime() async throws {
            let city = try await FeedCity.running()
            defer { city.stop() }
            // The example the README's curl line sends, through curl, a client that shares no code.
            let example = FeedCity.repository.appending(path: "feeds/examples/deaths.csv")
            let lines = try String(contentsOf: example, encoding: .utf8).split(whereSeparator: \.isNewline)
            let count = lines.count - 1
            var answers: [WarningService.FeedImported] = []
            for _ in 0..<2 {
                let sent = try await city.curl(
                    ["-H", "Content-Type: text/csv", "--data-binary", "@\(example.path)"],
                    feed: "deaths", as: .health)
                #expect(sent.status == 0, "\(sent.output)")
                answers.append(try JSONDecoder().decode(WarningService.FeedImported.self, from: Data(sent.output.utf8)))
            }
            #expect(FeedCity.counts(answers[0]) == [count, count, 0, 0])
            #expect(FeedCity.counts(answers[1]) == [count, 0, 0, count])
            #expect(answers[1].raised.new == 0)
            #expect(try await city.database.warnings.feedCounts()["deaths"] == count)

            // The same records in JSON are the same records.
            let json = try Data(contentsOf: FeedCity.repository.appending(path: "feeds/examples/deaths.json"))
            let again = try await city.post(
                "deaths", json, contentType: "application/json", as: .department(.publicSecurity))
            #expect(again.status == 200, "\(again.body)")
            let imported = try again.decode(WarningService.FeedImported.self)
            #expect(FeedCity.counts(imported) == [count, 0, 0, count])
        }
    }
}

/// The chain's city alone, as a real process, with the repository's policy published (the
/// warning rules need it) and every department's certificate issued by `jiuzhu certs department`.
final class FeedCity: @unchecked Sendable {
    let cluster: ChainCluster
    /// The test's own connection to the city's database.
    let database: NodeDatabase

    /// Who a request is sent as.
    enum Caller {
        case department(Department)
        case node(DivisionCode)
    }

    /// A status and the body as text.
    struct Answer {
        let status: Int
        let body: String

        func decode<T: Decodable>(_ type: T.Type) throws -> T {
            try JSONDecoder().decode(T.self, from: Data(body.utf8))
        }
    }

    static let repository = OperatorFixture.policyFile.deletingLastPathComponent().deletingLastPathComponent()

    private init(cluster: ChainCluster, database: NodeDatabase) {
        self.cluster = cluster
        self.database = database
    }

    static func running() async throws -> FeedCity {
        let cluster = try ChainCluster()
        do {
            let issued = try runJiuzhu(
                ["certs", "department", "--all", "--out", cluster.certificates.url.path], in: cluster.directory.url)
            guard issued.status == 0 else { throw FeedCityError.command(issued.standardError) }
            let database = try cluster.database(cluster.city)
            _ = try await PolicyService.publish(
                text: try String(contentsOf: OperatorFixture.policyFile, encoding: .utf8), file: "taizhou.yaml",
                database: database, by: .commandLine)
            let city = FeedCity(cluster: cluster, database: database)
            try cluster.start(cluster.city)
            guard try await cluster.waitUntilHealthy([cluster.city]) else { throw ChainCluster.ClusterError.notHealthy }
            return city
        } catch {
            cluster.stop()
            throw error
        }
    }

    enum FeedCityError: Error { case command(String) }

    func stop() {
        try? database.close()
        cluster.stop()
    }

    var base: String { "https://\(cluster.city.federation)" }

    func files(of caller: Caller) -> (certificate: URL, key: URL) {
        switch caller {
        case .department(let department):
            (cluster.certificates.certificateURL(for: department), cluster.certificates.keyURL(for: department))
        case .node(let code): (cluster.certificates.certificateURL(for: code), cluster.certificates.keyURL(for: code))
        }
    }

    func post(_ feed: String, _ body: Data, contentType: String = "text/csv", as caller: Caller?) async throws -> Answer
    {
        var request = HTTPClientRequest(url: "\(base)/feeds/\(feed)")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: contentType)
        request.body = .bytes(ByteBuffer(bytes: body))
        return try await send(request, as: caller)
    }

    func get(_ path: String, as caller: Caller?) async throws -> Answer {
        try await send(HTTPClientRequest(url: "\(base)\(path)"), as: caller)
    }

    private func send(_ request: HTTPClientRequest, as caller: Caller?) async throws -> Answer {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.minimumTLSVersion = .tlsv13
        tls.trustRoots = .certificates([
            try NIOSSLCertificate(file: cluster.certificates.authorityCertificateURL.path, format: .pem)
        ])
        if let caller {
            let (certificate, key) = files(of: caller)
            tls.certificateChain = [.certificate(try NIOSSLCertificate(file: certificate.path, format: .pem))]
            tls.privateKey = .privateKey(try NIOSSLPrivateKey(file: key.path, format: .pem))
        }
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(tlsConfiguration: tls))
        do {
            let response = try await http.execute(request, timeout: .seconds(60))
            let body = try await response.body.collect(upTo: 1 << 22)
            try await http.shutdown()
            return Answer(status: Int(response.status.code), body: String(buffer: body))
        } catch {
            try? await http.shutdown()
            throw error
        }
    }

    /// curl with the department's files, as the README shows it.
    func curl(_ arguments: [String], feed: String, as department: Department) async throws
        -> (status: Int32, output: String)
    {
        let (certificate, key) = files(of: .department(department))
        return try await runCurl(
            [
                "--fail-with-body", "--cert", certificate.path, "--key", key.path, "--cacert",
                cluster.certificates.authorityCertificateURL.path,
            ] + arguments + ["\(base)/feeds/\(feed)"])
    }

    /// The security events the city holds, as `peer:kind`.
    func securityEvents() async -> Set<String> {
        guard let rows = try? await database.changeLog.rows(channel: .security, entity: SecurityLog.entity) else {
            return []
        }
        return Set(
            rows.compactMap(\.payload).compactMap { try? SecurityLog.Event(payload: $0) }.map {
                "\($0.peer):\($0.kind)"
            })
    }

    /// What an import counted: records, added, changed, unchanged.
    static func counts(_ imported: WarningService.FeedImported) -> [Int] {
        [imported.records, imported.added, imported.changed, imported.unchanged]
    }

    /// A valid citizen ID of someone born in 1940 in 海陵区, numbered `serial`.
    static func citizenID(serial: Int) -> String {
        let body = "32120219400101" + String(format: "%03d", serial % 1000)
        return body + String(CitizenID.checkCharacter(for: body.compactMap(\.wholeNumberValue)))
    }

    /// A deaths file in CSV with `count` records.
    static func deathsCSV(count: Int, prefix: String = "WJ") -> Data {
        let rows = (1...count).map { index in
            "\(prefix)-SW-2026-\(index),\(citizenID(serial: index + (prefix == "WJ" ? 0 : 500))),测试\(index),2026-10-0\(index % 9 + 1),"
        }
        return Data((["记录编号,公民身份号码,姓名,死亡日期,证明编号"] + rows).joined(separator: "\r\n").utf8)
    }
}
