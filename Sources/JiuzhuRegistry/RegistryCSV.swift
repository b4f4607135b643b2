import JiuzhuDomain
import JiuzhuPolicy

/// The registry's CSV layout: one row per person, household facts on the applicant's row,
/// Chinese headers as a village office's register (花名册) has them.
public enum RegistryCSV {
    /// Columns every import file must have.
    public static let requiredColumns = ["原户号", "村居代码", "地址", "户籍", "姓名", "公民身份号码", "与申请人关系"]

    /// Monthly income columns (元), by type.
    static let incomeColumns: [(String, StoredIncomeType)] = [
        ("月工资性收入", .wages), ("月经营净收入", .business), ("月财产净收入", .property), ("月转移性收入", .transfer),
        ("月基础养老金", .pensionBase), ("月政府救助金", .assistance),
    ]

    /// Twelve-month spending columns (元), by type.
    static let expenditureColumns: [(String, StoredExpenditureType)] = [
        ("近12个月医疗自付", .medical), ("近12个月教育支出", .education), ("近12个月康复支出", .rehabilitation),
    ]

    public static let exportHeader =
        ["户编号", "村居代码", "地址", "户籍", "姓名", "公民身份号码", "性别", "出生日期", "与申请人关系", "残疾类别", "残疾等级", "重病", "有劳动能力", "电话"]
        + ["人均月收入（元）", "在保项目", "画像标签"]

    /// One line per member of `record`.
    public static func rows(for record: HouseholdRecord, perCapitaIncome: Fen, tags: [String]) -> [[String]] {
        record.members.map { member in
            [
                record.id, record.village.digits, record.address, record.registration == .urban ? "城镇" : "农村",
                member.name,
                member.citizenID, member.sex == .male ? "男" : "女", member.birthDate.description,
                relationNames.first { $0.value == member.relation }?.key ?? "其他",
                member.disability?.category.chineseName ?? "", member.disability.map { String($0.grade) } ?? "",
                member.seriousIllness ? "是" : "否",
                member.ableToWork ? "是" : "否", member.phone ?? "", perCapitaIncome.yuanText,
                record.enrolments.map(\.chineseName).joined(separator: "、"),
                tags.compactMap { ProfileTag(rawValue: $0)?.chineseName }.joined(separator: "、"),
            ]
        }
    }

    /// The short names registers use for programmes.
    static let programmeNames: [String: Programme] = [
        "低保": .dibao, "特困": .extremePoverty, "孤儿": .orphan, "事实无人抚养儿童": .unsupportedChild, "低保边缘": .dibaoEdge,
        "支出型贫困": .rigidExpenditure, "刚性支出困难": .rigidExpenditure, "临时救助": .temporaryAssistance,
        "残疾人生活补贴": .disabilityLiving, "重度残疾人护理补贴": .severeDisabilityCare,
    ]

    /// Disability categories as certificates and registers write them, with or without 残疾.
    static func disabilityCategory(_ text: String) -> DisabilityCategory? {
        DisabilityCategory.allCases.first { category in
            let name = category.chineseName
            return text == name || text + "残疾" == name
        }
    }

    static let relationNames: [String: Relation] = [
        "申请人": .applicant, "户主": .applicant, "配偶": .spouse, "子女": .child, "子": .child, "女": .child,
        "父母": .parent, "父亲": .parent, "母亲": .parent, "孙子女": .grandchild, "祖父母": .grandparent,
        "兄弟姐妹": .sibling, "其他": .other,
    ]
}

/// A problem in one cell of an import file: row (the file's line), column and reason.
public struct RegistryImportProblem: Error, Equatable, Sendable, CustomStringConvertible {
    public let line: Int
    public let column: String
    public let message: String

    public var description: String { "第 \(line) 行，“\(column)”列：\(message)" }
}

/// Households read from an import file, or every problem found in it.
public struct RegistryImport: Sendable {
    /// Households in the order their first row appears.
    public let households: [HouseholdRecord]
    public let problems: [RegistryImportProblem]

    /// Reads `table` for `village` (every row must belong to it) on the civil date `today`.
    /// Each household's number is `<village>-R<原户号>`, so importing the same file again
    /// finds the same households.
    public init(_ table: CSVTable, village: DivisionCode, today: CivilDate) {
        var problems: [RegistryImportProblem] = []
        do { try table.requireColumns(RegistryCSV.requiredColumns) } catch {
            self.households = []
            self.problems = [RegistryImportProblem(line: table.headerLine, column: "表头", message: error.description)]
            return
        }
        var order: [String] = []
        var groups: [String: [CSVRecord]] = [:]
        for record in table.records {
            let number = (record["原户号"] ?? "").trimmingWhitespace
            guard !number.isEmpty, number.count <= 20,
                number.unicodeScalars.allSatisfy({
                    $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))
                })
            else {
                problems.append(.init(line: record.line, column: "原户号", message: "须为 1–20 位字母或数字"))
                continue
            }
            if groups[number] == nil { order.append(number) }
            groups[number, default: []].append(record)
        }
        var households: [HouseholdRecord] = []
        for number in order {
            guard let rows = groups[number] else { continue }
            switch Self.household(number: number, rows: rows, village: village, today: today) {
            case .success(let household): households.append(household)
            case .failure(let found): problems += found.problems
            }
        }
        self.households = problems.isEmpty ? households : []
        self.problems = problems.sorted { ($0.line, $0.column) < ($1.line, $1.column) }
    }

    struct Problems: Error { let problems: [RegistryImportProblem] }

    static func household(number: String, rows: [CSVRecord], village: DivisionCode, today: CivilDate)
        -> Result<HouseholdRecord, Problems>
    {
        var problems: [RegistryImportProblem] = []
        func cell(_ row: CSVRecord, _ column: String) -> String { (row[column] ?? "").trimmingWhitespace }
        func problem(_ row: CSVRecord, _ column: String, _ message: String) {
            problems.append(.init(line: row.line, column: column, message: message))
        }
        func yuan(_ row: CSVRecord, _ column: String) -> Fen? {
            let text = cell(row, column)
            guard !text.isEmpty else { return nil }
            do { return try OfficeText.yuan(text) } catch {
                problem(row, column, error.message)
                return nil
            }
        }
        func yes(_ row: CSVRecord, _ column: String, default value: Bool) -> Bool {
            let text = cell(row, column)
            guard !text.isEmpty else { return value }
            guard let yes = OfficeText.yesNo(text) else {
                problem(row, column, "“\(text)”应为“是”或“否”")
                return value
            }
            return yes
        }
        var members: [PersonRecord] = []
        var memberRows: [CSVRecord] = []
        for row in rows {
            if cell(row, "村居代码") != village.digits {
                problem(row, "村居代码", "“\(cell(row, "村居代码"))”不是本节点 \(village.digits)")
            }
            let relationText = cell(row, "与申请人关系")
            guard let relation = RegistryCSV.relationNames[relationText] else {
                problem(row, "与申请人关系", "“\(relationText)”无法识别（可用：申请人、配偶、子女、父母、孙子女、祖父母、兄弟姐妹、其他）")
                continue
            }
            let id: CitizenID
            do { id = try OfficeText.citizenID(cell(row, "公民身份号码"), today: today) } catch {
                problem(row, "公民身份号码", error.message)
                continue
            }
            guard let birth = try? CivilDate(year: id.birthYear, month: id.birthMonth, day: id.birthDay) else {
                continue
            }
            var disability: StoredDisability?
            let gradeText = OfficeText.halfWidth(cell(row, "残疾等级"))
            if !gradeText.isEmpty {
                // The category decides whether a grade means no ability to work; a register
                // without the column (older layout) is read as before, as physical.
                let categoryText = row["残疾类别"].map { $0.trimmingWhitespace }
                let category = categoryText.map { RegistryCSV.disabilityCategory($0) } ?? .physical
                if let grade = Int(gradeText), (1...4).contains(grade), let category {
                    disability = .init(category: category, grade: grade)
                } else if category == nil {
                    let names = DisabilityCategory.allCases.map(\.chineseName).joined(separator: "、")
                    let text = categoryText ?? ""
                    problem(
                        row, "残疾类别",
                        text.isEmpty ? "填写了残疾等级，须同时填写残疾类别（可用：\(names)）" : "“\(text)”无法识别（可用：\(names)）")
                } else {
                    problem(row, "残疾等级", "“\(gradeText)”应为 1–4")
                }
            }
            let phone = cell(row, "电话")
            members.append(
                PersonRecord(
                    citizenID: id.normalized, name: cell(row, "姓名"), sex: id.sex == .male ? .male : .female,
                    birthDate: birth, relation: relation, disability: disability,
                    seriousIllness: yes(row, "重病", default: false), ableToWork: yes(row, "有劳动能力", default: true),
                    phone: phone.isEmpty ? nil : phone))
            memberRows.append(row)
        }
        guard let head = rows.first(where: { RegistryCSV.relationNames[cell($0, "与申请人关系")] == .applicant }) else {
            if problems.isEmpty, let first = rows.first { problem(first, "与申请人关系", "原户号 \(number) 没有申请人（户主）行") }
            return .failure(Problems(problems: problems))
        }
        let registrationText = cell(head, "户籍")
        let registration: Registration
        switch registrationText {
        case "城镇", "urban": registration = .urban
        case "农村", "rural": registration = .rural
        default:
            problem(head, "户籍", "“\(registrationText)”应为“城镇”或“农村”")
            registration = .rural
        }
        var incomes: [IncomeDeclaration] = []
        for (column, type) in RegistryCSV.incomeColumns {
            if let amount = yuan(head, column), amount > .zero {
                incomes.append(IncomeDeclaration(type: type, monthly: amount, declaredOn: today))
            }
        }
        var expenditures: [StoredExpenditure] = []
        for (column, type) in RegistryCSV.expenditureColumns {
            if let amount = yuan(head, column), amount > .zero {
                expenditures.append(.init(type: type, last12Months: amount))
            }
        }
        var enrolments: [Programme] = []
        for name in cell(head, "在保项目").split(whereSeparator: { "、,;；，".contains($0) }).map(String.init) {
            guard
                let programme = RegistryCSV.programmeNames[name]
                    ?? Programme.allCases.first(where: { $0.chineseName == name || $0.rawValue == name })
            else {
                problem(head, "在保项目", "“\(name)”不是已知项目")
                continue
            }
            enrolments.append(programme)
        }
        let record = HouseholdRecord(
            id: "\(village.digits)-R\(number)", village: village, address: cell(head, "地址"), registration: registration,
            members: members, incomes: incomes, assets: .init(deposits: yuan(head, "存款") ?? .zero, housingUnits: 1),
            expenditures: expenditures, enrolments: enrolments)
        guard problems.isEmpty else { return .failure(Problems(problems: problems)) }
        do {
            return .success(try record.validated(today: today))
        } catch {
            // Point at the member's own row when the field is a member's.
            var line = head.line
            if let match = error.field.firstMatch(of: /members\[(\d+)\]/), let index = Int(match.1),
                index < memberRows.count
            {
                line = memberRows[index].line
            }
            return .failure(
                Problems(problems: [.init(line: line, column: error.field, message: error.message)]))
        }
    }
}

extension Relation {
    /// The relation as a register writes it.
    public var chineseName: String {
        switch self {
        case .applicant: "申请人"
        case .spouse: "配偶"
        case .child: "子女"
        case .parent: "父母"
        case .grandchild: "孙子女"
        case .grandparent: "祖父母"
        case .sibling: "兄弟姐妹"
        case .other: "其他"
        }
    }
}
