import JiuzhuDomain
import Yams

/// The warnings section of a policy file: which rules are on, from which day, and how long the
/// locality has to verify a warning (its thresholds are the file's dated parameters).
///
/// ```yaml
/// warnings:
///   verification:
///     - { from: 2020-01-01, workingDays: 3 }
///   rules:
///     death:
///       - { from: 2020-01-01, enabled: true }
/// ```
public struct WarningSettings: Sendable {
    /// One dated switch of a rule.
    public struct DatedSwitch: Sendable, Hashable {
        public var from: CivilDate
        public var enabled: Bool

        public init(from: CivilDate, enabled: Bool) {
            self.from = from
            self.enabled = enabled
        }
    }

    /// The verification limit, dated.
    public var verification: [DatedTimeLimit]
    /// Each rule's switches, in date order; every rule is listed.
    public var rules: [WarningRule: [DatedSwitch]]

    public init(verification: [DatedTimeLimit], rules: [WarningRule: [DatedSwitch]]) {
        self.verification = verification
        self.rules = rules
    }

    /// Whether `rule` is on on `date`, and since when that has been so.
    public func switchOf(_ rule: WarningRule, on date: CivilDate) -> DatedSwitch? {
        rules[rule]?.last { $0.from <= date }
    }

    /// Whether `rule` is on on `date`.
    public func isEnabled(_ rule: WarningRule, on date: CivilDate) -> Bool {
        switchOf(rule, on: date)?.enabled ?? false
    }

    /// The verification limit in force on `date`.
    public func verificationLimit(on date: CivilDate) -> TimeLimit? {
        verification.last { $0.from <= date }?.limit
    }
}

extension PolicyFileReader {
    func warnings(_ node: Node) throws(PolicyFileError) -> WarningSettings {
        let pairs = try mapping(
            node, "warnings", allowed: ["verification", "rules"], required: ["verification", "rules"])
        var settings = WarningSettings(verification: [], rules: [:])
        for (key, keyNode, value) in pairs {
            if key == "verification" {
                settings.verification = try datedLimits(value, "warnings.verification")
                guard !settings.verification.isEmpty else { throw fail(value, "warnings.verification 至少要有一条取值") }
                continue
            }
            guard let entries = value.mapping else { throw fail(value, "warnings.rules 应为键值表") }
            for (nameNode, listNode) in entries {
                let rule = try code(nameNode, WarningRule.self, "预警规则")
                var switches: [WarningSettings.DatedSwitch] = []
                for item in try sequence(listNode, "规则“\(rule.rawValue)”的取值") {
                    let fields = try mapping(
                        item, "规则“\(rule.rawValue)”的取值", allowed: ["from", "enabled"], required: ["from", "enabled"])
                    var from: CivilDate?
                    var enabled = false
                    for (field, _, fieldValue) in fields {
                        let text = try scalar(fieldValue, field)
                        if field == "from" {
                            guard let date = try? CivilDate(text) else { throw fail(fieldValue, "日期“\(text)”无效") }
                            from = date
                        } else {
                            guard text == "true" || text == "false" else {
                                throw fail(fieldValue, "enabled 应为 true 或 false")
                            }
                            enabled = text == "true"
                        }
                    }
                    guard let from else { throw fail(item, "规则“\(rule.rawValue)”的取值缺少 from") }
                    if let last = switches.last, from <= last.from {
                        throw fail(item, "规则“\(rule.rawValue)”的生效日期 \(from) 应晚于上一条的 \(last.from)")
                    }
                    switches.append(.init(from: from, enabled: enabled))
                }
                settings.rules[rule] = switches
            }
            for rule in WarningRule.allCases where settings.rules[rule] == nil {
                throw fail(keyNode, "warnings.rules 缺少“\(rule.rawValue)”（\(rule.chineseName)）")
            }
        }
        return settings
    }
}
