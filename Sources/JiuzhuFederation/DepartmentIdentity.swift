import Foundation
import JiuzhuRegistry
import X509

/// How a department is written into, and read back from, its client certificate.
///
/// A department certificate names the department, never a division: a URI subject alternative
/// name `urn:jiuzhu:department:medicalInsurance` (the department's code name, also its common
/// name, under the organisational unit ``organizationalUnit``). A node's identity is read only
/// from `urn:jiuzhu:division:` names (``NodeIdentity``) and a department's only from
/// `urn:jiuzhu:department:` names, and a certificate that carries names of both kinds is read
/// as neither, so a department can never pass for a node nor a node for a department.
///
/// ```swift
/// let issued = try authority.issue(for: .medicalInsurance)
/// DepartmentIdentity.department(in: issued.certificate)  // .medicalInsurance
/// NodeIdentity.divisionCode(in: issued.certificate)      // nil
/// ```
public enum DepartmentIdentity {
    /// The URI prefix that marks a department in a subject alternative name.
    public static let uriPrefix = "urn:jiuzhu:department:"

    /// The organisational unit every department certificate's subject carries.
    public static let organizationalUnit = "部门数据报送"

    /// The subject alternative name that names `department`.
    public static func subjectAlternativeName(for department: Department) -> GeneralName {
        .uniformResourceIdentifier(uriPrefix + department.rawValue)
    }

    /// The department a certificate names, if it names exactly one and no division.
    public static func department(in certificate: Certificate) -> Department? {
        let uris = identityURIs(in: certificate)
        guard !uris.contains(where: { $0.hasPrefix(NodeIdentity.uriPrefix) }) else { return nil }
        let departments = uris.filter { $0.hasPrefix(uriPrefix) }
        guard departments.count == 1 else { return nil }
        return Department(rawValue: String(departments[0].dropFirst(uriPrefix.count)))
    }

    /// Every URI subject alternative name of a certificate.
    static func identityURIs(in certificate: Certificate) -> [String] {
        guard let names = try? certificate.extensions.subjectAlternativeNames else { return [] }
        return names.compactMap { name in
            guard case .uniformResourceIdentifier(let uri) = name else { return nil }
            return uri
        }
    }
}
