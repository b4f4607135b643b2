import Foundation
import JiuzhuDomain
import JiuzhuRegistry
import X509

/// The folder (`certs/` by default) that holds the cluster CA, every node's certificate and
/// the departments' client certificates.
///
/// Layout: `ca.pem`, `ca-key.pem`, `<code>.pem` with `<code>-key.pem` per node, and
/// `departments/<department>.crt` with `departments/<department>.key` per department.
/// Private keys are written readable by the owner only; `.gitignore` keeps them out of git.
public struct CertificateDirectory: Sendable {
    public let url: URL
    /// A node's or department's certificate this close to expiry is issued anew.
    public static let renewalMargin: TimeInterval = 30 * 86400

    public init(_ url: URL) { self.url = url }

    public var authorityCertificateURL: URL { url.appending(path: "ca.pem") }
    public var authorityKeyURL: URL { url.appending(path: "ca-key.pem") }
    public func certificateURL(for code: DivisionCode) -> URL { url.appending(path: "\(code).pem") }
    public func keyURL(for code: DivisionCode) -> URL { url.appending(path: "\(code)-key.pem") }
    /// The folder of the departments' certificates.
    public var departmentsURL: URL { url.appending(path: "departments") }
    public func certificateURL(for department: Department) -> URL {
        departmentsURL.appending(path: "\(department.rawValue).crt")
    }
    public func keyURL(for department: Department) -> URL {
        departmentsURL.appending(path: "\(department.rawValue).key")
    }

    /// What `issue` did for one file set.
    public enum Outcome: Equatable, Sendable {
        case created
        case kept
        case replaced(reason: String)
    }

    /// One line of the issuing report.
    public struct ReportLine: Sendable {
        public let subject: String
        public let outcome: Outcome
    }

    /// Creates the CA and every node's certificate that is missing or no longer valid;
    /// files that are still valid are kept untouched, so running it twice changes nothing.
    public func issue(for topology: Topology, now: Date = Date()) throws -> [ReportLine] {
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        var report: [ReportLine] = []
        let (authority, authorityOutcome) = try loadOrCreateAuthority(clusterName: topology.name, now: now)
        report.append(ReportLine(subject: "集群根证书 ca.pem", outcome: authorityOutcome))
        for node in topology.nodes {
            let hosts = Self.hosts(for: node)
            // A replaced CA makes every node certificate fail the signature check below.
            let problem = nodeProblem(node, hosts: hosts, authority: authority, now: now)
            let outcome: Outcome
            switch problem {
            case nil:
                outcome = .kept
            case let reason?:
                let issued = try authority.issue(for: node.code, name: node.name, hosts: hosts)
                try write(issued.privateKeyPEM, to: keyURL(for: node.code), secret: true)
                try write(try issued.certificatePEM(), to: certificateURL(for: node.code), secret: false)
                let exists = reason != Self.missingReason
                outcome = exists ? .replaced(reason: reason) : .created
            }
            report.append(ReportLine(subject: node.label, outcome: outcome))
        }
        return report
    }

    /// Issues a client certificate for each of `departments` whose files are missing or no
    /// longer valid, with the cluster CA that `issue(for:)` created; files that are still valid
    /// are kept untouched. The CA must exist already: it is named after the topology's cluster.
    ///
    /// ```swift
    /// let report = try directory.issue(departments: [.medicalInsurance])
    /// // certs/departments/medicalInsurance.crt, certs/departments/medicalInsurance.key
    /// ```
    public func issue(departments: [Department], now: Date = Date()) throws -> [ReportLine] {
        let authority = try loadAuthority()
        try FileManager.default.createDirectory(at: departmentsURL, withIntermediateDirectories: true)
        var report: [ReportLine] = []
        for department in departments {
            let problem = fileProblem(
                certificate: certificateURL(for: department), key: keyURL(for: department), authority: authority,
                now: now
            ) { certificate in
                DepartmentIdentity.department(in: certificate) == department ? nil : "证书中的部门不符"
            }
            let outcome: Outcome
            switch problem {
            case nil:
                outcome = .kept
            case let reason?:
                let issued = try authority.issue(for: department)
                try write(issued.privateKeyPEM, to: keyURL(for: department), secret: true)
                try write(try issued.certificatePEM(), to: certificateURL(for: department), secret: false)
                outcome = reason == Self.missingReason ? .created : .replaced(reason: reason)
            }
            report.append(ReportLine(subject: "部门 \(department.rawValue) \(department.chineseName)", outcome: outcome))
        }
        return report
    }

    /// Reads the cluster CA with its private key.
    public func loadAuthority() throws -> CertificateAuthority {
        guard FileManager.default.fileExists(atPath: authorityCertificateURL.path) else {
            throw CertificateFileError.missingAuthority(path: authorityCertificateURL.path)
        }
        let certificatePEM = try read(authorityCertificateURL, node: "CA")
        let keyPEM = try read(authorityKeyURL, node: "CA")
        do {
            return try CertificateAuthority(certificatePEM: certificatePEM, privateKeyPEM: keyPEM)
        } catch {
            throw CertificateFileError.unreadable(path: authorityKeyURL.path, reason: "\(error)")
        }
    }

    /// The addresses a node's certificate must name: every host it listens on, plus loopback.
    static func hosts(for node: TopologyNode) -> [String] {
        var hosts: [String] = []
        for host in [node.federation.host, node.operator.host, "localhost", "127.0.0.1", "::1"]
        where !hosts.contains(host) && !["0.0.0.0", "::"].contains(host) {
            hosts.append(host)
        }
        return hosts
    }

    private static let missingReason = "缺失"

    private func loadOrCreateAuthority(clusterName: String, now: Date) throws -> (CertificateAuthority, Outcome) {
        let exists = FileManager.default.fileExists(atPath: authorityCertificateURL.path)
        if exists, let authority = try? loadAuthority(), authority.certificate.notValidAfter > now {
            return (authority, .kept)
        }
        let authority = try CertificateAuthority.create(clusterName: clusterName, now: now)
        try write(authority.privateKeyPEM, to: authorityKeyURL, secret: true)
        try write(try authority.certificate.serializeAsPEM().pemString, to: authorityCertificateURL, secret: false)
        return (authority, exists ? .replaced(reason: "原根证书无法读取或已过期") : .created)
    }

    /// Why the node's files must be issued anew, or nil when they are fine.
    private func nodeProblem(
        _ node: TopologyNode, hosts: [String], authority: CertificateAuthority, now: Date
    ) -> String? {
        fileProblem(
            certificate: certificateURL(for: node.code), key: keyURL(for: node.code), authority: authority, now: now
        ) { certificate in
            guard NodeIdentity.divisionCode(in: certificate) == node.code else { return "证书中的行政区划代码不符" }
            let names = (try? certificate.extensions.subjectAlternativeNames).map(Array.init) ?? []
            for host in hosts where !names.contains(NodeIdentity.subjectAlternativeName(forHost: host)) {
                return "证书未包含地址 \(host)"
            }
            return nil
        }
    }

    /// Why a certificate and key file pair must be issued anew, or nil when they are fine:
    /// both present and readable, belonging together, signed by `authority`, not about to
    /// expire, and (`names`) naming what they must name.
    private func fileProblem(
        certificate certificateURL: URL, key keyURL: URL, authority: CertificateAuthority, now: Date,
        names: (Certificate) -> String?
    ) -> String? {
        guard FileManager.default.fileExists(atPath: certificateURL.path),
            FileManager.default.fileExists(atPath: keyURL.path)
        else { return Self.missingReason }
        guard let certificateText = try? String(contentsOf: certificateURL, encoding: .utf8),
            let certificate = try? Certificate(pemEncoded: certificateText),
            let keyText = try? String(contentsOf: keyURL, encoding: .utf8),
            let key = try? Certificate.PrivateKey(pemEncoded: keyText)
        else { return "文件无法解析" }
        guard key.publicKey == certificate.publicKey else { return "私钥与证书不匹配" }
        guard authority.signed(certificate) else { return "不是当前根证书签发的" }
        guard certificate.notValidAfter > now.addingTimeInterval(Self.renewalMargin) else { return "即将过期" }
        return names(certificate)
    }

    private func read(_ file: URL, node: String) throws -> String {
        guard FileManager.default.fileExists(atPath: file.path) else {
            throw CertificateFileError.missing(path: file.path, node: node)
        }
        do {
            return try String(contentsOf: file, encoding: .utf8)
        } catch {
            throw CertificateFileError.unreadable(path: file.path, reason: (error as NSError).localizedDescription)
        }
    }

    private func write(_ text: String, to file: URL, secret: Bool) throws {
        // Write beside, then rename: a crash never leaves half a key behind.
        let temporary = file.appendingPathExtension("tmp")
        let attributes: [FileAttributeKey: Any] = [.posixPermissions: secret ? 0o600 : 0o644]
        guard FileManager.default.createFile(atPath: temporary.path, contents: Data(text.utf8), attributes: attributes)
        else {
            throw CertificateFileError.unreadable(path: file.path, reason: "无法写入")
        }
        _ = try? FileManager.default.removeItem(at: file)
        try FileManager.default.moveItem(at: temporary, to: file)
    }
}
