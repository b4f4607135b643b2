import JiuzhuDomain
import JiuzhuRegistry

/// Decides who may send department records to the city: only a department's certificate,
/// never a node's, and only for a feed the department is a sender of
/// (``DepartmentFeed/senders``); and a department's certificate opens no node-to-node route.
///
/// ```swift
/// let department = try FeedAdmission.department(caller, sending: "deaths")  // a node is refused
/// try FeedAdmission.check(department, sending: .deaths)  // only .publicSecurity and .health pass
/// ```
public enum FeedAdmission {
    /// Why a department-facing request was refused; each is also recorded as a security event.
    public enum Refusal: Error, Equatable, Sendable, CustomStringConvertible {
        /// A node's certificate at the feed endpoint (`feed` as the path named it).
        case nodeCertificate(node: DivisionCode, feed: String)
        /// A department sending another department's feed.
        case notASender(department: Department, feed: DepartmentFeed)
        /// A department's certificate on a node-to-node route.
        case departmentCertificate(department: Department, path: String)

        public var description: String {
            switch self {
            case .nodeCertificate(let node, let feed):
                "节点 \(node) 的证书不能报送部门数据（/feeds/\(feed)）：部门数据只接受部门证书"
            case .notASender(let department, let feed):
                "\(department.chineseName)无权报送“\(feed.chineseName)”（\(feed.rawValue)）：该数据由"
                    + feed.senders.map(\.chineseName).joined(separator: "、") + "报送"
            case .departmentCertificate(let department, let path):
                "\(department.chineseName)的部门证书不能访问节点间联邦接口 \(path)"
            }
        }

        /// Every kind of refusal, by its machine name, with its Chinese name for operators.
        public static let kinds: [(kind: String, chineseName: String)] = [
            ("node-certificate", "节点证书报送部门数据"), ("not-a-sender", "部门报送非本部门数据"),
            ("department-certificate", "部门证书访问节点接口"),
        ]

        /// The code the refused caller is answered with.
        public var code: FederationRefusal.Code {
            switch self {
            case .nodeCertificate: .nodeCertificate
            case .notASender: .notASender
            case .departmentCertificate: .departmentCertificate
            }
        }

        /// A short machine name for the security event: the refusal's code.
        public var kind: String { code.rawValue }

        /// The caller refused.
        public var caller: FederationCaller {
            switch self {
            case .nodeCertificate(let node, _): .node(node)
            case .notASender(let department, _), .departmentCertificate(let department, _): .department(department)
            }
        }
    }

    /// The department calling, refusing a node: checked before the feed named in the path is
    /// looked up, so that a node's certificate learns nothing about the feeds.
    public static func department(_ caller: FederationCaller, sending feed: String) throws(Refusal) -> Department {
        switch caller {
        case .node(let code): throw .nodeCertificate(node: code, feed: feed)
        case .department(let department): return department
        }
    }

    /// Checks that `department` is one of the feed's senders.
    public static func check(_ department: Department, sending feed: DepartmentFeed) throws(Refusal) {
        guard feed.senders.contains(department) else { throw .notASender(department: department, feed: feed) }
    }
}
