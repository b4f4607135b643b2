import Foundation
import JiuzhuDomain
import JiuzhuPolicy
import JiuzhuRegistry
import JiuzhuServices
import NIOCore

/// The village specialist's form for registering a household on a phone. Sex and birth date
/// come from each member's ID number, so they cannot disagree with it. The form is kept as
/// typed when it is refused.
struct HouseholdForm {
    struct MemberRow {
        let index: Int
        let name: String
        let citizenID: String
        let relations: [Choice]
        /// The disability category decides whether the grade means no ability to work.
        let categories: [Choice]
        let grades: [Choice]
        let seriousIllness: Bool
        let unableToWork: Bool
        let leftBehind: Bool
        let phone: String
    }

    typealias Choice = FormChoice

    typealias Amount = FormAmount

    static let memberRows = 6
    /// The registry's own income and expenditure codes, under the field names the calculator's
    /// form uses too (`income.wages`, `expenditure.medical`).
    static let incomeFields: [(StoredIncomeType, String)] = StoredIncomeType.allCases.map {
        ($0, "income.\($0.rawValue)")
    }
    static let expenditureFields: [(StoredExpenditureType, String)] = StoredExpenditureType.allCases.map {
        ($0, "expenditure.\($0.rawValue)")
    }

    let csrf: String
    let address: String
    let rural: Bool
    let members: [MemberRow]
    let incomes: [Amount]
    let expenditures: [Amount]
    let deposits: String
    let enrolments: [Choice]
    let message: String?

    init(_ form: FormInput, csrf: String, message: String? = nil) {
        func text(_ name: String) -> String { (form[name] ?? "").trimmingCharacters(in: .whitespaces) }
        self.csrf = csrf
        self.message = message
        address = text("address")
        rural = text("registration") != "urban"
        members = (0..<Self.memberRows).map { index in
            let relation = text("m\(index).relation")
            return MemberRow(
                index: index, name: text("m\(index).name"), citizenID: text("m\(index).citizenID"),
                relations: FormChoice.list(
                    Relation.allCases.map { ($0.rawValue, $0.chineseName) },
                    selected: relation.isEmpty ? (index == 0 ? "applicant" : "child") : relation),
                categories: FormChoice.list(
                    DisabilityCategory.allCases.map { ($0.rawValue, $0.chineseName) },
                    selected: text("m\(index).category").isEmpty
                        ? DisabilityCategory.physical.rawValue : text("m\(index).category")),
                grades: FormChoice.list(
                    [("", "无"), ("1", "一级"), ("2", "二级"), ("3", "三级"), ("4", "四级")],
                    selected: text("m\(index).grade")),
                seriousIllness: form["m\(index).seriousIllness"] != nil,
                unableToWork: form["m\(index).unableToWork"] != nil,
                leftBehind: form["m\(index).leftBehind"] != nil, phone: text("m\(index).phone"))
        }
        incomes = Self.incomeFields.map { Amount(name: $1, label: $0.chineseName, value: text($1)) }
        expenditures = Self.expenditureFields.map { Amount(name: $1, label: $0.chineseName, value: text($1)) }
        deposits = text("deposits")
        let enrolled = Set(Programme.allCases.filter { form["enrol.\($0.rawValue)"] != nil })
        enrolments = Programme.allCases.map {
            Choice(value: $0.rawValue, label: $0.chineseName, selected: enrolled.contains($0))
        }
    }

    /// The record the form describes, before the registry validates it.
    func record(village: DivisionCode, today: CivilDate) throws(InputError) -> HouseholdRecord {
        var people: [PersonRecord] = []
        for row in members where !row.name.isEmpty || !row.citizenID.isEmpty {
            let label = "第 \(row.index + 1) 位成员"
            let id: CitizenID
            do { id = try CitizenID(row.citizenID, today: (today.year, today.month, today.day)) } catch {
                throw InputError(field: "\(label)公民身份号码", error.description)
            }
            guard let birth = try? CivilDate(year: id.birthYear, month: id.birthMonth, day: id.birthDay) else {
                throw InputError(field: "\(label)公民身份号码", "出生日期无效")
            }
            let relation = Relation(rawValue: row.relations.first(where: \.selected)?.value ?? "") ?? .other
            let grade = Int(row.grades.first(where: \.selected)?.value ?? "")
            let category = DisabilityCategory(rawValue: row.categories.first(where: \.selected)?.value ?? "")
            if grade != nil, category == nil { throw InputError(field: "\(label)残疾类别", "请选择残疾类别") }
            people.append(
                PersonRecord(
                    citizenID: id.normalized, name: row.name, sex: id.sex == .male ? .male : .female, birthDate: birth,
                    relation: relation,
                    disability: category.flatMap { category in grade.map { .init(category: category, grade: $0) } },
                    seriousIllness: row.seriousIllness, ableToWork: !row.unableToWork, leftBehind: row.leftBehind,
                    phone: row.phone.isEmpty ? nil : row.phone))
        }
        var incomes: [IncomeDeclaration] = []
        for (type, name) in Self.incomeFields {
            if let amount = try FormValue.yuan(
                self.incomes.first { $0.name == name }?.value ?? "", field: type.chineseName),
                amount > .zero
            {
                incomes.append(IncomeDeclaration(type: type, monthly: amount, declaredOn: today))
            }
        }
        var expenditures: [StoredExpenditure] = []
        for (type, name) in Self.expenditureFields {
            if let amount = try FormValue.yuan(
                self.expenditures.first { $0.name == name }?.value ?? "", field: type.chineseName),
                amount > .zero
            {
                expenditures.append(.init(type: type, last12Months: amount))
            }
        }
        return HouseholdRecord(
            id: "", village: village, address: address, registration: rural ? .rural : .urban, members: people,
            incomes: incomes,
            assets: .init(deposits: try FormValue.yuan(deposits, field: "存款") ?? .zero, housingUnits: 1),
            expenditures: expenditures,
            enrolments: enrolments.filter(\.selected).compactMap { Programme(rawValue: $0.value) })
    }
}
