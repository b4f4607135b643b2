import Foundation
import GRDB
import Testing

/// `jiuzhu users` and `jiuzhu audit verify`, as real processes on a real data folder.
@Suite struct OperatorCommandTests {
    @Test func addAnAccountThenFindATamperedAuditEntry() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let topology = directory.url.appending(path: "chain.yaml")
        try Data(try chainTopologyYAML().utf8).write(to: topology)
        let node = ["--topology", topology.path, "--node", "321281100", "--data", "data/321281100"]

        let added = try runJiuzhu(
            ["users", "add"] + node + ["--username", "wang.fang", "--name", "王芳", "--role", "乡镇窗口经办人"],
            in: directory.url)
        #expect(added.status == 0, "\(added.standardError)")
        #expect(added.standardOutput.contains("已在节点 321281100 戴南镇 创建账号 wang.fang（王芳，乡镇窗口经办人）"))
        let password = try #require(added.standardOutput.firstMatch(of: /初始密码：(\S+)（/)?.1)
        #expect(password.count == 14)

        let wrongRole = try runJiuzhu(
            ["users", "add"] + node + ["--username", "li.na", "--name", "李娜", "--role", "countyOfficer"],
            in: directory.url)
        #expect(wrongRole.status == 1)
        #expect(wrongRole.standardError.lastLine == "错误：角色“县级救助中心工作人员”不能设在乡镇级节点")
        let twice = try runJiuzhu(
            ["users", "add"] + node + ["--username", "wang.fang", "--name", "王芳", "--role", "townshipClerk"],
            in: directory.url)
        #expect(twice.standardError.lastLine == "错误：用户名“wang.fang”已存在")

        let listed = try runJiuzhu(["users", "list"] + node, in: directory.url)
        #expect(listed.standardOutput == "wang.fang\t王芳\t乡镇窗口经办人\t正常\n")

        let intact = try runJiuzhu(["audit", "verify"] + node, in: directory.url)
        #expect(intact.status == 0, "\(intact.standardError)")
        #expect(intact.standardOutput.contains("审计链完整"))

        // Someone edits the file directly, around the triggers.
        let file = directory.url.appending(path: "data/321281100/node.sqlite").path
        let queue = try DatabaseQueue(path: file)
        try await queue.write { db in
            try db.execute(
                sql: """
                    DROP TRIGGER audit_entry_no_update;
                    UPDATE audit_entry SET actor = '无名氏' WHERE seq = 1;
                    """)
        }
        try queue.close()
        let broken = try runJiuzhu(["audit", "verify"] + node, in: directory.url)
        #expect(broken.status == 1)
        #expect(broken.standardOutput.contains("节点 321281100 第 1 条：内容被修改（与其哈希不符）"))
        #expect(broken.standardError.lastLine == "错误：节点 321281100 戴南镇 的审计日志发现 1 处问题，见上")
    }

    @Test func helpIsShownNotReportedAsAnError() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let help = try runJiuzhu(["--help"], in: directory.url)
        #expect(help.status == 0)
        #expect(help.standardOutput.contains("OVERVIEW: 救助"))
        #expect(!help.standardError.contains("错误"))
        let benchHelp = try runJiuzhu(["bench", "--help"], in: directory.url)
        #expect(benchHelp.standardOutput.contains("city (default)"))
    }
}
