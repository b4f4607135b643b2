import Crypto
import Foundation
import JiuzhuDomain
import JiuzhuFederation
import Testing
import X509

@Suite struct CertificateTests {
    @Test func issuesOneCertificatePerNodeNamingItsCode() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let topology = try Topology.parse(yaml: TopologyTests.yaml())
        let certificates = CertificateDirectory(directory.url)
        let report = try certificates.issue(for: topology)
        #expect(report.count == topology.nodes.count + 1)
        #expect(report.allSatisfy { $0.outcome == .created })
        let authority = try certificates.loadAuthority()
        #expect(try authority.certificate.extensions.basicConstraints == .isCertificateAuthority(maxPathLength: 0))
        for node in topology.nodes {
            let text = try String(contentsOf: certificates.certificateURL(for: node.code), encoding: .utf8)
            let certificate = try Certificate(pemEncoded: text)
            #expect(NodeIdentity.divisionCode(in: certificate) == node.code)
            #expect(authority.signed(certificate))
            #expect(P256.Signing.PublicKey(certificate.publicKey) != nil)
            let keyMode =
                try FileManager.default.attributesOfItem(atPath: certificates.keyURL(for: node.code).path)[
                    .posixPermissions] as? Int
            #expect(keyMode == 0o600)
        }
    }

    @Test func issuingTwiceKeepsValidFilesAndRepairsBrokenOnes() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let topology = try Topology.parse(yaml: TopologyTests.yaml())
        let certificates = CertificateDirectory(directory.url)
        _ = try certificates.issue(for: topology)
        let village = try DivisionCode("321281100201")
        let county = try DivisionCode("321281")
        let cityCertificate = try Data(contentsOf: certificates.certificateURL(for: topology.root.code))

        try FileManager.default.removeItem(at: certificates.keyURL(for: village))
        try Data("not a certificate".utf8).write(to: certificates.certificateURL(for: county))
        let report = try certificates.issue(for: topology)

        let outcomes = Dictionary(uniqueKeysWithValues: report.map { ($0.subject, $0.outcome) })
        #expect(outcomes["集群根证书 ca.pem"] == .kept)
        #expect(outcomes["321200 泰州市"] == .kept)
        #expect(outcomes["321281100201 董北村"] == .created)
        #expect(outcomes["321281 兴化市"] == .replaced(reason: "文件无法解析"))
        #expect(try Data(contentsOf: certificates.certificateURL(for: topology.root.code)) == cityCertificate)
        #expect(try certificates.issue(for: topology).allSatisfy { $0.outcome == .kept })
    }

    @Test func aNewAuthorityReissuesEveryNode() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let topology = try Topology.parse(yaml: TopologyTests.yaml())
        let certificates = CertificateDirectory(directory.url)
        _ = try certificates.issue(for: topology)
        try FileManager.default.removeItem(at: certificates.authorityKeyURL)
        let report = try certificates.issue(for: topology)
        #expect(report.allSatisfy { $0.outcome != .kept })
        #expect(report.dropFirst().allSatisfy { $0.outcome == .replaced(reason: "不是当前根证书签发的") })
    }
}
