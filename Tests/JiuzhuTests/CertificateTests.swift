import Crypto
import Foundation
import JiuzhuDomain
import JiuzhuFederation
import JiuzhuRegistry
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

/// Department certificates: they name a department and no division, so a department can
/// never pass for a node nor a node for a department.
@Suite struct DepartmentCertificateTests {
    static func issued() throws -> (TemporaryDirectory, CertificateDirectory) {
        let directory = try TemporaryDirectory()
        let certificates = CertificateDirectory(directory.url)
        _ = try certificates.issue(for: try Topology.parse(yaml: TopologyTests.yaml()))
        return (directory, certificates)
    }

    @Test func aDepartmentCertificateNamesTheDepartmentAndNoNode() throws {
        let (directory, certificates) = try Self.issued()
        defer { directory.remove() }
        let report = try certificates.issue(departments: Department.allCases)
        #expect(report.count == Department.allCases.count)
        #expect(report.allSatisfy { $0.outcome == .created })
        let authority = try certificates.loadAuthority()
        for department in Department.allCases {
            let url = certificates.certificateURL(for: department)
            #expect(url.path.hasSuffix("departments/\(department.rawValue).crt"))
            #expect(certificates.keyURL(for: department).path.hasSuffix("departments/\(department.rawValue).key"))
            let certificate = try Certificate(pemEncoded: try String(contentsOf: url, encoding: .utf8))
            #expect(authority.signed(certificate))
            #expect(DepartmentIdentity.department(in: certificate) == department)
            #expect(NodeIdentity.divisionCode(in: certificate) == nil)
            #expect(FederationCaller(certificate: certificate) == .department(department))
            #expect(certificate.subject.description.contains("CN=\(department.rawValue)"))
            #expect(certificate.subject.description.contains("OU=\(DepartmentIdentity.organizationalUnit)"))
            // A client certificate only: it cannot serve as a node's listener either.
            #expect(try certificate.extensions.extendedKeyUsage == ExtendedKeyUsage([.clientAuth]))
            let keyMode =
                try FileManager.default.attributesOfItem(atPath: certificates.keyURL(for: department).path)[
                    .posixPermissions] as? Int
            #expect(keyMode == 0o600)
        }
        for code in ["321200", "321281", "321281100201"] {
            let url = certificates.certificateURL(for: try DivisionCode(code))
            let certificate = try Certificate(pemEncoded: try String(contentsOf: url, encoding: .utf8))
            #expect(DepartmentIdentity.department(in: certificate) == nil)
            #expect(FederationCaller(certificate: certificate) == .node(try DivisionCode(code)))
        }
    }

    /// Whatever signed it, a certificate that names a node and a department is neither.
    @Test(arguments: [
        ["urn:jiuzhu:division:321281", "urn:jiuzhu:department:health"],
        ["urn:jiuzhu:department:health", "urn:jiuzhu:department:publicSecurity"],
        ["urn:jiuzhu:department:weather"],
        ["urn:jiuzhu:department:health", "urn:jiuzhu:division:bogus"],
    ])
    func aCertificateNamingBothOrNeitherIsNeither(_ uris: [String]) throws {
        let key = P256.Signing.PrivateKey()
        let name = try DistinguishedName { CommonName("health") }
        let certificate = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(key.publicKey),
            notValidBefore: Date().addingTimeInterval(-60), notValidAfter: Date().addingTimeInterval(3600),
            issuer: name, subject: name, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                SubjectAlternativeNames(uris.map { GeneralName.uniformResourceIdentifier($0) })
            },
            issuerPrivateKey: .init(key))
        #expect(FederationCaller(certificate: certificate) == nil)
        #expect(DepartmentIdentity.department(in: certificate) == nil)
        #expect(NodeIdentity.divisionCode(in: certificate) == nil)
    }

    @Test func issuingAgainKeepsValidFilesAndReplacesBrokenOnes() throws {
        let (directory, certificates) = try Self.issued()
        defer { directory.remove() }
        _ = try certificates.issue(departments: [.health, .education])
        let health = try Data(contentsOf: certificates.certificateURL(for: .health))
        // A node's certificate put in a department's place is not the department's.
        try FileManager.default.removeItem(at: certificates.certificateURL(for: .education))
        try FileManager.default.copyItem(
            at: certificates.certificateURL(for: try DivisionCode("321281")),
            to: certificates.certificateURL(for: .education))
        try FileManager.default.removeItem(at: certificates.keyURL(for: .education))
        try FileManager.default.copyItem(
            at: certificates.keyURL(for: try DivisionCode("321281")), to: certificates.keyURL(for: .education))

        let report = try certificates.issue(departments: [.health, .education, .housing])
        #expect(
            report.map(\.outcome) == [.kept, .replaced(reason: "证书中的部门不符"), .created])
        #expect(try Data(contentsOf: certificates.certificateURL(for: .health)) == health)
        #expect(
            try certificates.issue(departments: [.health, .education, .housing]).allSatisfy { $0.outcome == .kept })
    }

    @Test func theCommandIssuesDepartmentsOnlyWithTheClusterAuthority() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let out = directory.url.appending(path: "certs").path
        let withoutAuthority = try runJiuzhu(
            ["certs", "department", "--department", "health", "--out", out], in: directory.url)
        #expect(withoutAuthority.status == 1)
        #expect(withoutAuthority.standardError.contains("集群根证书"), "\(withoutAuthority.standardError)")

        let topology = directory.url.appending(path: "topology.yaml")
        try Data(TopologyTests.yaml().utf8).write(to: topology)
        #expect(
            try runJiuzhu(["certs", "issue", "--topology", topology.path, "--out", out], in: directory.url).status == 0)
        let unknown = try runJiuzhu(
            ["certs", "department", "--department", "weather", "--out", out], in: directory.url)
        #expect(unknown.status != 0)
        #expect(unknown.standardError.contains("未知的部门 weather"), "\(unknown.standardError)")

        let first = try runJiuzhu(
            ["certs", "department", "--department", "medicalInsurance", "--out", out], in: directory.url)
        #expect(first.status == 0, "\(first.standardError)")
        #expect(first.standardOutput.contains("新建  部门 medicalInsurance 市医疗保障局"), "\(first.standardOutput)")
        #expect(first.standardOutput.contains("departments/medicalInsurance.crt"))
        let all = try runJiuzhu(["certs", "department", "--all", "--out", out], in: directory.url)
        #expect(all.status == 0, "\(all.standardError)")
        let lines = all.standardOutput.split(separator: "\n")
        #expect(lines.count == Department.allCases.count)
        #expect(lines.filter { $0.hasPrefix("保留") }.count == 1)
    }
}
