import JiuzhuDomain

/// A parameter's value in force on a date, with where it comes from, for explanations.
///
/// ```swift
/// let line = snapshot.parameter(.edgeIncomeLine)
/// line.valueText       // "1420.00元/人/月"
/// line.definitionText  // "2 × 最低生活保障标准"
/// line.effectiveFrom   // 2020-01-01
/// ```
public struct ResolvedParameter: Sendable, Hashable, Codable {
    /// The parameter's key in the policy file.
    public var key: ParameterKey
    /// The parameter's Chinese name.
    public var name: String
    /// Fen for money, the number for counts, the share times 10,000 for ratios.
    public var value: Int64
    /// The date from which this value is in force: the later of its own date and, for a
    /// multiple, its base's.
    public var effectiveFrom: CivilDate
    /// The value with its unit, e.g. "710.00元/人/月", "60周岁", "0.5".
    public var valueText: String
    /// For a multiple, how it is derived, e.g. "1.3 × 最低生活保障标准".
    public var definitionText: String?
}

extension PolicyDocument {
    /// Resolves one parameter on `date`, following multiples to their base; nil before the
    /// parameter (or its base) is first in force.
    func resolve(_ key: ParameterKey, on date: CivilDate) -> ResolvedParameter? {
        guard let values = parameters[key], let entry = values.last(where: { $0.from <= date }) else { return nil }
        let value: Int64
        var effectiveFrom = entry.from
        var definitionText: String?
        switch entry.definition {
        case .yuan(let fen):
            value = fen.rawValue
        case .count(let count):
            value = count
        case .ratio(let ratio):
            value = ratio
        case .multiple(let multiple, let baseKey):
            // Cycles were refused when the file was loaded, so this recursion ends.
            guard let base = resolve(baseKey, on: date) else { return nil }
            value = (base.value * multiple + PolicyDocument.scale / 2) / PolicyDocument.scale
            effectiveFrom = max(effectiveFrom, base.effectiveFrom)
            definitionText = "\(PolicyDocument.decimalText(multiple)) × \(baseKey.chineseName)"
        }
        return ResolvedParameter(
            key: key, name: key.chineseName, value: value, effectiveFrom: effectiveFrom,
            valueText: PolicyDocument.valueText(key, value), definitionText: definitionText)
    }

    /// A value with its unit, as users read it.
    static func valueText(_ key: ParameterKey, _ value: Int64) -> String {
        switch key.kind {
        case .money: Fen(value).description + key.unit
        // A category whose grade 0 is the limit: no grade of it means no work ability by itself.
        case .count where value == 0 && key.disabilityCategory != nil: "不以此类残疾认定"
        case .count: "\(value)\(key.unit)"
        case .ratio: decimalText(value)
        }
    }

    /// A scaled decimal written back without trailing zeros: 13000 → "1.3", 20000 → "2".
    static func decimalText(_ scaled: Int64) -> String {
        let whole = scaled / scale
        var fraction = scaled % scale
        guard fraction != 0 else { return "\(whole)" }
        var digits = 4
        while fraction % 10 == 0 {
            fraction /= 10
            digits -= 1
        }
        let text = String(fraction)
        return "\(whole)." + String(repeating: "0", count: digits - text.count) + text
    }
}
