import Crypto
import Foundation
import JiuzhuDomain
import JiuzhuRegistry
import SwiftASN1
import X509

/// The cluster's own certificate authority: a P-256 key that signs one certificate per node
/// and one per department that sends the city its records.
///
/// ```swift
/// let authority = CertificateAuthority.create(clusterName: "泰州市社会救助")
/// let issued = try authority.issue(for: city, hosts: ["127.0.0.1"])
/// ```
public struct CertificateAuthority: Sendable {
    /// The self-signed CA certificate every node trusts.
    public let certificate: Certificate
    let privateKey: P256.Signing.PrivateKey

    /// Makes a new CA, valid for `years` from `now`.
    public static func create(clusterName: String, now: Date = Date(), years: Int = 10) throws -> CertificateAuthority {
        let key = P256.Signing.PrivateKey()
        let name = try DistinguishedName {
            OrganizationName("Jiuzhu")
            CommonName("\(clusterName) 集群根证书")
        }
        let certificate = try Certificate(
            version: .v3,
            serialNumber: .init(),
            publicKey: .init(key.publicKey),
            notValidBefore: now.addingTimeInterval(-3600),
            notValidAfter: now.addingTimeInterval(Double(years) * 365 * 86400),
            issuer: name,
            subject: name,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                SubjectKeyIdentifier(hash: .init(key.publicKey))
            },
            issuerPrivateKey: .init(key)
        )
        return CertificateAuthority(certificate: certificate, privateKey: key)
    }

    /// Reassembles a CA from its PEM files' contents, checking that key and certificate belong together.
    public init(certificatePEM: String, privateKeyPEM: String) throws {
        let certificate = try Certificate(pemEncoded: certificatePEM)
        let key = try P256.Signing.PrivateKey(pemRepresentation: privateKeyPEM)
        guard certificate.publicKey == Certificate.PublicKey(key.publicKey) else {
            throw CertificateFileError.keyDoesNotMatch
        }
        self.init(certificate: certificate, privateKey: key)
    }

    init(certificate: Certificate, privateKey: P256.Signing.PrivateKey) {
        self.certificate = certificate
        self.privateKey = privateKey
    }

    /// The CA's private key in PEM, for writing to a file nobody else can read.
    public var privateKeyPEM: String { privateKey.pemRepresentation }

    /// Signs a certificate for the node `code`, usable both as TLS server and as TLS client.
    ///
    /// - Parameters:
    ///   - hosts: the addresses peers and browsers dial, each written as an IP or DNS name.
    ///   - notBefore, notAfter: the validity window; tests pass past dates to mint expired ones.
    public func issue(
        for code: DivisionCode, name: String, hosts: [String],
        notBefore: Date = Date().addingTimeInterval(-3600),
        notAfter: Date = Date().addingTimeInterval(2 * 365 * 86400)
    ) throws -> IssuedCertificate {
        var alternativeNames = [NodeIdentity.subjectAlternativeName(for: code)]
        for host in hosts {
            let alternative = NodeIdentity.subjectAlternativeName(forHost: host)
            if !alternativeNames.contains(alternative) { alternativeNames.append(alternative) }
        }
        return try issue(
            unit: name, commonName: code.digits, usages: [.serverAuth, .clientAuth], names: alternativeNames,
            notBefore: notBefore, notAfter: notAfter)
    }

    /// Signs a client certificate for `department`, for sending its feeds to the city.
    ///
    /// It names the department (``DepartmentIdentity``) and no division or host, and is good
    /// for TLS clients only, so it can neither act as a node nor serve as one.
    ///
    /// ```swift
    /// let issued = try authority.issue(for: .medicalInsurance)
    /// ```
    public func issue(
        for department: Department,
        notBefore: Date = Date().addingTimeInterval(-3600),
        notAfter: Date = Date().addingTimeInterval(2 * 365 * 86400)
    ) throws -> IssuedCertificate {
        try issue(
            unit: DepartmentIdentity.organizationalUnit, commonName: department.rawValue, usages: [.clientAuth],
            names: [DepartmentIdentity.subjectAlternativeName(for: department)], notBefore: notBefore,
            notAfter: notAfter)
    }

    /// Signs a new P-256 key as `O=Jiuzhu, OU=unit, CN=commonName` for `usages`, naming `names`.
    private func issue(
        unit: String, commonName: String, usages: [ExtendedKeyUsage.Usage], names: [GeneralName],
        notBefore: Date, notAfter: Date
    ) throws -> IssuedCertificate {
        let key = P256.Signing.PrivateKey()
        let subject = try DistinguishedName {
            OrganizationName("Jiuzhu")
            OrganizationalUnitName(unit)
            CommonName(commonName)
        }
        let certificate = try Certificate(
            version: .v3,
            serialNumber: .init(),
            publicKey: .init(key.publicKey),
            notValidBefore: notBefore,
            notValidAfter: notAfter,
            issuer: self.certificate.subject,
            subject: subject,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage(usages)
                SubjectAlternativeNames(names)
            },
            issuerPrivateKey: .init(privateKey)
        )
        return IssuedCertificate(certificate: certificate, privateKeyPEM: key.pemRepresentation)
    }

    /// Whether `certificate` carries this CA's signature.
    public func signed(_ certificate: Certificate) -> Bool {
        self.certificate.publicKey.isValidSignature(certificate.signature, for: certificate)
    }
}

/// A node's or a department's certificate with its private key.
public struct IssuedCertificate: Sendable {
    public let certificate: Certificate
    public let privateKeyPEM: String

    /// The certificate in PEM.
    public func certificatePEM() throws -> String { try certificate.serializeAsPEM().pemString }
}

/// Why a certificate or key file cannot be used.
public enum CertificateFileError: Error, Sendable, CustomStringConvertible {
    case missing(path: String, node: String)
    case missingAuthority(path: String)
    case unreadable(path: String, reason: String)
    case keyDoesNotMatch

    public var description: String {
        switch self {
        case .missing(let path, let node):
            "节点 \(node) 的证书文件 \(path) 不存在；请先运行 jiuzhu certs issue --topology <拓扑文件>"
        case .missingAuthority(let path):
            "集群根证书 \(path) 不存在；请先运行 jiuzhu certs issue --topology <拓扑文件> 创建根证书和节点证书"
        case .unreadable(let path, let reason):
            "证书文件 \(path) 无法使用：\(reason)"
        case .keyDoesNotMatch:
            "私钥与证书不匹配"
        }
    }
}
