import Foundation
import JiuzhuDomain
import NIOCore
import NIOSSL

/// A node's certificate, private key and the cluster CA, ready for TLS.
///
/// ```swift
/// let credentials = try NodeCredentials.load(code: city.code, from: CertificateDirectory(certsURL))
/// let server = credentials.federationServerTLS()   // TLS 1.3, client certificate required
/// ```
public struct NodeCredentials: Sendable {
    public let code: DivisionCode
    public let certificate: NIOSSLCertificate
    public let privateKey: NIOSSLPrivateKey
    public let authority: NIOSSLCertificate

    public init(
        code: DivisionCode, certificate: NIOSSLCertificate, privateKey: NIOSSLPrivateKey, authority: NIOSSLCertificate
    ) {
        self.code = code
        self.certificate = certificate
        self.privateKey = privateKey
        self.authority = authority
    }

    /// Reads the node's files, naming the first one that is missing or unusable.
    public static func load(code: DivisionCode, from directory: CertificateDirectory) throws -> NodeCredentials {
        func contents(_ url: URL) throws -> [UInt8] {
            guard FileManager.default.fileExists(atPath: url.path) else {
                throw CertificateFileError.missing(path: url.path, node: code.digits)
            }
            guard let data = FileManager.default.contents(atPath: url.path) else {
                throw CertificateFileError.unreadable(path: url.path, reason: "无法读取")
            }
            return Array(data)
        }
        func parse<T>(_ url: URL, _ make: ([UInt8]) throws -> T) throws -> T {
            let bytes = try contents(url)
            do { return try make(bytes) } catch {
                throw CertificateFileError.unreadable(path: url.path, reason: "不是有效的 PEM 文件（\(error)）")
            }
        }
        return NodeCredentials(
            code: code,
            certificate: try parse(directory.certificateURL(for: code)) {
                try NIOSSLCertificate(bytes: $0, format: .pem)
            },
            privateKey: try parse(directory.keyURL(for: code)) { try NIOSSLPrivateKey(bytes: $0, format: .pem) },
            authority: try parse(directory.authorityCertificateURL) { try NIOSSLCertificate(bytes: $0, format: .pem) }
        )
    }

    /// The federation listener: TLS 1.3 only, and a client certificate from the cluster CA is required.
    ///
    /// `makeServerConfigurationWithMTLS` turns hostname checking off for client certificates,
    /// which full verification would wrongly check against the client's IP address.
    public func federationServerTLS() -> TLSConfiguration {
        var configuration = TLSConfiguration.makeServerConfigurationWithMTLS(
            certificateChain: [.certificate(certificate)],
            privateKey: .privateKey(privateKey),
            trustRoots: .certificates([authority])
        )
        configuration.minimumTLSVersion = .tlsv13
        configuration.shutdownTimeout = Self.shutdownTimeout
        return configuration
    }

    /// How long closing a connection waits for the peer's close_notify; NIOSSL's five-second
    /// default would hold a stopping node up for as long.
    static let shutdownTimeout = TimeAmount.milliseconds(500)

    /// The operator listener: ordinary HTTPS for browsers, with the node's certificate.
    public func operatorServerTLS() -> TLSConfiguration {
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: [.certificate(certificate)],
            privateKey: .privateKey(privateKey)
        )
        configuration.minimumTLSVersion = .tlsv12
        configuration.shutdownTimeout = Self.shutdownTimeout
        return configuration
    }

    /// Dialling another node: present this node's certificate, trust only the cluster CA,
    /// and verify the server fully, hostname included.
    public func federationClientTLS() -> TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv13
        configuration.trustRoots = .certificates([authority])
        configuration.certificateChain = [.certificate(certificate)]
        configuration.privateKey = .privateKey(privateKey)
        configuration.certificateVerification = .fullVerification
        configuration.shutdownTimeout = Self.shutdownTimeout
        return configuration
    }

    /// Checking another node's operator listener (health): trust the cluster CA only.
    public func operatorClientTLS() -> TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.trustRoots = .certificates([authority])
        return configuration
    }
}
