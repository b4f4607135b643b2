import JiuzhuRegistry
import Testing

@Suite("CSVReader")
struct CSVReaderTests {
    @Test(arguments: [
        ("a,b,c", [["a", "b", "c"]]),
        ("a,b\nc,d", [["a", "b"], ["c", "d"]]),
        ("a,b\r\nc,d\r\n", [["a", "b"], ["c", "d"]]),
        ("a,b\rc,d\r", [["a", "b"], ["c", "d"]]),
        ("a,,c,", [["a", "", "c", ""]]),
        (",", [["", ""]]),
        ("\"a,b\",c", [["a,b", "c"]]),
        ("\"say \"\"hi\"\"\",x", [["say \"hi\"", "x"]]),
        ("\"\"", [[""]]),
        ("\"\",\"\"", [["", ""]]),
        ("\"line1\nline2\",z", [["line1\nline2", "z"]]),
        ("\"line1\r\nline2\",z\r\n", [["line1\r\nline2", "z"]]),
        ("a\n\n\nb\n", [["a"], ["b"]]),
        ("a\r\n\r\nb", [["a"], ["b"]]),
        ("", []),
        ("\n\r\n", []),
        (" a , b ", [[" a ", " b "]]),
        ("ab\"c,d", [["ab\"c", "d"]]),
        ("\"ab\"c,d", [["abc", "d"]]),
        ("泰州市,海陵区\n", [["泰州市", "海陵区"]]),
        ("\"é\u{301}\",x", [["é\u{301}", "x"]]),
    ])
    func parses(text: String, expected: [[String]]) throws {
        #expect(try CSVReader.rows(in: text).map(\.fields) == expected)
    }

    @Test func rowsCarryTheirStartLine() throws {
        let text = "h1,h2\r\n\r\n\"multi\r\nline\",x\r\nlast,y\r\n"
        let rows = try CSVReader.rows(in: text)
        #expect(rows.map(\.line) == [1, 3, 5])
        #expect(rows[1].fields == ["multi\r\nline", "x"])
    }

    @Test(arguments: [
        ("\"abc", 1),
        ("a,b\nc,\"d\ne\nf", 2),
        ("a\n\"ok\"\n\"x\"\"", 3),
    ])
    func unterminatedQuoteNamesItsLine(text: String, line: Int) {
        #expect(throws: CSVError.unterminatedQuote(line: line)) { try CSVReader.rows(in: text) }
    }

    @Test func errorMessagesAreChinese() {
        #expect(CSVError.unterminatedQuote(line: 7).description.hasPrefix("第 7 行"))
        #expect(CSVError.missingColumns(["姓名", "公民身份号码"]).description == "缺少必需的列：“姓名”、“公民身份号码”")
        #expect(CSVError.missingHeader.description == "文件为空，缺少表头行")
    }
}

@Suite("CSVTable")
struct CSVTableTests {
    let text = "\u{FEFF} 姓名 ,公民身份号码,住址\r\n张三,32120219850101001X,\"泰州市,海陵区\"\r\n\r\n李四,110105194912310028\r\n"

    @Test func looksUpValuesByTrimmedHeader() throws {
        let table = try CSVTable(text: text)
        #expect(table.header == ["姓名", "公民身份号码", "住址"])
        #expect(table.headerLine == 1)
        #expect(table.records.count == 2)
        #expect(table.columnIndex(named: " 住址 ") == 2)
        #expect(table.columnIndex(named: "电话") == nil)

        let first = try #require(table.records.first)
        #expect(first.line == 2)
        #expect(first["姓名"] == "张三")
        #expect(first["住址"] == "泰州市,海陵区")
        #expect(first["电话"] == nil)
        #expect(first.valuesByColumn == ["姓名": "张三", "公民身份号码": "32120219850101001X", "住址": "泰州市,海陵区"])

        let second = table.records[1]
        #expect(second.line == 4)
        #expect(second["住址"] == "")
    }

    @Test func requiredColumns() throws {
        let table = try CSVTable(text: text)
        try table.requireColumns(["姓名", "公民身份号码 "])
        #expect(throws: CSVError.missingColumns(["电话", "人口"])) {
            try table.requireColumns(["姓名", "电话", "人口"])
        }
    }

    @Test func duplicateRequiredColumn() throws {
        let table = try CSVTable(text: "姓名,备注,备注\n张三,a,b\n")
        try table.requireColumns(["姓名"])
        #expect(table.records[0]["备注"] == "a")
        #expect(throws: CSVError.duplicateColumn("备注")) { try table.requireColumns(["备注"]) }
    }

    @Test func emptyTextHasNoHeader() {
        #expect(throws: CSVError.missingHeader) { try CSVTable(text: "\r\n\r\n") }
    }

    @Test func headerOnly() throws {
        let table = try CSVTable(text: "姓名,公民身份号码\r\n")
        #expect(table.records.isEmpty)
    }
}
