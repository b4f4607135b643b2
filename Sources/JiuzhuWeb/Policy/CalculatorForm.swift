import Foundation
import JiuzhuDomain
import JiuzhuPolicy
import JiuzhuRegistry
import JiuzhuServices
import NIOCore

/// The calculator page's form: what a window clerk can type in about a household, kept as
/// text so a refused form comes back as it was typed. Money in yuan (as people say it),
/// converted exactly to fen.
struct CalculatorForm {
    /// One member row; a row without a birth date is left out.
    struct MemberRow {
        let index: Int
        let birthDate: String
        let female: Bool
        /// Relation to the applicant (the first row is the applicant): who supports whom.
        let relation: String
        let disabilityCategory: String
        let disabilityGrade: String
        let seriousIllness: Bool
        let unableToWork: Bool
        let selfCareItemsFailed: String
        let childStatus: String
        /// The options of the row's `<select>`s (stored: templates see only stored properties).
        let relations: [Choice]
        let categories: [Choice]
        let grades: [Choice]
        let childStatuses: [Choice]

        init(
            index: Int, birthDate: String, female: Bool, relation: String, disabilityCategory: String,
            disabilityGrade: String, seriousIllness: Bool, unableToWork: Bool, selfCareItemsFailed: String,
            childStatus: String
        ) {
            self.index = index
            self.birthDate = birthDate
            self.female = female
            self.relation = relation
            self.disabilityCategory = disabilityCategory
            self.disabilityGrade = disabilityGrade
            self.seriousIllness = seriousIllness
            self.unableToWork = unableToWork
            self.selfCareItemsFailed = selfCareItemsFailed
            self.childStatus = childStatus
            relations = FormChoice.list(
                Relation.allCases.map { ($0.rawValue, $0.chineseName) }, selected: relation)
            categories = FormChoice.list(
                DisabilityCategory.allCases.map { ($0.rawValue, $0.chineseName) }, selected: disabilityCategory)
            grades = FormChoice.list(
                [("", "无"), ("1", "一级"), ("2", "二级"), ("3", "三级"), ("4", "四级")], selected: disabilityGrade)
            childStatuses = FormChoice.list(
                [("none", "—"), ("orphan", "孤儿"), ("unsupported", "事实无人抚养")], selected: childStatus)
        }
    }

    typealias Choice = FormChoice

    typealias Amount = FormAmount

    static let memberRows = 6
    static let incomeFields: [(IncomeType, String)] = IncomeType.allCases.map { ($0, "income.\($0.rawValue)") }
    static let expenditureFields: [(ExpenditureType, String)] = ExpenditureType.allCases.map {
        ($0, "expenditure.\($0.rawValue)")
    }

    let date: String
    let rural: Bool
    let members: [MemberRow]
    let incomes: [Amount]
    let expenditures: [Amount]
    let deposits: String
    let vehicles: String
    let housingUnits: String
    let supportersAble: String
    let emergencyNeed: String

    static func blank(date: CivilDate) -> CalculatorForm {
        CalculatorForm(FormInput(ByteBuffer(string: "date=\(date)&housingUnits=1")))
    }

    init(_ form: FormInput) {
        func text(_ name: String) -> String { (form[name] ?? "").trimmingCharacters(in: .whitespaces) }
        date = text("date")
        rural = text("registration") == "rural"
        members = (0..<Self.memberRows).map { index in
            MemberRow(
                index: index, birthDate: text("m\(index).birthDate"), female: text("m\(index).sex") == "female",
                relation: text("m\(index).relation").isEmpty
                    ? (index == 0 ? Relation.applicant : Relation.other).rawValue : text("m\(index).relation"),
                disabilityCategory: text("m\(index).disabilityCategory").isEmpty
                    ? DisabilityCategory.physical.rawValue : text("m\(index).disabilityCategory"),
                disabilityGrade: text("m\(index).disabilityGrade"),
                seriousIllness: form["m\(index).seriousIllness"] != nil,
                unableToWork: form["m\(index).unableToWork"] != nil,
                selfCareItemsFailed: text("m\(index).selfCareItemsFailed"),
                childStatus: text("m\(index).childStatus").isEmpty ? "none" : text("m\(index).childStatus"))
        }
        incomes = Self.incomeFields.map { Amount(name: $1, label: $0.chineseName, value: text($1)) }
        expenditures = Self.expenditureFields.map { Amount(name: $1, label: $0.chineseName, value: text($1)) }
        deposits = text("deposits")
        vehicles = text("vehicles")
        housingUnits = text("housingUnits")
        supportersAble = text("supportersAble")
        emergencyNeed = text("emergencyNeed")
    }

    /// The household and date, or an error naming the field in Chinese.
    func situation() throws(InputError) -> (HouseholdSituation, CivilDate) {
        let date: CivilDate
        do { date = try CivilDate(self.date) } catch { throw InputError(field: "date", error.description) }
        var people: [HouseholdSituation.Member] = []
        for row in members where !row.birthDate.isEmpty {
            let label = "第 \(row.index + 1) 位成员"
            let birth: CivilDate
            do { birth = try CivilDate(row.birthDate) } catch {
                throw InputError(field: "\(label)出生日期", error.description)
            }
            guard birth <= date else { throw InputError(field: "\(label)出生日期", "晚于计算日期") }
            let grade = try FormValue.integer(row.disabilityGrade, field: "\(label)残疾等级", in: 1...4)
            guard let relation = Relation(rawValue: row.relation) else {
                throw InputError(field: "\(label)与申请人关系", "未知的关系“\(row.relation)”")
            }
            guard let category = DisabilityCategory(rawValue: row.disabilityCategory) else {
                throw InputError(field: "\(label)残疾类别", "未知的残疾类别“\(row.disabilityCategory)”")
            }
            let failed = try FormValue.integer(row.selfCareItemsFailed, field: "\(label)自理能力", in: 0...6) ?? 0
            people.append(
                HouseholdSituation.Member(
                    birthDate: birth, sex: row.female ? .female : .male, relation: relation,
                    disability: grade.map { HouseholdSituation.Disability(category: category, grade: $0) },
                    seriousIllness: row.seriousIllness, ableToWork: !row.unableToWork, selfCareItemsFailed: failed,
                    childStatus: ChildStatus(rawValue: row.childStatus) ?? .none))
        }
        guard !people.isEmpty else { throw InputError(field: "成员", "至少填写一位成员的出生日期") }
        var incomes: [HouseholdSituation.Income] = []
        for (type, name) in Self.incomeFields {
            if let amount = try FormValue.yuan(text(of: name, in: self.incomes), field: type.chineseName) {
                incomes.append(.init(type: type, monthly: amount))
            }
        }
        var expenditures: [HouseholdSituation.Expenditure] = []
        for (type, name) in Self.expenditureFields {
            if let amount = try FormValue.yuan(text(of: name, in: self.expenditures), field: type.chineseName) {
                expenditures.append(.init(type: type, last12Months: amount))
            }
        }
        let vehicles = try FormValue.integer(vehicles, field: "机动车", in: InputBounds.listEntries) ?? 0
        let household = HouseholdSituation(
            registration: rural ? .rural : .urban, members: people, incomes: incomes,
            assets: .init(
                deposits: try FormValue.yuan(deposits, field: "存款") ?? .zero,
                vehicles: Array(repeating: .init(value: .zero), count: vehicles),
                housingUnits: try FormValue.integer(housingUnits, field: "住房", in: InputBounds.housingUnits) ?? 0),
            expenditures: expenditures,
            supporters: Array(
                repeating: .init(relation: .child, ableToSupport: true),
                count: try FormValue.integer(supportersAble, field: "有赡养能力的义务人", in: InputBounds.listEntries) ?? 0),
            emergency: try FormValue.yuan(emergencyNeed, field: "急难所需").map { .init(kind: .other, need: $0) })
        return (household, date)
    }

    private func text(of name: String, in amounts: [Amount]) -> String {
        amounts.first { $0.name == name }?.value ?? ""
    }
}

/// An explanation as the page shows it.
struct ExplanationView {
    struct Programme {
        let name: String
        let eligible: Bool
        let amount: String
        let period: String
        let rule: String
        let conditions: [Explanation.Condition]
        let parameters: [Parameter]
        let calculation: String?
        let excludedBy: String?
    }

    struct Parameter {
        let name: String
        let value: String
        let effectiveFrom: String
        let definition: String?
    }

    let version: String
    let date: String
    let tier: String
    let figures: [Explanation.Figure]
    let eligible: [Programme]
    let notEligible: [Programme]

    init(_ explanation: Explanation) {
        version = explanation.policyVersion.description
        date = explanation.date.description
        tier = "\(explanation.tier.chineseName)。\(explanation.tierText)"
        figures = explanation.figures
        let programmes = explanation.programmes.map { item in
            Programme(
                name: item.name, eligible: item.eligible, amount: item.amount.description, period: item.period,
                rule: item.rule, conditions: item.conditions,
                parameters: item.parameters.map {
                    Parameter(
                        name: $0.name, value: $0.valueText, effectiveFrom: $0.effectiveFrom.description,
                        definition: $0.definitionText)
                }, calculation: item.calculation, excludedBy: item.excludedBy?.chineseName)
        }
        eligible = programmes.filter(\.eligible)
        notEligible = programmes.filter { !$0.eligible }
    }
}
