import ArgumentParser
import Foundation
import JiuzhuFederation
import JiuzhuRegistry

/// `jiuzhu certs`: the cluster's certificate authority, node certificates and the departments'
/// client certificates.
struct Certs: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "管理集群证书。",
        subcommands: [Issue.self, DepartmentCertificates.self]
    )

    /// `jiuzhu certs issue`: creates what is missing or invalid, keeps what is valid.
    struct Issue: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "为拓扑中的每个节点签发证书（P-256）；有效的现有文件保持不变。"
        )

        @Option(help: "拓扑文件（YAML）。")
        var topology: String

        @Option(help: "证书目录。")
        var out: String = "certs"

        func run() throws {
            let topology = try Topology.load(from: URL(filePath: self.topology))
            let directory = CertificateDirectory(URL(filePath: out))
            for line in try directory.issue(for: topology) {
                print(Self.describe(line))
            }
        }

        static func describe(_ line: CertificateDirectory.ReportLine) -> String {
            switch line.outcome {
            case .created: "新建  \(line.subject)"
            case .kept: "保留  \(line.subject)"
            case .replaced(let reason): "重签  \(line.subject)（\(reason)）"
            }
        }
    }
}

extension Certs {
    /// `jiuzhu certs department`: a client certificate per department, for sending its feeds
    /// to the city's `POST /feeds/{feed}`; kept while valid, like node certificates.
    struct DepartmentCertificates: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "department",
            abstract: "为部门签发报送部门数据用的客户端证书（写入 <证书目录>/departments/<部门>.crt 和 .key）；有效的现有文件保持不变。",
            discussion: "部门：" + Department.allCases.map { "\($0.rawValue)（\($0.chineseName)）" }.joined(separator: "、")
        )

        @Option(name: .customLong("department"), help: "部门（可重复），如 medicalInsurance。")
        var departments: [String] = []

        @Flag(help: "为全部 \(Department.allCases.count) 个部门签发。")
        var all = false

        @Option(help: "证书目录（须已有 jiuzhu certs issue 创建的根证书）。")
        var out: String = "certs"

        func validate() throws {
            guard all != !departments.isEmpty else {
                throw ValidationError("请用 --department <部门> 指定部门，或用 --all 指定全部部门（二者取其一）")
            }
            for name in departments where Department(rawValue: name) == nil {
                throw ValidationError(
                    "未知的部门 \(name)；可选：" + Department.allCases.map(\.rawValue).joined(separator: "、"))
            }
        }

        func run() throws {
            let chosen = all ? Department.allCases : departments.compactMap(Department.init(rawValue:))
            let directory = CertificateDirectory(URL(filePath: out))
            for (line, department) in zip(try directory.issue(departments: chosen), chosen) {
                print("\(Issue.describe(line))：\(directory.certificateURL(for: department).path)")
            }
        }
    }
}
