import JiuzhuDomain
import JiuzhuPolicy
import JiuzhuServices

/// An option of a `<select>`, or a checkbox, as the templates show it.
struct FormChoice {
    let value: String
    let label: String
    let selected: Bool

    /// Options from `(value, label)` pairs, with `selected` marked.
    static func list(_ options: [(String, String)], selected: String) -> [FormChoice] {
        options.map { FormChoice(value: $0.0, label: $0.1, selected: $0.0 == selected) }
    }
}

/// An amount field in yuan, kept as typed so a refused form comes back unchanged.
struct FormAmount {
    let name: String
    let label: String
    let value: String
}

/// Reading typed values from forms; every error names the field as the form labels it.
enum FormValue {
    /// An amount in yuan (at most two decimals, not negative, within ``InputBounds/amountFen``)
    /// as exact fen; nil when blank.
    static func yuan(_ text: String, field: String) throws(InputError) -> Fen? {
        guard !text.isEmpty else { return nil }
        guard let amount = try? Fen(yuan: text), amount >= .zero else {
            throw InputError(field: field, "“\(text)”不是有效金额（元，不能为负，至多两位小数）")
        }
        if let problem = amount.implausibility { throw InputError(field: field, "“\(text)”元：\(problem)") }
        return amount
    }

    /// A whole number within `range`; nil when blank.
    static func integer(_ text: String, field: String, in range: ClosedRange<Int>) throws(InputError) -> Int? {
        guard !text.isEmpty else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw InputError(field: field, "须为 \(range.lowerBound)–\(range.upperBound) 的整数")
        }
        return value
    }
}
