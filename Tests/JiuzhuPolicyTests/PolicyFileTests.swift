import Foundation
import JiuzhuDomain
import Testing

@testable import JiuzhuPolicy

@Suite("Policy files: loading, refusal with the line, versions")
struct PolicyFileTests {
    /// The 1-based line on which `fragment` first occurs in `text` (after `after` if given).
    static func line(of fragment: String, in text: String, after anchor: String? = nil) -> Int? {
        var searchStart = text.startIndex
        if let anchor, let found = text.range(of: anchor) { searchStart = found.upperBound }
        guard let range = text.range(of: fragment, range: searchStart..<text.endIndex) else { return nil }
        return text[..<range.lowerBound].count(where: { $0 == "\n" }) + 1
    }

    static func refusal(_ text: String) throws -> PolicyFileError {
        try #require(throws: PolicyFileError.self) { try PolicyDocument.load(yaml: text, file: "taizhou.yaml") }
    }

    @Test("both shipped policy files load", arguments: ["taizhou", "national"])
    func shippedFilesLoad(name: String) throws {
        let document = try PolicyDocument.load(contentsOf: TestSupport.policyURL(name))
        #expect(document.parameters.count == ParameterKey.allCases.count)
        #expect(
            document.version.contentHash == PolicyDocument.contentHash(Array(try TestSupport.policyText(name).utf8)))
        #expect(PolicyCalculator(document: document).firstDate == TestSupport.date("2020-01-01"))
    }

    @Test("the versions differ between the city and the national file and name their rules")
    func versions() throws {
        let city = try #require(TestSupport.calculators["taizhou"])
        let national = try #require(TestSupport.calculators["national"])
        #expect(city.version.id == "2026.4")
        #expect(national.version.id == "2026.4-national")
        #expect(city.version.contentHash.count == 64)
        #expect(city.version.contentHash != national.version.contentHash)
        #expect(city.document.programmes[.rigidExpenditure]?.rigidFormula == .city)
        #expect(national.document.programmes[.rigidExpenditure]?.rigidFormula == .national2025)
        #expect(try city.snapshot(on: TestSupport.date("2025-01-01")).parameter(.edgeIncomeLine).value == 142000)
        #expect(try national.snapshot(on: TestSupport.date("2025-01-01")).parameter(.edgeIncomeLine).value == 106500)
    }

    @Test(
        "ages are counted on the reference day of the month, the last day in a shorter month",
        arguments: [
            (1, "2026-03-20", "2026-03-01"), (31, "2026-02-10", "2026-02-28"), (31, "2024-02-10", "2024-02-29"),
            (31, "2026-04-05", "2026-04-30"), (31, "2026-05-05", "2026-05-31"), (15, "2026-06-30", "2026-06-15"),
        ])
    func ageReferenceDay(day: Int, date: String, ageDate: String) throws {
        let text = try TestSupport.policyText("taizhou").replacingOccurrences(
            of: "  ages.referenceDay:\n    - from: 2020-01-01\n      count: 1",
            with: "  ages.referenceDay:\n    - from: 2020-01-01\n      count: \(day)")
        let calculator = PolicyCalculator(document: try PolicyDocument.load(yaml: text, file: "taizhou.yaml"))
        let snapshot = try calculator.snapshot(on: TestSupport.date(date))
        #expect(snapshot.parameter(.ageReferenceDay).value == Int64(day))
        #expect(snapshot.date == TestSupport.date(date))
        #expect(snapshot.ageDate == TestSupport.date(ageDate))
        // Someone turning 60 on the age date is 60 for the whole month, a day later is 59.
        func elder(born: String) throws -> Bool {
            let household = HouseholdSituation(
                registration: .rural,
                members: [.init(birthDate: TestSupport.date(born), sex: .female, relation: .applicant)])
            return try snapshot.evaluate(CompactHousehold(household)).eligible.contains(.extremePoverty)
        }
        let turning = TestSupport.date(ageDate)
        let born = try CivilDate(year: turning.year - 60, month: turning.month, day: turning.day)
        #expect(try elder(born: born.description))
        if turning.day < CivilDate.daysInMonth(year: born.year, month: born.month) {
            let dayLater = try CivilDate(year: born.year, month: born.month, day: born.day + 1)
            #expect(try !elder(born: dayLater.description))
        }
    }

    @Test("every disability category has its own dated no-work grade")
    func noWorkGrades() throws {
        let snapshot = try #require(TestSupport.calculators["taizhou"]).snapshot(on: TestSupport.date("2025-03-01"))
        let expected: [DisabilityCategory: Int64] = [
            .intellectual: 3, .mental: 3, .physical: 2, .visual: 1, .hearing: 0, .speech: 0, .multiple: 1,
        ]
        for category in DisabilityCategory.allCases {
            let key = ParameterKey.noWorkGrade(category)
            #expect(key.disabilityCategory == category)
            #expect(snapshot.parameter(key).value == expected[category], "\(category)")
            #expect(DisabilityCategory(compactCode: category.compactCode) == category)
        }
        #expect(DisabilityCategory(compactCode: 0) == nil)
        #expect(snapshot.parameter(.noWorkGradeHearing).valueText == "不以此类残疾认定")
        #expect(snapshot.parameter(.noWorkGradeMental).valueText == "3级")
        #expect(snapshot.parameter(.minorAge).value == 16)
    }

    @Test("a compact member stays 8 bytes and keeps its category and relation")
    func compactMember() {
        #expect(MemoryLayout<CompactMember>.size == 8)
        #expect(MemoryLayout<CompactMember>.stride == 8)
        let member = CompactMember(
            HouseholdSituation.Member(
                birthDate: TestSupport.date("1950-01-01"), sex: .male, relation: .grandparent,
                disability: .init(category: .mental, grade: 2)))
        #expect(member.disabilityCategory == DisabilityCategory.mental.compactCode)
        #expect(member.relation == Relation.grandparent.compactCode)
        #expect(member.disabilityGrade == 2)
        let masked = CompactMember(birth: 0, disabilityCategory: 0xFF, relation: 0xFF)
        #expect(masked.disabilityCategory == 0x0F && masked.relation == 0x0F)
    }

    @Test("a comment change gives a new content hash")
    func hashFollowsContent() throws {
        let text = try TestSupport.policyText("taizhou")
        let a = try PolicyDocument.load(yaml: text, file: "a.yaml")
        let b = try PolicyDocument.load(yaml: text + "\n# 审阅意见\n", file: "a.yaml")
        #expect(a.version.id == b.version.id)
        #expect(a.version.contentHash != b.version.contentHash)
    }

    @Test("SHA-256 matches the FIPS 180-4 examples")
    func sha256() {
        #expect(PolicyDocument.contentHash([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(
            PolicyDocument.contentHash(Array("abc".utf8))
                == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(
            PolicyDocument.contentHash(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    /// A mutation of taizhou.yaml, the fragment whose line the error must name, and a word of the message.
    struct Mutation: Sendable, CustomTestStringConvertible {
        var label: String
        var original: String
        var replacement: String
        var errorAt: String
        var after: String?
        var message: String
        var testDescription: String { label }
    }

    static let mutations: [Mutation] = [
        Mutation(
            label: "unknown parameter", original: "  monitoring.incomeLine:", replacement: "  monitoring.incomeLne:",
            errorAt: "  monitoring.incomeLne:", message: "未知参数“monitoring.incomeLne”"),
        Mutation(
            label: "two values on the same date", original: "    - from: 2026-07-01\n      yuan: \"760\"",
            replacement: "    - from: 2020-01-01\n      yuan: \"760\"", errorAt: "    - from: 2020-01-01",
            after: "yuan: \"710\"", message: "生效日期 2020-01-01 重复"),
        Mutation(
            label: "values out of date order", original: "    - from: 2026-07-01\n      yuan: \"760\"",
            replacement: "    - from: 2019-07-01\n      yuan: \"760\"", errorAt: "    - from: 2019-07-01",
            message: "须按先后排列"),
        Mutation(
            label: "a multiple of a parameter the file does not define",
            original: "  orphan.allowance:\n    - from: 2020-01-01\n      yuan: \"1900\"\n", replacement: "",
            errorAt: "      of: orphan.allowance", message: "基准参数未定义"),
        Mutation(
            label: "a multiple of an unknown parameter", original: "      of: orphan.allowance",
            replacement: "      of: orphan.allowanse", errorAt: "      of: orphan.allowanse", message: "未知的基准参数"),
        Mutation(
            label: "unknown key in a dated value", original: "      yuan: \"8160\"",
            replacement: "      yuan: \"8160\"\n      unit: 元", errorAt: "      unit: 元", message: "未知的键“unit”"),
        Mutation(
            label: "unknown top-level key", original: "region: \"321200\"",
            replacement: "region: \"321200\"\nauthor: 民政局", errorAt: "author:", message: "未知的键“author”"),
        Mutation(
            label: "unknown key in a programme", original: "  dibao: { tier: 1 }",
            replacement: "  dibao: { tier: 1, amount: 3 }", errorAt: "  dibao: { tier: 1, amount: 3 }",
            message: "未知的键“amount”"),
        Mutation(
            label: "a count where money is expected", original: "      yuan: \"8160\"",
            replacement: "      count: 8160",
            errorAt: "    - from: 2020-01-01\n      count: 8160", message: "监测预警收入线"),
        Mutation(
            label: "an amount with three decimals", original: "      yuan: \"1900\"",
            replacement: "      yuan: \"1900.005\"",
            errorAt: "      yuan: \"1900.005\"", message: "最多两位小数"),
        Mutation(
            label: "an impossible date", original: "    - from: 2026-07-01", replacement: "    - from: 2026-02-30",
            errorAt: "    - from: 2026-02-30", message: "2026-02-30"),
        Mutation(
            label: "a missing parameter",
            original: "  monitoring.incomeLine:\n    - from: 2020-01-01\n      yuan: \"8160\"\n",
            replacement: "", errorAt: "parameters:", message: "缺少参数“monitoring.incomeLine”"),
        Mutation(
            label: "an unknown income type", original: "incomeNotCounted: [assistance, pensionBase, incentive]",
            replacement: "incomeNotCounted: [assistance, pension, incentive]",
            errorAt: "incomeNotCounted: [assistance, pension, incentive]", message: "未知的收入类型“pension”"),
        Mutation(
            label: "an unknown rigid-expenditure formula", original: "formula: city",
            replacement: "formula: provincial",
            errorAt: "formula: provincial", message: "provincial"),
        Mutation(
            label: "a programme twice in an exclusive group", original: "  - [extremePoverty, severeDisabilityCare]",
            replacement: "  - [extremePoverty, severeDisabilityCare, extremePoverty]",
            errorAt: "  - [extremePoverty, severeDisabilityCare, extremePoverty]", message: "重复"),
        Mutation(
            label: "a duplicated key", original: "  children.ageLimit:",
            replacement: "  orphan.allowance:\n    - from: 2020-01-01\n      yuan: \"1\"\n  children.ageLimit:",
            errorAt: "  orphan.allowance:", message: "键重复"),
        Mutation(
            label: "a cycle of multiples", original: "  dibao.standard:\n    - from: 2020-01-01\n      yuan: \"710\"",
            replacement:
                "  dibao.standard:\n    - from: 2020-01-01\n      multiple: \"0.5\"\n      of: dibaoEdge.incomeLine",
            errorAt: "    - from: 2020-01-01\n      multiple: \"0.5\"\n      of: dibaoEdge.incomeLine",
            message: "循环"),
        Mutation(
            label: "an age reference day of 0",
            original: "  ages.referenceDay:\n    - from: 2020-01-01\n      count: 1",
            replacement: "  ages.referenceDay:\n    - from: 2020-01-01\n      count: 0", errorAt: "      count: 0",
            after: "ages.referenceDay", message: "第 1 至 31 日"),
        Mutation(
            label: "an age reference day of 32",
            original: "  ages.referenceDay:\n    - from: 2020-01-01\n      count: 1",
            replacement: "  ages.referenceDay:\n    - from: 2020-01-01\n      count: 32", errorAt: "      count: 32",
            message: "第 1 至 31 日"),
        Mutation(
            label: "a household programme before a per-person one", original: "  - [orphan, extremePoverty]",
            replacement: "  - [dibao, orphan]", errorAt: "  - [dibao, orphan]", message: "按户认定的“dibao”不能排在"),
        Mutation(
            label: "disability living subsidy before a per-person programme",
            original: "  - [orphan, extremePoverty]", replacement: "  - [disabilityLiving, severeDisabilityCare]",
            errorAt: "  - [disabilityLiving, severeDisabilityCare]", message: "以低保认定为前提"),
        Mutation(
            label: "exclusive groups in contradicting orders", original: "  - [orphan, extremePoverty]",
            replacement: "  - [severeDisabilityCare, orphan]\n  - [orphan, extremePoverty]",
            errorAt: "  - [orphan, extremePoverty]", message: "互相矛盾"),
        Mutation(
            label: "YAML syntax", original: "  dibao: { tier: 1 }", replacement: "  dibao: { tier: 1",
            errorAt: "  extremePoverty: { tier: 1 }", message: "YAML 格式错误"),
    ]

    @Test("an invalid policy file is refused naming the line", arguments: mutations)
    func refusesWithLine(_ mutation: Mutation) throws {
        let text = try TestSupport.policyText("taizhou")
        #expect(text.contains(mutation.original), "the mutation's anchor exists in taizhou.yaml")
        let broken: String
        if let range = text.range(of: mutation.original) {
            broken = text.replacingCharacters(in: range, with: mutation.replacement)
        } else {
            broken = text
        }
        let error = try Self.refusal(broken)
        let expectedLine = try #require(Self.line(of: mutation.errorAt, in: broken, after: mutation.after))
        #expect(error.line == expectedLine, "\(error)")
        #expect(error.message.contains(mutation.message), "\(error)")
        #expect(error.description.hasPrefix("taizhou.yaml 第 \(expectedLine) 行："))
    }
}
