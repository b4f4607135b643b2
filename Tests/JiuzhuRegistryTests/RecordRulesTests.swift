import Foundation
import JiuzhuDomain
import JiuzhuPolicy
import JiuzhuRegistry
import Testing

/// What a household record may hold: names and addresses that show as typed, amounts and
/// counts inside InputBounds, birth years a living person can have; each refusal names the field.
@Suite struct RecordRulesTests {
    static let today = (try? CivilDate("2026-11-29")) ?? CivilDate.earliest
    static let village = (try? DivisionCode("321281001001"))

    static func id(born: String, sequence: String) -> String {
        let body = "321281" + born + sequence
        return body + String(CitizenID.checkCharacter(for: body.compactMap(\.wholeNumberValue)))
    }

    static func record() throws -> HouseholdRecord {
        HouseholdRecord(
            id: "", village: try #require(village), address: "海池社区 8 号", registration: .urban,
            members: [
                PersonRecord(
                    citizenID: id(born: "19580301", sequence: "011"), name: "王建国", sex: .male,
                    birthDate: try CivilDate("1958-03-01"), relation: .applicant)
            ],
            incomes: [IncomeDeclaration(type: .wages, monthly: Fen(80000), declaredOn: today)],
            supporters: [SupporterRecord(name: "王大明", relation: .child, ableToSupport: true)])
    }

    @Test func aPlainRecordPasses() throws {
        let record = try Self.record().validated(today: Self.today)
        #expect(record.members[0].name == "王建国")
        // A combining mark after a letter is ordinary text (Zoë written with U+0308).
        var accented = try Self.record()
        accented.members[0].name = "Zoe\u{0308}"
        #expect(try accented.validated(today: Self.today).members[0].name == "Zoe\u{0308}")
    }

    @Test(
        "names and addresses refuse control and format characters and a leading combining mark",
        arguments: [
            ("name", "王\u{0000}建国", "含有控制字符 U+0000"),
            ("name", "王\t建国", "含有控制字符 U+0009"),
            ("name", "王\u{007F}", "含有控制字符 U+007F"),
            ("name", "王\u{0085}国", "含有控制字符 U+0085"),
            ("name", "王\u{200B}建国", "含有不可见的格式字符 U+200B"),
            ("name", "\u{202E}国建王", "含有不可见的格式字符 U+202E"),
            ("name", "\u{0600}<b>", "含有不可见的格式字符 U+0600"),
            ("name", "王\u{FEFF}", "含有不可见的格式字符 U+FEFF"),
            ("name", "\u{0301}\"王", "不能以组合符号 U+0301 开头"),
            ("name", "\u{20DD}王", "不能以组合符号 U+20DD 开头"),
            ("address", "海池社区\u{202E}8 号", "含有不可见的格式字符 U+202E"),
            ("address", "海池社区\n8 号", "含有控制字符 U+000A"),
            ("address", "\u{0903}海池社区", "不能以组合符号 U+0903 开头"),
            ("supporter", "王\u{2066}大明", "含有不可见的格式字符 U+2066"),
            ("supporter", "\u{0300}王大明", "不能以组合符号 U+0300 开头"),
        ])
    func textRules(field: String, text: String, problem: String) throws {
        var record = try Self.record()
        let path: String
        let what: String
        switch field {
        case "name":
            record.members[0].name = text
            (path, what) = ("members[0].name", "姓名")
        case "address":
            record.address = text
            (path, what) = ("address", "地址")
        default:
            record.supporters[0].name = text
            (path, what) = ("supporters[0].name", "姓名")
        }
        let error = try #require(throws: RegistryInputError.self) { try record.validated(today: Self.today) }
        #expect(error.field == path)
        #expect(error.message == what + problem)
    }

    @Test(
        "amounts and counts outside InputBounds are refused with the field named",
        arguments: [
            ("incomes[0].monthly", "金额不能超过 100000000.00元"),
            ("incomes", "至多 50 项，实际 51 项"),
            ("assets.deposits", "金额不能超过 100000000.00元"),
            ("assets.vehicles", "至多 50 项，实际 51 项"),
            ("assets.vehicles[0].value", "金额不能为负"),
            ("assets.housingUnits", "住房套数须为 0–50"),
            ("expenditures[0].last12Months", "金额不能超过 100000000.00元"),
            ("supporters", "至多 50 项，实际 51 项"),
            ("enrolments", "至多 50 项，实际 51 项"),
            ("members", "家庭成员须为 1–30 人"),
        ])
    func boundsRules(field: String, message: String) throws {
        var record = try Self.record()
        let tooMuch = Fen(InputBounds.amountFen.upperBound + 1)
        switch field {
        case "incomes[0].monthly": record.incomes[0].monthly = tooMuch
        case "incomes": record.incomes = Array(repeating: record.incomes[0], count: 51)
        case "assets.deposits": record.assets.deposits = tooMuch
        case "assets.vehicles": record.assets.vehicles = Array(repeating: .init(value: Fen(1)), count: 51)
        case "assets.vehicles[0].value": record.assets.vehicles = [.init(value: Fen(-1))]
        case "assets.housingUnits": record.assets.housingUnits = 51
        case "expenditures[0].last12Months": record.expenditures = [.init(type: .medical, last12Months: tooMuch)]
        case "supporters": record.supporters = Array(repeating: record.supporters[0], count: 51)
        case "enrolments": record.enrolments = Array(repeating: .dibao, count: 51)
        default:
            record.members += (0..<30).map { index in
                PersonRecord(
                    citizenID: Self.id(born: "20000101", sequence: String(format: "%03d", index * 2 + 1)), name: "成员",
                    sex: .male, birthDate: (try? CivilDate("2000-01-01")) ?? Self.today, relation: .child)
            }
        }
        let error = try #require(throws: RegistryInputError.self) { try record.validated(today: Self.today) }
        #expect(error.field == field)
        #expect(error.message == message)
    }

    @Test func theStandardsExampleBornIn1880HasItsOwnReason() throws {
        let example =
            "11010518800101002"
            + String(CitizenID.checkCharacter(for: "11010518800101002".compactMap(\.wholeNumberValue)))
        #expect(example == "110105188001010025")
        let error = try #require(throws: CitizenIDError.self) { try CitizenID(example, today: (2026, 11, 29)) }
        #expect(error == .implausibleBirthYear("18800101"))
        #expect(error.description.contains("早于 1900 年"))
        #expect(!error.description.contains("不是有效日期"), "1880-01-01 is a real date")
        // A date that does not exist keeps its own message.
        #expect(throws: CitizenIDError.impossibleBirthDate("18800230")) {
            try CitizenID("11010518800230002X", today: (2026, 11, 29))
        }
        var record = try Self.record()
        record.members[0].citizenID = example
        record.members[0].birthDate = try CivilDate("1880-01-01")
        let refused = try #require(throws: RegistryInputError.self) { try record.validated(today: Self.today) }
        #expect(refused.field == "members[0].citizenID")
        #expect(refused.message.contains("1900"))
    }

    @Test func aProfileOfAmountsPastInt64IsAnErrorNamingTheList() throws {
        let calculator = try #require(
            try? PolicyCalculator(document: PolicyDocument.load(contentsOf: RegistryFiles.policyURL)))
        let snapshot = try calculator.snapshot(on: Self.today)
        var record = try Self.record()
        let huge = Fen(5_000_000_000_000_000_000)
        record.incomes = [
            IncomeDeclaration(type: .business, monthly: huge, declaredOn: Self.today),
            IncomeDeclaration(type: .business, monthly: huge, declaredOn: Self.today),
        ]
        #expect(throws: AmountOverflowError(field: "incomes")) {
            try HouseholdProfile(record, snapshot: snapshot, version: calculator.version, date: Self.today)
        }
        record.incomes = []
        record.expenditures = [.init(type: .medical, last12Months: huge), .init(type: .medical, last12Months: huge)]
        #expect(throws: AmountOverflowError(field: "expenditures")) {
            try HouseholdProfile(record, snapshot: snapshot, version: calculator.version, date: Self.today)
        }
        record.expenditures = []
        let profile = try HouseholdProfile(record, snapshot: snapshot, version: calculator.version, date: Self.today)
        #expect(profile.perCapitaIncome == .zero)
    }

    static let header = "原户号,村居代码,地址,户籍,姓名,公民身份号码,与申请人关系,月工资性收入,存款"

    @Test func csvImportRefusesImplausibleAmountsAndHiddenCharacters() throws {
        let village = try #require(Self.village)
        let rows = [
            "7,321281001001,海池社区 8 号,城镇,王\u{200B}建国,\(Self.id(born: "19580301", sequence: "011")),户主,100000000.01,",
            "9,321281001001,海池社区 9 号,农村,李梅,\(Self.id(born: "19700101", sequence: "042")),申请人,,1000000000",
        ]
        let table = try CSVTable(text: ([Self.header] + rows).joined(separator: "\r\n") + "\r\n")
        let plan = RegistryImport(table, village: village, today: Self.today)
        #expect(plan.households.isEmpty)
        let described = plan.problems.map(\.description)
        #expect(described.contains("第 2 行，“月工资性收入”列：“100000000.01”元：金额不能超过 100000000.00元"), "\(described)")
        #expect(described.contains("第 3 行，“存款”列：“1000000000”元：金额不能超过 100000000.00元"), "\(described)")
        let fixedAmount = rows[0].replacingOccurrences(of: "100000000.01", with: "800")
        let hidden = RegistryImport(
            try CSVTable(text: [Self.header, fixedAmount].joined(separator: "\r\n") + "\r\n"), village: village,
            today: Self.today)
        #expect(hidden.problems.map(\.description) == ["第 2 行，“members[0].name”列：姓名含有不可见的格式字符 U+200B"])
    }
}

/// Files of the package the registry's tests read.
enum RegistryFiles {
    static let policyURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appending(path: "policy/taizhou.yaml")
}
