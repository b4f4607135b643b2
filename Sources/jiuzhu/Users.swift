import ArgumentParser
import Foundation
import JiuzhuDomain
import JiuzhuServices
import JiuzhuStorage

/// `jiuzhu users`: operator accounts of one node, for whoever runs the node's machine.
struct Users: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "管理节点的操作员账号。",
        subcommands: [Add.self, List.self]
    )

    /// `jiuzhu users add`: creates an account; prints a generated password unless one is piped in.
    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "新建账号。不指定 --password-stdin 时生成随机密码并显示一次。",
            discussion: "角色：" + OperatorRole.allCases.map { "\($0.rawValue)（\($0.chineseName)）" }.joined(separator: "、")
        )

        @OptionGroup var options: NodeOptions

        @Option(help: "用户名：3–32 位小写字母、数字、点、横线或下划线。")
        var username: String

        @Option(name: .customLong("name"), help: "姓名。")
        var displayName: String

        @Option(help: "角色（代码名或中文名）。")
        var role: String

        @Flag(help: "从标准输入读取密码（一行），而不是生成。")
        var passwordStdin = false

        func run() async throws {
            guard let role = OperatorRole(named: role) else {
                throw ValidationError(
                    "未知角色“\(role)”；可选：\(OperatorRole.allCases.map(\.rawValue).joined(separator: "、"))")
            }
            let password = passwordStdin ? readLine(strippingNewline: true) : nil
            if passwordStdin, password == nil { throw ValidationError("标准输入没有密码") }
            let (configuration, database) = try options.openDatabase()
            let (account, issued) = try await AccountAdministration(database: database)
                .create(username: username, displayName: displayName, role: role, password: password, by: .commandLine)
            print(
                "已在节点 \(configuration.node.label) 创建账号 \(account.username)（\(account.displayName)，\(account.role.chineseName)）"
            )
            if password == nil { print("初始密码：\(issued)（只显示这一次）") }
        }
    }

    /// `jiuzhu users list`
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "列出节点的账号。")

        @OptionGroup var options: NodeOptions

        func run() async throws {
            let (_, database) = try options.openDatabase()
            for account in try await database.operators.accounts() {
                print(
                    "\(account.username)\t\(account.displayName)\t\(account.role.chineseName)\t\(account.disabled ? "已停用" : "正常")"
                )
            }
        }
    }
}
