import Foundation
import JiuzhuDomain
import JiuzhuStorage
import Testing

/// `jiuzhu registry import` as a real process on a real data folder, with the files Excel
/// writes: UTF-8 with a BOM, and GB18030 from Chinese Windows.
@Suite struct RegistryImportCommandTests {
    static let village = "321281100201"

    static func csv(wages: String = "800") -> String {
        let rows = [
            "原户号,村居代码,地址,户籍,姓名,公民身份号码,与申请人关系,残疾等级,重病,月工资性收入,在保项目",
            "1,\(village),董北村 1 组,农村,王建国,\(citizenID(born: "19580301", sequence: "011")),户主,2,是,\(wages),低保",
            "1,\(village),,,王小丽,\(citizenID(born: "20120615", sequence: "022")),孙子女,,,,",
            "2,\(village),\"董北村 2 组, 东头\",农村,李梅,\(citizenID(born: "19700101", sequence: "042")),申请人,,,1200,",
        ]
        return rows.joined(separator: "\r\n") + "\r\n"
    }

    @Test func importTwiceThenFromGB18030ChangesNothingTheSecondTime() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let topology = directory.url.appending(path: "chain.yaml")
        try Data(try chainTopologyYAML().utf8).write(to: topology)
        let node = ["--topology", topology.path, "--node", Self.village, "--data", "data/\(Self.village)"]
        func run(_ file: URL, _ extra: [String] = []) throws -> CommandResult {
            try runJiuzhu(["registry", "import"] + node + ["--file", file.path] + extra, in: directory.url)
        }

        let utf8 = directory.url.appending(path: "花名册.csv")
        try Data([0xEF, 0xBB, 0xBF] + Array(Self.csv().utf8)).write(to: utf8)
        let dry = try run(utf8, ["--dry-run"])
        #expect(dry.status == 0, "\(dry.standardError)")
        #expect(
            dry.standardOutput.contains("UTF-8（带 BOM）") || dry.standardOutput.contains("BOM"), "\(dry.standardOutput)")
        #expect(dry.standardOutput.contains("3 行，2 户"))
        let first = try run(utf8)
        #expect(first.status == 0, "\(first.standardError)")
        #expect(first.standardOutput.contains("新增 2 户，更新 0 户，未变 0 户"))
        #expect(first.standardError.contains("100% 2/2 户"), "a progress bar")
        let again = try run(utf8)
        #expect(again.standardOutput.contains("新增 0 户，更新 0 户，未变 2 户"))

        // The same register saved by Excel on Chinese Windows.
        let gb = directory.url.appending(path: "花名册-gb.csv")
        let iconv = Process()
        iconv.executableURL = URL(filePath: "/usr/bin/iconv")
        iconv.arguments = ["-f", "UTF-8", "-t", "GB18030", "-o", gb.path]
        let input = Pipe()
        iconv.standardInput = input
        try start(iconv)
        input.fileHandleForWriting.write(Data(Self.csv().utf8))
        try input.fileHandleForWriting.close()
        iconv.waitUntilExit()
        #expect(iconv.terminationStatus == 0)
        let fromGB = try run(gb)
        #expect(fromGB.standardOutput.contains("GB18030"), "\(fromGB.standardOutput)")
        #expect(fromGB.standardOutput.contains("新增 0 户，更新 0 户，未变 2 户"), "\(fromGB.standardOutput)")

        // A changed income is a new version of that household only.
        let changed = directory.url.appending(path: "花名册-新.csv")
        try Data(Self.csv(wages: "900").utf8).write(to: changed)
        #expect(try run(changed).standardOutput.contains("新增 0 户，更新 1 户，未变 1 户"))

        // A file with a bad row imports nothing and names the row.
        let bad = directory.url.appending(path: "花名册-错.csv")
        try Data(Self.csv(wages: "九百").utf8).write(to: bad)
        let refused = try run(bad)
        #expect(refused.status == 1)
        #expect(refused.standardOutput.contains("第 2 行，“月工资性收入”列：“九百”不是有效金额"))
        #expect(refused.standardError.lastLine == "错误：文件有 1 处错误，见上；未导入任何家庭")

        let database = try NodeDatabase.open(
            in: directory.url.appending(path: "data/\(Self.village)"),
            for: .init(code: try DivisionCode(Self.village), name: "董北村", role: .village))
        defer { try? database.close() }
        let history = try await database.registry.householdHistory("\(Self.village)-R1")
        #expect(history.count == 2, "created once, changed once")
        #expect(try await database.operators.auditEntries(.init(action: "registry.import")).count == 3)
    }
}
