import JiuzhuDomain
import JiuzhuRegistry
import Testing

@Suite("CSVWriter")
struct CSVWriterTests {
    let writer = CSVWriter()

    @Test(arguments: [
        ("张三", "张三"),
        ("", ""),
        ("泰州市,海陵区", "\"泰州市,海陵区\""),
        ("say \"hi\"", "\"say \"\"hi\"\"\""),
        ("line1\nline2", "\"line1\nline2\""),
        ("a\rb", "\"a\rb\""),
        (" leading", "\" leading\""),
        ("trailing ", "\"trailing \""),
        ("in side", "in side"),
        ("11010519491231002X", "11010519491231002X"),
    ])
    func quoting(value: String, expected: String) {
        #expect(writer.field(value) == expected)
    }

    @Test(arguments: [
        ("=1+1", "'=1+1"),
        ("=HYPERLINK(\"http://x\",\"点击\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"点击\"\")\""),
        ("+8613800000000", "'+8613800000000"),
        ("-1+2", "'-1+2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "\"'\r=1\""),
        ("\0x", "'\0x"),
        ("-12", "-12"),
        ("-0.5", "-0.5"),
        ("-", "'-"),
        ("-.5", "'-.5"),
        ("a=b", "a=b"),
    ])
    func formulaTriggersGetApostrophe(value: String, expected: String) {
        #expect(writer.field(value) == expected)
    }

    @Test(arguments: [
        ("321202198501010019", "321202198501010019\t"),
        ("6222021234567890123", "6222021234567890123\t"),
        ("321202001001", "321202001001\t"),
        ("32120200100", "32120200100"),
        ("13800000000", "13800000000"),
        ("32120219850101001X", "32120219850101001X"),
        ("１２３４５６７８９０１２", "１２３４５６７８９０１２"),
    ])
    func longDigitStringsStayText(value: String, expected: String) {
        #expect(writer.field(value) == expected)
    }

    @Test func protectionsCanBeTurnedOff() {
        let raw = CSVWriter(neutralizesFormulas: false, keepsLongDigitStringsAsText: false)
        #expect(raw.field("=1+1") == "=1+1")
        #expect(raw.field("321202198501010019") == "321202198501010019")
        #expect(raw.field("a,b") == "\"a,b\"")
    }

    @Test func fileHasBOMAndCRLF() {
        let bytes = writer.bytes(for: [["姓名", "住址"], ["张三", "泰州市,海陵区"]])
        #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
        #expect(String(decoding: bytes.dropFirst(3), as: UTF8.self) == "姓名,住址\r\n张三,\"泰州市,海陵区\"\r\n")
        #expect(writer.text(for: []) == "")
    }

    @Test func roundTripsThroughDecoderAndReader() throws {
        let rows = [
            ["姓名", "公民身份号码", "备注"],
            ["张三", "321202198501010019", "多行\r\n备注, 含\"引号\""],
            ["李四", "11010519491231002X", " 前后空格 "],
        ]
        let file = try RegistryFileDecoder.decode(writer.bytes(for: rows))
        #expect(file.encoding == .utf8BOM)
        let table = try CSVTable(text: file.text)
        #expect(table.records.map(\.line) == [2, 4])
        #expect(table.records[0]["备注"] == rows[1][2])
        #expect(table.records[1]["备注"] == rows[2][2])
        // The protective tab comes back and CitizenID trims it.
        let idText = try #require(table.records[0]["公民身份号码"])
        #expect(idText == "321202198501010019\t")
        let id = try CitizenID(idText, today: (2025, 6, 1))
        #expect(id.normalized == "321202198501010019")
    }
}
