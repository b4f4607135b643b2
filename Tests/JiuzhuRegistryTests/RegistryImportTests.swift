import JiuzhuDomain
import JiuzhuPolicy
import JiuzhuRegistry
import Testing

/// Reading a village's register: every row checked, problems named by line and column,
/// nothing taken from a file with any problem.
@Suite struct RegistryImportTests {
    static let today = (try? CivilDate("2026-11-29")) ?? CivilDate.earliest
    static let village = (try? DivisionCode("321281001001"))

    static func id(born: String, sequence: String) -> String {
        let body = "321281" + born + sequence
        return body + String(CitizenID.checkCharacter(for: body.compactMap(\.wholeNumberValue)))
    }

    static let header = "原户号,村居代码,地址,户籍,姓名,公民身份号码,与申请人关系,残疾等级,重病,月工资性收入,近12个月医疗自付,在保项目"

    static func file(_ rows: [String]) throws -> CSVTable {
        try CSVTable(text: ([header] + rows).joined(separator: "\r\n") + "\r\n")
    }

    @Test func householdsAreGroupedByTheirRegisterNumber() throws {
        let village = try #require(Self.village)
        let table = try Self.file([
            "7,321281001001,海池社区 8 号,城镇,王建国,\(Self.id(born: "19580301", sequence: "011")),户主,2,是,800,25000,低保",
            "7,321281001001,,,王小丽,\(Self.id(born: "20120615", sequence: "022")),孙子女,,,,,",
            "9,321281001001,海池社区 9 号,农村,李梅,\(Self.id(born: "19700101", sequence: "042")),申请人,,,1200.50,,",
        ])
        let plan = RegistryImport(table, village: village, today: Self.today)
        #expect(plan.problems.isEmpty, "\(plan.problems)")
        #expect(plan.households.map(\.id) == ["321281001001-R7", "321281001001-R9"])
        let first = try #require(plan.households.first)
        #expect(first.members.map(\.name) == ["王建国", "王小丽"])
        #expect(first.members[0].sex == .male && first.members[1].sex == .female, "sex from the ID")
        #expect(first.members[0].disability?.grade == 2)
        #expect(first.incomes.map(\.monthly) == [Fen(80000)])
        #expect(first.enrolments == [.dibao])
        #expect(plan.households[1].incomes.first?.monthly == Fen(120050))
    }

    @Test func everyProblemIsNamedAndNothingIsTaken() throws {
        let village = try #require(Self.village)
        let table = try Self.file([
            "7,321281001001,海池社区 8 号,城镇,王建国,\(Self.id(born: "19580301", sequence: "011")),户主,5,也许,-3,,",
            "7,321281001001,,,王小丽,321281201206150229,孙子女,,,,,",
            "8,321281001002,某地,城镇,张三,\(Self.id(born: "19800101", sequence: "051")),户主,,,,,",
            "9,321281001001,海池社区 9 号,农村,李梅,\(Self.id(born: "19700101", sequence: "042")),申请人,,,,,养老",
            "10,321281001001,海池社区 10 号,乡下,赵四,\(Self.id(born: "19700101", sequence: "061")),户主,,,,,",
        ])
        let plan = RegistryImport(table, village: village, today: Self.today)
        #expect(plan.households.isEmpty, "no household is taken from a file with problems")
        let described = plan.problems.map(\.description)
        #expect(described.contains("第 2 行，“残疾等级”列：“5”应为 1–4"))
        #expect(described.contains("第 2 行，“重病”列：“也许”应为“是”或“否”"))
        #expect(described.contains { $0.hasPrefix("第 2 行，“月工资性收入”列：“-3”不是有效金额") })
        #expect(described.contains { $0.hasPrefix("第 3 行，“公民身份号码”列：公民身份号码校验位错误") })
        #expect(described.contains("第 4 行，“村居代码”列：“321281001002”不是本节点 321281001001"))
        #expect(described.contains("第 5 行，“在保项目”列：“养老”不是已知项目"))
        #expect(described.contains("第 6 行，“户籍”列：“乡下”应为“城镇”或“农村”"))
    }

    @Test func aMissingColumnIsNamed() throws {
        let village = try #require(Self.village)
        let table = try CSVTable(text: "原户号,姓名\n1,王\n")
        let plan = RegistryImport(table, village: village, today: Self.today)
        #expect(plan.problems.count == 1)
        #expect(plan.problems.first?.description.contains("村居代码") == true)
    }
}

/// Registers as village offices save them from Excel on Chinese Windows.
@Suite struct OfficeRegisterTests {
    typealias Base = RegistryImportTests

    @Test func aTitleRowAboveTheHeaderAndEmptyRowsBelowAreNotRead() throws {
        let village = try #require(Base.village)
        let text = [
            "海池社区困难家庭花名册（2026年11月）,,,,,,,,,,,",
            Base.header,
            "7,321281001001,海池社区 8 号,城镇,王建国,\(Base.id(born: "19580301", sequence: "011")),户主,,,\"1,200.00\",,",
            "9,321281001001,海池社区 9 号,农村,李梅,\(Base.id(born: "19700101", sequence: "042")),申请人,,,１２００．５,,",
            ",,,,,,,,,,,",
            ",,,,,,,,,,,",
        ].joined(separator: "\r\n")
        let table = try CSVTable(text: text, headerNaming: RegistryCSV.requiredColumns)
        #expect(table.headerLine == 2)
        let plan = RegistryImport(table, village: village, today: Base.today)
        #expect(plan.problems.isEmpty, "\(plan.problems)")
        #expect(plan.households.map { $0.incomes.first?.monthly } == [Fen(120000), Fen(120050)])
    }

    @Test func aHeaderNamingTooFewColumnsIsStillTheOneReported() throws {
        let village = try #require(Base.village)
        let table = try CSVTable(text: "花名册\n原户号,姓名\n1,王\n", headerNaming: RegistryCSV.requiredColumns)
        #expect(table.headerLine == 2)
        let plan = RegistryImport(table, village: village, today: Base.today)
        #expect(plan.problems.first?.description.contains("缺少必需的列") == true)
        #expect(plan.problems.first?.description.contains("原户号") == false, "the header found names it")
    }

    @Test func separatorsOnlyWhereSeparatorsStandAndIDsExcelMangledAreExplained() throws {
        let village = try #require(Base.village)
        let table = try Base.file([
            "7,321281001001,海池社区 8 号,城镇,王建国,3.21281E+17,户主,,,\"1,20.5\",,",
            "8,321281001001,海池社区 9 号,城镇,李梅,\(Base.id(born: "19700101", sequence: "042")),户主,,,,,",
        ])
        let plan = RegistryImport(table, village: village, today: Base.today)
        let described = plan.problems.map(\.description)
        #expect(described.contains { $0.hasPrefix("第 2 行，“月工资性收入”列：“1,20.5”不是有效金额") })
        #expect(
            described.contains {
                $0.hasPrefix("第 2 行，“公民身份号码”列：“3.21281E+17”是 Excel") && $0.contains("“文本”格式")
            })
    }

    @Test func aDisabilityIsReadWithItsCategory() throws {
        let village = try #require(Base.village)
        let header = Base.header.replacingOccurrences(of: "残疾等级", with: "残疾类别,残疾等级")
        let id = Base.id(born: "19700101", sequence: "042")
        let table = try CSVTable(
            text: [
                header, "7,321281001001,海池社区 8 号,城镇,李梅,\(id),申请人,智力,3,,,,",
                "8,321281001001,海池社区 9 号,城镇,王五,\(Base.id(born: "19700101", sequence: "051")),申请人,,2,,,,",
            ].joined(separator: "\n"))
        let plan = RegistryImport(table, village: village, today: Base.today)
        #expect(
            plan.problems.map(\.description) == [
                "第 3 行，“残疾类别”列：填写了残疾等级，须同时填写残疾类别（可用：视力残疾、听力残疾、言语残疾、肢体残疾、智力残疾、精神残疾、多重残疾）"
            ])
        let fixed = try CSVTable(
            text: [header, "7,321281001001,海池社区 8 号,城镇,李梅,\(id),申请人,智力残疾,3,,,,"].joined(separator: "\n"))
        let read = RegistryImport(fixed, village: village, today: Base.today)
        #expect(read.households.first?.members.first?.disability == StoredDisability(category: .intellectual, grade: 3))
    }
}
