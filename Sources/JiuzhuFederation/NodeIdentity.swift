import Foundation
import JiuzhuDomain
import X509

/// How a node's division code is written into, and read back from, its certificate.
///
/// The code travels as a URI subject alternative name, `urn:jiuzhu:division:321200`, so
/// that a peer's identity comes from the certificate the cluster CA signed, never from
/// anything the peer says about itself.
public enum NodeIdentity {
    /// The URI prefix that marks a division code in a subject alternative name.
    public static let uriPrefix = "urn:jiuzhu:division:"

    /// The subject alternative name that names `code`.
    public static func subjectAlternativeName(for code: DivisionCode) -> GeneralName {
        .uniformResourceIdentifier(uriPrefix + code.digits)
    }

    /// The division code a certificate names, if it names exactly one and no department
    /// (``DepartmentIdentity``): a department's certificate is never a node's.
    public static func divisionCode(in certificate: Certificate) -> DivisionCode? {
        let uris = DepartmentIdentity.identityURIs(in: certificate)
        guard !uris.contains(where: { $0.hasPrefix(DepartmentIdentity.uriPrefix) }) else { return nil }
        let codes = uris.filter { $0.hasPrefix(uriPrefix) }.compactMap {
            try? DivisionCode(String($0.dropFirst(uriPrefix.count)))
        }
        return codes.count == 1 ? codes[0] : nil
    }

    /// The subject alternative name for a host a peer dials: an IP address or a DNS name.
    public static func subjectAlternativeName(forHost host: String) -> GeneralName {
        var v4 = in_addr()
        if inet_pton(AF_INET, host, &v4) == 1 {
            return .ipAddress(.init(contentBytes: withUnsafeBytes(of: &v4) { Array($0)[...] }))
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, host, &v6) == 1 {
            return .ipAddress(.init(contentBytes: withUnsafeBytes(of: &v6) { Array($0)[...] }))
        }
        return .dnsName(host)
    }
}
