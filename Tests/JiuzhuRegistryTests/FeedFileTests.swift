import Foundation
import JiuzhuDomain
import Testing

@testable import JiuzhuRegistry

/// What the feed tests share: a day to read files on, valid citizen IDs, and decoding text.
enum FeedFixtures {
    static let today = (try? CivilDate("2026-11-29")) ?? CivilDate.earliest

    /// A valid citizen ID of a person born on `born` (YYYYMMDD) in `area`.
    static func id(_ area: String = "321202", born: String, sequence: String) -> String {
        let body = area + born + sequence
        return body + String(CitizenID.checkCharacter(for: body.compactMap(\.wholeNumberValue)))
    }

    static let repository = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func decode(_ text: String, _ feed: DepartmentFeed, today: CivilDate = today) throws(FeedFileError)
        -> [FeedRecord]
    {
        try FeedFile.decode(Data(text.utf8), feed: feed, today: today)
    }

    /// Why decoding `text` fails, or nil when it succeeds.
    static func refusal(_ text: String, _ feed: DepartmentFeed, today: CivilDate = today) -> FeedFileError? {
        do {
            _ = try decode(text, feed, today: today)
            return nil
        } catch {
            return error
        }
    }

    static let medicalHeader = "记录编号,公民身份号码,姓名,结算日期,医疗总费用,个人自付,是否大病,诊断"

    static func medicalCSV(_ rows: [String]) -> String {
        ([medicalHeader] + rows).joined(separator: "\r\n") + "\r\n"
    }

    /// A valid medical row with record number `record`.
    static func medicalRow(_ record: String, cost: String = "6320.00", paid: String = "1896.00") -> String {
        "\(record),\(id(born: "19660119", sequence: "153")),朱志明,2026-11-10,\(cost),\(paid),否,脑梗死"
    }
}

/// The example files in `feeds/examples/` and the documentation in `feeds/README.md` agree
/// with the decoder's column table.
@Suite struct FeedExampleTests {
    static let examples = FeedFixtures.repository.appending(path: "feeds/examples")

    @Test(arguments: DepartmentFeed.allCases)
    func eachExampleDecodesAndItsCSVAndJSONHoldTheSameRecords(feed: DepartmentFeed) throws {
        let csv = try Data(contentsOf: Self.examples.appending(path: "\(feed.rawValue).csv"))
        let json = try Data(contentsOf: Self.examples.appending(path: "\(feed.rawValue).json"))
        let fromCSV = try FeedFile.decode(csv, feed: feed, today: FeedFixtures.today)
        let fromJSON = try FeedFile.decode(json, feed: feed, today: FeedFixtures.today)
        #expect(fromCSV.count == 5)
        #expect(fromCSV == fromJSON)
        #expect(fromCSV.allSatisfy { $0.feed == feed && $0.facts.feed == feed })
        #expect(Set(fromCSV.map(\.recordID)).count == fromCSV.count, "record numbers are unique")
        #expect(fromCSV.map(\.contentHash) == fromJSON.map(\.contentHash))
    }

    @Test func anExampleOfOneFeedIsNotTakenAsAnother() throws {
        let medical = try Data(contentsOf: Self.examples.appending(path: "medical.csv"))
        #expect(throws: FeedFileError.self) { try FeedFile.decode(medical, feed: .deaths, today: FeedFixtures.today) }
        do {
            _ = try FeedFile.decode(medical, feed: .deaths, today: FeedFixtures.today)
        } catch {
            #expect(error.description.hasPrefix("缺少必需的列：“死亡日期”"))
            #expect(error.description.contains("本文件应为“死亡信息”数据"))
        }
        let json = try Data(contentsOf: Self.examples.appending(path: "medical.json"))
        do {
            _ = try FeedFile.decode(json, feed: .deaths, today: FeedFixtures.today)
            Issue.record("a medical file read as deaths")
        } catch {
            #expect(error == .unreadable("文件声明的数据项与本次报送的“死亡信息”（deaths）不符"))
        }
    }

    /// The README's table of a feed, as the column table says it.
    static func table(_ feed: DepartmentFeed) -> String {
        let rows = feed.columns.map { column in
            "| \(column.header) | `\(column.key)` | \(column.kind.typeName) | \(column.isRequired ? "是" : "否") | "
                + "\(column.meaning) | \(column.kind.accepted) |"
        }
        return (["| 列名（CSV） | 键（JSON） | 类型 | 必填 | 含义 | 取值 |", "| --- | --- | --- | --- | --- | --- |"] + rows)
            .joined(separator: "\n")
    }

    @Test(arguments: DepartmentFeed.allCases)
    func theReadmeDocumentsEveryColumnAsTheDecoderReadsIt(feed: DepartmentFeed) throws {
        let readme = try String(
            contentsOf: FeedFixtures.repository.appending(path: "feeds/README.md"), encoding: .utf8)
        let heading = "## \(feed.chineseName)（`\(feed.rawValue)`）"
        let section = try #require(readme.range(of: heading), "README has no section \(heading)")
        let rest = readme[section.upperBound...]
        let body = rest.range(of: "\n## ").map { rest[..<$0.lowerBound] } ?? rest
        #expect(body.contains(Self.table(feed)), "README's table for \(feed) should be:\n\(Self.table(feed))")
        for sender in feed.senders { #expect(body.contains(sender.chineseName)) }
        #expect(body.contains("examples/\(feed.rawValue).csv") && body.contains("examples/\(feed.rawValue).json"))
    }

    @Test(arguments: DepartmentFeed.allCases)
    func eachColumnIsNamedOnceInEachFormat(feed: DepartmentFeed) {
        #expect(Set(feed.columns.map(\.header)).count == feed.columns.count)
        #expect(Set(feed.columns.map(\.key)).count == feed.columns.count)
    }
}

/// Every record checked, every problem named by row and field, and nothing taken from a file
/// with any problem.
@Suite struct FeedFileTests {
    typealias F = FeedFixtures

    @Test func aMalformedRowIsNamedByLineAndColumnAndNoRecordIsTaken() throws {
        let valid = F.id(born: "19570812", sequence: "148")
        let wrongCheck: Character = valid.last == "1" ? "2" : "1"
        let expected = try #require(valid.last)
        let text = F.medicalCSV([
            F.medicalRow("YB-1"),
            "YB-2,\(valid.dropLast())\(wrongCheck),吴淑芬,2026-11-05,100.005,50,也许,",
            F.medicalRow("YB-3"),
        ])
        let error = try #require(F.refusal(text, .medical))
        #expect(
            error.rowErrors.map(\.description) == [
                "第 3 行，“公民身份号码”列：\(CitizenIDError.checkDigitMismatch(expected: expected))",
                "第 3 行，“医疗总费用”列：“100.005”不是有效金额（元，不能为负，至多两位小数）",
                "第 3 行，“是否大病”列：“也许”应为“是”或“否”",
            ])
        #expect(error.rowErrors.allSatisfy { $0.row == 3 && $0.format == .csv })
        #expect(try F.decode(F.medicalCSV([F.medicalRow("YB-1"), F.medicalRow("YB-3")]), .medical).count == 2)
    }

    @Test func aMalformedJSONRecordIsNamedByIndexAndKey() throws {
        let id = F.id(born: "19660119", sequence: "153")
        let text = """
            [{"recordID": "YB-1", "citizenID": "\(id)", "settledOn": "2026-11-10", "totalCost": 6320, "outOfPocket": 1896,
              "seriousIllness": false},
             {"recordID": "YB-2", "citizenID": "\(id)", "settledOn": "2026-11-31", "totalCost": "6,320.00",
              "outOfPocket": -1, "seriousIllness": "否", "diagnosis": null}]
            """
        let error = try #require(F.refusal(text, .medical))
        #expect(
            error.rowErrors.map(\.description) == [
                "第 2 条记录（下标 1），“settledOn”字段：“2026-11-31”不是有效日期（可写 2026-03-01、2026/3/1 或 2026年3月1日）",
                "第 2 条记录（下标 1），“outOfPocket”字段：“-1”不是有效金额（元，不能为负，至多两位小数）",
            ])
        #expect(error.rowErrors.first?.row == 1)
    }

    @Test func aRecordNumberSentTwiceNamesBothRows() throws {
        let csv = F.medicalCSV([F.medicalRow("YB-1"), F.medicalRow("YB-2"), F.medicalRow("YB-1")])
        #expect(
            F.refusal(csv, .medical)?.rowErrors.map(\.description) == [
                "第 4 行，“记录编号”列：“YB-1”与第 2 行重复：同一文件中记录编号不得重复"
            ])
        let id = F.id(born: "19660119", sequence: "153")
        let record = { (number: String) in
            "{\"recordID\": \"\(number)\", \"citizenID\": \"\(id)\", \"settledOn\": \"2026-11-10\", \"totalCost\": 10, "
                + "\"outOfPocket\": 1, \"seriousIllness\": true}"
        }
        let json = "[" + [record("A"), record("B"), record("A")].joined(separator: ",") + "]"
        #expect(
            F.refusal(json, .medical)?.rowErrors.map(\.description) == [
                "第 3 条记录（下标 2），“recordID”字段：“A”与第 1 条记录（下标 0）重复：同一文件中记录编号不得重复"
            ])
    }

    @Test func aGB18030FileWithATitleRowAndSeparatedAmountsIsRead() throws {
        let text = [
            "泰州市医疗保障局医保结算明细（2026年11月）,,,,,,,",
            F.medicalHeader,
            "YB-1,\(F.id(born: "19660119", sequence: "153")),朱志明,2026/11/10,\"1,200.00\",３８４．１５,否,脑梗死",
            ",,,,,,,",
        ].joined(separator: "\r\n")
        let bytes = try gb18030(text)
        #expect(bytes.count < text.utf8.count, "really GB18030, two bytes a character")
        let records = try FeedFile.decode(Data(bytes), feed: .medical, today: F.today)
        #expect(records.count == 1)
        #expect(records.first?.date == (try CivilDate("2026-11-10")))
        #expect(
            records.first?.facts
                == .medical(totalCost: Fen(120_000), outOfPocket: Fen(38_415), seriousIllness: false, diagnosis: "脑梗死"))
        let withBOM = Data([0xEF, 0xBB, 0xBF] + Array(text.utf8))
        #expect(try FeedFile.decode(withBOM, feed: .medical, today: F.today) == records)
    }

    @Test func anIDExcelWroteInScientificNotationIsExplained() throws {
        let error = try #require(
            F.refusal(F.medicalCSV(["YB-1,3.21281E+17,朱志明,2026-11-10,100,10,否,"]), .medical))
        let problem = try #require(error.rowErrors.first)
        #expect(error.rowErrors.count == 1)
        #expect(problem.row == 2 && problem.field == "公民身份号码")
        #expect(problem.message.hasPrefix("“3.21281E+17”是 Excel 把身份证号当作数字保存的科学计数法"))
        #expect(problem.message.contains("“文本”格式"))
    }

    @Test func jsonIsReadAsAnArrayOrAsAFeedWithItsRecords() throws {
        let id = F.id(born: "19660119", sequence: "153")
        let record = """
            {"recordID": "YB-1", "citizenID": "\(id)", "name": "朱志明", "settledOn": "2026年11月10日",
             "totalCost": 1200.5, "outOfPocket": "1,200.50", "seriousIllness": true, "diagnosis": "脑梗死"}
            """
        let array = try F.decode(" \n[\(record)]", .medical)
        #expect(
            array == [
                FeedRecord(
                    feed: .medical, recordID: "YB-1", citizenID: id, name: "朱志明", date: try CivilDate("2026-11-10"),
                    facts: .medical(
                        totalCost: Fen(120_050), outOfPocket: Fen(120_050), seriousIllness: true, diagnosis: "脑梗死"))
            ])
        #expect(try F.decode("{\"feed\": \"medical\", \"records\": [\(record)]}", .medical) == array)
        #expect(try F.decode("{\"records\": [\(record)], \"feed\": \"医保结算\"}", .medical) == array)
        #expect(try F.decode("{\"records\": [\(record)]}", .medical) == array)
        #expect(
            F.refusal("{\"feed\": \"deaths\", \"records\": [\(record)]}", .medical)
                == .unreadable("文件声明的数据项与本次报送的“医保结算”（medical）不符"))
        #expect(
            F.refusal("{\"feed\": \"medical\", \"rows\": [\(record)]}", .medical)
                == .unreadable("顶层对象中有未知字段“rows”（可用：feed、records）"))
        #expect(F.refusal("{\"feed\": \"medical\"}", .medical) == .unreadable("顶层对象缺少“records”记录数组"))
    }

    @Test func aJSONKeyMisspeltRepeatedOrHoldingAnObjectIsRefused() throws {
        let id = F.id(born: "19660119", sequence: "153")
        let text = """
            [{"recordID": "YB-1", "citizenID": "\(id)", "settledOn": "2026-11-10", "totalcost": 100, "outOfPocket": 1,
              "seriousIllness": true, "seriousIllness": false, "diagnosis": {"code": "I63"}},
             "YB-2"]
            """
        let error = try #require(F.refusal(text, .medical))
        #expect(
            error.rowErrors.map(\.description) == [
                "第 1 条记录（下标 0），“totalcost”字段：不是“医保结算”数据的字段（可用：recordID、citizenID、name、settledOn、totalCost、outOfPocket、seriousIllness、diagnosis）",
                "第 1 条记录（下标 0），“seriousIllness”字段：同一条记录中出现多次",
                "第 1 条记录（下标 0），“diagnosis”字段：应为字符串、数字、true 或 false，而不是数组或对象",
                "第 1 条记录（下标 0），“totalCost”字段：不能为空",
                "第 2 条记录（下标 1），“记录”字段：每条记录应为一个 JSON 对象",
                "第 2 条记录（下标 1），“recordID”字段：不能为空",
                "第 2 条记录（下标 1），“citizenID”字段：不能为空",
                "第 2 条记录（下标 1），“settledOn”字段：不能为空",
                "第 2 条记录（下标 1），“totalCost”字段：不能为空",
                "第 2 条记录（下标 1），“outOfPocket”字段：不能为空",
                "第 2 条记录（下标 1），“seriousIllness”字段：不能为空",
            ])
    }

    @Test func aDayAfterTodayIsRefusedAndSoIsAMonthAfterThisOne() throws {
        let refused = F.refusal(
            F.medicalCSV([F.medicalRow("YB-1").replacingOccurrences(of: "2026-11-10", with: "2026-11-30")]), .medical)
        #expect(refused?.rowErrors.map(\.description) == ["第 2 行，“结算日期”列：2026-11-30 晚于今天（2026-11-29）"])
        #expect(
            try F.decode(
                F.medicalCSV([F.medicalRow("YB-1").replacingOccurrences(of: "2026-11-10", with: "2026-11-29")]),
                .medical
            ).count == 1)

        let header = "记录编号,公民身份号码,所属月份,单位名称,月工资"
        let id = F.id(born: "19850611", sequence: "073")
        let thisMonth = try F.decode("\(header)\nRS-1,\(id),2026年11月,鑫源机械厂,4860\n", .employment)
        #expect(thisMonth.first?.date == (try CivilDate("2026-11-01")))
        #expect(
            F.refusal("\(header)\nRS-1,\(id),2026-12,鑫源机械厂,4860\n", .employment)?.rowErrors.map(\.description)
                == ["第 2 行，“所属月份”列：2026 年 12 月晚于本月（2026-11-29）"])
    }

    @Test func aDayBeforeThePersonWasBornIsRefused() throws {
        let header = "记录编号,公民身份号码,死亡日期"
        let id = F.id(born: "20190815", sequence: "017")
        #expect(
            F.refusal("\(header)\nSW-1,\(id),2019-08-14\n", .deaths)?.rowErrors.map(\.message)
                == ["2019-08-14 早于此人的出生日期 2019-08-15（见公民身份号码）"])
        #expect(try F.decode("\(header)\nSW-1,\(id),2019-08-15\n", .deaths).count == 1)
    }

    @Test func outOfPocketAboveTheTotalCostIsRefused() throws {
        let error = F.refusal(F.medicalCSV([F.medicalRow("YB-1", cost: "300", paid: "500.00")]), .medical)
        #expect(error?.rowErrors.map(\.description) == ["第 2 行，“个人自付”列：个人自付 500.00元 超过医疗总费用 300.00元"])
        #expect(try F.decode(F.medicalCSV([F.medicalRow("YB-1", cost: "300", paid: "300.00")]), .medical).count == 1)
    }

    @Test(arguments: [
        "2026-03-01", "2026-3-1", "2026/3/1", "2026/03/01", "2026.3.1", "2026年3月1日", "20260301", "２０２６－０３－０１",
    ])
    func daysAsOfficesWriteThem(text: String) throws {
        #expect(OfficeText.date(text) == (try CivilDate("2026-03-01")))
    }

    @Test(arguments: [
        "2026-02-29", "2026-3", "26-3-1", "2026/13/1", "2026-3/1", "2026年3月1", "2026-03-01 08:00", "2026--3-1", "0301",
        "",
    ])
    func textThatIsNoDay(text: String) {
        #expect(OfficeText.date(text) == nil)
    }

    @Test(arguments: ["2026-10", "2026-10-15", "2026/10", "2026.10", "2026年10月", "202610", "2026年10月31日"])
    func monthsAsOfficesWriteThem(text: String) throws {
        #expect(OfficeText.month(text) == (try CivilDate("2026-10-01")))
    }

    @Test(arguments: [("是", true), ("否", false), ("true", true), ("FALSE", false), ("1", true), ("0", false)])
    func yesOrNo(text: String, value: Bool) throws {
        let row = F.medicalRow("YB-1").replacingOccurrences(of: ",否,", with: ",\(text),")
        let record = try #require(try F.decode(F.medicalCSV([row]), .medical).first)
        guard case .medical(_, _, let serious, _) = record.facts else {
            Issue.record("not a settlement: \(record.facts)")
            return
        }
        #expect(serious == value)
    }

    @Test(arguments: [
        ("肢体", "2", DisabilityCategory.physical, 2), ("肢体残疾", "二级", .physical, 2),
        ("intellectual", "３", .intellectual, 3),
        ("多重残疾", "4级", .multiple, 4), ("视力", "一级", .visual, 1),
    ])
    func disabilitiesAsCertificatesWriteThem(category: String, grade: String, expected: DisabilityCategory, level: Int)
        throws
    {
        let id = F.id(born: "19680402", sequence: "193")
        let records = try F.decode(
            "记录编号,公民身份号码,发证日期,残疾类别,残疾等级\nCJ-1,\(id),2026-03-18,\(category),\(grade)\n", .disability)
        #expect(records.first?.facts == .disability(category: expected, grade: level))
    }

    @Test func aDisabilityOutsideTheCategoriesAndGradesIsRefused() throws {
        let id = F.id(born: "19680402", sequence: "193")
        let error = try #require(
            F.refusal("记录编号,公民身份号码,发证日期,残疾类别,残疾等级\nCJ-1,\(id),2026-03-18,腿脚,5\n", .disability))
        #expect(error.rowErrors.map(\.field) == ["残疾类别", "残疾等级"])
        #expect(error.rowErrors.first?.message.hasPrefix("“腿脚”无法识别（可用：视力残疾（visual）") == true)
    }

    @Test func schoolEventsAndLevelsByNameOrCode() throws {
        let header = "记录编号,公民身份号码,变动日期,变动类型,学段,学校"
        let id = F.id(born: "20100907", sequence: "035")
        let records = try F.decode(
            "\(header)\nXJ-1,\(id),2026-04-15,退学,初中,济川中学\nXJ-2,\(id),2026-09-01,enrolled,juniorSecondary,\n",
            .schooling)
        #expect(
            records.map(\.facts) == [
                .schooling(event: .left, level: .juniorSecondary, school: "济川中学"),
                .schooling(event: .enrolled, level: .juniorSecondary, school: nil),
            ])
        #expect(
            F.refusal("\(header)\nXJ-1,\(id),2026-04-15,入学,未在学,\n", .schooling)?.rowErrors.map(\.field) == ["学段"])
    }

    @Test func textIsBoundedAndHasNoInvisibleCharacters() throws {
        let long = String(repeating: "A", count: 65)
        let rows = [
            F.medicalRow(long),
            F.medicalRow("YB-\u{200B}2"),
            F.medicalRow("YB-3").replacingOccurrences(of: "朱志明", with: String(repeating: "朱", count: 31)),
            F.medicalRow("YB-4").replacingOccurrences(of: "脑梗死", with: "\"脑梗死\n高血压\""),
            F.medicalRow("YB-5").replacingOccurrences(of: "脑梗死", with: String(repeating: "病", count: 201)),
            F.medicalRow(String(repeating: "B", count: 64)),
        ]
        let error = try #require(F.refusal(F.medicalCSV(rows), .medical))
        #expect(
            error.rowErrors.map(\.description) == [
                "第 2 行，“记录编号”列：应为 1–64 个字符，实际 65 个",
                "第 3 行，“记录编号”列：含有控制字符或不可见字符（如换行、零宽字符），请删除",
                "第 4 行，“姓名”列：应为 1–30 个字符，实际 31 个",
                "第 5 行，“诊断”列：含有控制字符或不可见字符（如换行、零宽字符），请删除",
                "第 7 行，“诊断”列：应为 1–200 个字符，实际 201 个",
            ])
    }

    @Test func aFileThatCannotBeReadAsAWholeIsNamed() throws {
        #expect(F.refusal(F.medicalHeader + "\n", .medical) == .unreadable("文件中没有记录"))
        #expect(F.refusal("[]", .medical) == .unreadable("文件中没有记录"))
        #expect(F.refusal("", .medical)?.description.hasPrefix("文件为空，缺少表头行") == true)
        #expect(
            F.refusal("记录编号,公民身份号码,结算日期\n1,2,3\n", .medical)?.description.hasPrefix(
                "缺少必需的列：“医疗总费用”、“个人自付”、“是否大病”") == true)
        #expect(
            F.refusal("[\n  {\"recordID\": \"1\",}\n]", .medical)
                == .unreadable("JSON 格式错误：第 2 行第 20 列，此处应为用双引号括起的字段名"))
        #expect(F.refusal("[{\"a\": \"1\"}] x", .medical)?.description.hasSuffix("JSON 值之后还有多余的内容") == true)
        #expect(F.refusal(String(repeating: "[", count: 100), .medical)?.description.hasSuffix("嵌套超过 16 层") == true)
        #expect(F.refusal("\"medical\"", .medical)?.description.hasPrefix("缺少必需的列") == true, "not JSON: read as CSV")
    }

    @Test func utf16IsRefused() {
        #expect(throws: FeedFileError.unreadable(RegistryFileDecodingError.unsupportedUTF16.description)) {
            try FeedFile.decode(Data([0xFF, 0xFE, 0x5B, 0x00]), feed: .medical, today: FeedFixtures.today)
        }
    }

    @Test func theListOfProblemsIsCappedAndTheRestCounted() throws {
        let rows = (1...250).map { F.medicalRow("YB-\($0)", cost: "1.234") }
        let error = try #require(F.refusal(F.medicalCSV(rows), .medical))
        guard case .invalidRows(let listed, let more) = error else {
            Issue.record("not a row error: \(error)")
            return
        }
        #expect(listed.count == FeedFile.listedErrors && more == 50)
        #expect(listed.last?.row == 201)
        #expect(error.description.hasSuffix("\n另有 50 处问题未列出"))
    }

    /// A file large enough to be read on several cores: the records come back in the file's
    /// order, and a number repeated far apart (in another slice) is still found.
    @Test func aLargeFileKeepsItsOrderAndFindsARepeatAcrossIt() throws {
        var lines = ["记录编号,公民身份号码,姓名,所属月份,单位名称,月工资,缴费基数"]
        for row in 0..<9_000 {
            lines.append("RS-\(row),321204196601191535,职工,2026-10,泰州市某公司,\(2_000 + row).00,")
        }
        let file = Data((lines.joined(separator: "\n") + "\n").utf8)
        let records = try FeedFile.decode(file, feed: .employment, today: try CivilDate("2026-11-30"))
        #expect(records.map(\.recordID) == (0..<9_000).map { "RS-\($0)" })
        lines[8_999] = lines[8_999].replacingOccurrences(of: "RS-8998", with: "RS-3")
        #expect {
            try FeedFile.decode(
                Data((lines.joined(separator: "\n") + "\n").utf8), feed: .employment,
                today: try CivilDate("2026-11-30"))
        } throws: { error in
            guard case FeedFileError.invalidRows(let errors, _) = error else { return false }
            return errors.map(\.row) == [9_000] && errors[0].message.contains("第 5 行")
        }
    }

    @Test func aFileOfTooManyRecordsIsRefusedBeforeAnyIsRead() {
        #expect(throws: Never.self) { try FeedFile.checkCount(FeedFile.maximumRecords) }
        #expect(throws: FeedFileError.self) { try FeedFile.checkCount(FeedFile.maximumRecords + 1) }
    }
}

/// The stored form of a record: the same record is the same bytes and the same hash.
@Suite struct FeedRecordStorageTests {
    static let record = FeedRecord(
        feed: .medical, recordID: "YB/1", citizenID: "321204196601191535", date: CivilDate.earliest,
        facts: .medical(totalCost: Fen(632_000), outOfPocket: Fen(189_600), seriousIllness: false, diagnosis: nil))

    @Test func theCanonicalJSONHasSortedKeysAndWholeFen() throws {
        #expect(
            Self.record.canonicalJSON()
                == #"{"citizenID":"321204196601191535","date":"0001-01-01","facts":{"medical":{"outOfPocket":189600,"#
                + #""seriousIllness":false,"totalCost":632000}},"feed":"medical","recordID":"YB/1"}"#)
        let decoded = try JSONDecoder().decode(FeedRecord.self, from: Data(Self.record.canonicalJSON().utf8))
        #expect(decoded == Self.record)
    }

    /// A record of every feed, with its optional values present and absent, and texts with
    /// characters JSON escapes or might: the hand-written form is `JSONEncoder`'s, byte for byte.
    @Test func theCanonicalJSONIsJSONEncodersForEveryFeed() throws {
        let texts = ["泰州市\"某\"公司", #"C:\路径/子目录"#, "😀 Ünïcode \u{7F} \u{2028}", "a\nb\tc\u{1}"]
        let facts: [FeedFacts] = texts.flatMap { text -> [FeedFacts] in
            [
                .death(certificate: text), .death(certificate: nil),
                .employment(employer: text, monthlyWage: Fen(350_000), contributionBase: Fen(320_000)),
                .employment(employer: text, monthlyWage: Fen(0), contributionBase: nil),
                .medical(totalCost: Fen(632_000), outOfPocket: Fen(189_600), seriousIllness: true, diagnosis: text),
                .medical(totalCost: Fen(1), outOfPocket: Fen(1), seriousIllness: false, diagnosis: nil),
                .disability(category: .intellectual, grade: 2),
                .schooling(event: .left, level: .juniorSecondary, school: text),
                .schooling(event: .enrolled, level: .primary, school: nil),
                .property(kind: .vehicle, description: text, value: Fen(Int64.max)),
                .property(kind: .dwelling, description: text, value: nil),
                .business(name: text, registeredCapital: Fen(-5), active: true),
                .business(name: text, registeredCapital: nil, active: false),
                .disaster(event: text, kind: text, loss: Fen(88_000)),
                .disaster(event: text, kind: text, loss: nil),
            ]
        }
        for (index, fact) in facts.enumerated() {
            let record = FeedRecord(
                feed: fact.feed, recordID: texts[index % texts.count], citizenID: "32120419660119153X",
                name: index % 2 == 0 ? nil : texts[index % texts.count], date: try CivilDate("2026-11-30"), facts: fact)
            #expect(record.canonicalJSON() == record.encodedByFoundation(), "\(fact)")
        }
    }

    @Test func theHashIsSHA256OfTheCanonicalJSONAndTellsAChange() {
        // sha256sum of the JSON above.
        #expect(Self.record.contentHash == "8ac061d097424610969f0961caf0a812b118de4d016ef4592805214c4dd1d05d")
        var changed = Self.record
        changed.facts = .medical(
            totalCost: Fen(632_000), outOfPocket: Fen(189_601), seriousIllness: false, diagnosis: nil)
        #expect(changed.contentHash != Self.record.contentHash)
        #expect(
            Self.record.contentHash
                == FeedRecord(
                    feed: .medical, recordID: "YB/1", citizenID: "321204196601191535", date: CivilDate.earliest,
                    facts: .medical(
                        totalCost: Fen(632_000), outOfPocket: Fen(189_600), seriousIllness: false, diagnosis: nil)
                ).contentHash)
    }
}
