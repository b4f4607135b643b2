import JiuzhuDomain

/// Why the calculator decided what it did for one household on one date: the household's
/// figures, and for every programme the rule, the conditions checked, the parameters used
/// (value and effective date) and the intermediate figures. Text is Chinese, for users.
///
/// ```swift
/// let explanation = try calculator.explain(household, on: date)
/// print(explanation.text)
/// ```
public struct Explanation: Sendable, Hashable, Codable {
    /// The policy version used.
    public var policyVersion: PolicyVersion
    /// The evaluation date.
    public var date: CivilDate
    /// Household-level figures: members, counted and excluded income, deductions, per-capita income.
    public var figures: [Figure]
    /// One entry per programme, in ``Programme/index`` order.
    public var programmes: [ProgrammeExplanation]
    /// The household's tier.
    public var tier: Tier
    /// Why the household is in that tier.
    public var tierText: String

    /// A named figure and its value as users read it.
    public struct Figure: Sendable, Hashable, Codable {
        /// The figure's Chinese name.
        public var name: String
        /// The value with its unit.
        public var value: String
    }

    /// A condition of a rule and whether the household meets it.
    public struct Condition: Sendable, Hashable, Codable {
        /// The condition with the household's figures filled in.
        public var text: String
        /// Whether it is met.
        public var met: Bool
    }

    /// The decision on one programme and its reasons.
    public struct ProgrammeExplanation: Sendable, Hashable, Codable {
        /// The programme's code name.
        public var programme: Programme
        /// The programme's Chinese name.
        public var name: String
        /// Whether the household is eligible.
        public var eligible: Bool
        /// The amount: monthly, or once for one-off programmes.
        public var amount: Fen
        /// "每月" or "一次性".
        public var period: String
        /// The rule in words.
        public var rule: String
        /// The conditions checked, each met or not.
        public var conditions: [Condition]
        /// The parameters the rule used, with values and effective dates.
        public var parameters: [ResolvedParameter]
        /// How the amount was computed, when eligible.
        public var calculation: String?
        /// The programme that won an exclusive group against this one, if that is why it is refused.
        public var excludedBy: Programme?
    }

    /// The whole explanation as plain text, one fact a line.
    public var text: String {
        var lines = ["政策版本 \(policyVersion.id)（\(policyVersion.contentHash.prefix(12))），计算日期 \(date)"]
        for figure in figures { lines.append("  \(figure.name)：\(figure.value)") }
        lines.append("分层：\(tier.chineseName)。\(tierText)")
        for entry in programmes {
            let verdict = entry.eligible ? "符合，\(entry.period) \(entry.amount)" : "不符合"
            lines.append("【\(entry.name)】\(verdict)")
            lines.append("  规则：\(entry.rule)")
            for condition in entry.conditions { lines.append("  \(condition.met ? "✓" : "✗") \(condition.text)") }
            if let winner = entry.excludedBy {
                lines.append("  与“\(winner.chineseName)”互斥，已按“\(winner.chineseName)”认定")
            }
            if let calculation = entry.calculation { lines.append("  计算：\(calculation)") }
            for parameter in entry.parameters {
                let derived = parameter.definitionText.map { "（\($0)）" } ?? ""
                lines.append("  参数 \(parameter.name)：\(parameter.valueText)\(derived)，自 \(parameter.effectiveFrom) 起施行")
            }
        }
        return lines.joined(separator: "\n")
    }
}
