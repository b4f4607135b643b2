import ArgumentParser
import Foundation
import JiuzhuFederation

/// `jiuzhu certs`: the cluster's certificate authority and node certificates.
struct Certs: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "管理集群证书。",
        subcommands: [Issue.self]
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
