import JiuzhuDomain
import Yams

/// The casework section of a policy file: the time limits of every step (dated, the city's,
/// with tighter ones a county or township sets for itself) and which steps each programme needs.
///
/// ```yaml
/// casework:
///   limits:
///     investigation:
///       - { from: 2020-01-01, workingDays: 3 }
///   jurisdictions:
///     "321281":               # 兴化市 sets a tighter decision limit
///       decisionDelegated:
///         - { from: 2026-01-01, workingDays: 15 }
///   programmes:
///     dibao: { appraisal: false, economicCheck: true, publicNotice: true, emergency: false }
/// ```
public struct CaseworkRules: Sendable {
    /// The city's limits; every key has at least one value.
    public var limits: [CaseTimeLimitKey: [DatedTimeLimit]]
    /// Limits a jurisdiction sets for itself, replacing the city's for the keys it lists.
    public var jurisdictionLimits: [DivisionCode: [CaseTimeLimitKey: [DatedTimeLimit]]]
    /// Which steps each programme's cases take.
    public var programmes: [Programme: ProgrammeSteps]

    /// Which optional steps a programme's cases take.
    public struct ProgrammeSteps: Sendable, Hashable {
        /// Democratic appraisal at the village (民主评议).
        public var appraisal: Bool
        /// The county's cross-agency economic check (核对).
        public var economicCheck: Bool
        /// Public notice at the village (公示).
        public var publicNotice: Bool
        /// Whether an emergency application may be paid first (先行救助).
        public var emergency: Bool
    }

    /// The limits for a case whose household lives in `village`: for each key, the values of
    /// the most specific jurisdiction containing the village that sets it, else the city's.
    public func clocks(for village: DivisionCode, calendar: WorkingCalendar) -> CaseClocks {
        var resolved = limits
        let containing = jurisdictionLimits.keys.filter { village.isWithin($0) }.sorted {
            $0.digits.count < $1.digits.count
        }
        for code in containing {
            for (key, values) in jurisdictionLimits[code] ?? [:] { resolved[key] = values }
        }
        return CaseClocks(limits: resolved, calendar: calendar)
    }

    /// What a case for `programme` needs, given who decides it and whether the application is
    /// an emergency.
    public func requirements(for programme: Programme, decisionLevel: DivisionLevel, emergency: Bool)
        -> CaseRequirements
    {
        // Every programme is listed (the loader requires it); were one missing, it would take
        // every step rather than skip one.
        let steps =
            programmes[programme]
            ?? ProgrammeSteps(appraisal: true, economicCheck: true, publicNotice: true, emergency: false)
        return CaseRequirements(
            appraisal: steps.appraisal, economicCheck: steps.economicCheck, publicNotice: steps.publicNotice,
            decisionLevel: decisionLevel, emergency: emergency && steps.emergency)
    }
}

extension PolicyFileReader {
    func casework(_ node: Node, region: String?) throws(PolicyFileError) -> CaseworkRules {
        let pairs = try mapping(
            node, "casework", allowed: ["limits", "jurisdictions", "programmes"], required: ["limits", "programmes"])
        var rules = CaseworkRules(limits: [:], jurisdictionLimits: [:], programmes: [:])
        for (key, keyNode, value) in pairs {
            switch key {
            case "limits":
                rules.limits = try timeLimits(value, "casework.limits")
                for limit in CaseTimeLimitKey.allCases where rules.limits[limit] == nil {
                    throw fail(keyNode, "casework.limits 缺少“\(limit.rawValue)”（\(limit.chineseName)）")
                }
            case "jurisdictions":
                guard let entries = value.mapping else { throw fail(value, "casework.jurisdictions 应为键值表") }
                for (codeNode, limitsNode) in entries {
                    let text = try scalar(codeNode, "辖区代码")
                    guard let code = try? DivisionCode(text) else { throw fail(codeNode, "辖区代码“\(text)”无效") }
                    rules.jurisdictionLimits[code] = try timeLimits(limitsNode, "辖区 \(text) 的时限")
                }
            default:
                guard let entries = value.mapping else { throw fail(value, "casework.programmes 应为键值表") }
                for (nameNode, stepsNode) in entries {
                    let programme = try code(nameNode, Programme.self, "救助项目")
                    let names = ["appraisal", "economicCheck", "publicNotice", "emergency"]
                    let fields = try mapping(
                        stepsNode, "项目“\(programme.rawValue)”的办理环节", allowed: Set(names), required: Set(names))
                    var flags: [String: Bool] = [:]
                    for (name, _, flag) in fields {
                        switch try scalar(flag, name) {
                        case "true": flags[name] = true
                        case "false": flags[name] = false
                        default: throw fail(flag, "\(name) 应为 true 或 false")
                        }
                    }
                    rules.programmes[programme] = CaseworkRules.ProgrammeSteps(
                        appraisal: flags["appraisal"] ?? false, economicCheck: flags["economicCheck"] ?? false,
                        publicNotice: flags["publicNotice"] ?? false, emergency: flags["emergency"] ?? false)
                }
                for programme in Programme.ordered where rules.programmes[programme] == nil {
                    throw fail(keyNode, "casework.programmes 缺少“\(programme.rawValue)”（\(programme.chineseName)）")
                }
            }
        }
        if let region = region.flatMap({ try? DivisionCode($0) }),
            let outside = rules.jurisdictionLimits.keys.first(where: { !$0.isWithin(region) })
        {
            throw fail(node, "辖区 \(outside) 不在本政策的地区 \(region) 之内")
        }
        return rules
    }

    /// A mapping from limit keys to dated values, each `{ from: DATE, workingDays|days|months: N }`.
    private func timeLimits(_ node: Node, _ what: String) throws(PolicyFileError) -> [CaseTimeLimitKey:
        [DatedTimeLimit]]
    {
        guard let entries = node.mapping else { throw fail(node, "\(what)应为键值表") }
        var result: [CaseTimeLimitKey: [DatedTimeLimit]] = [:]
        for (nameNode, listNode) in entries {
            let key = try code(nameNode, CaseTimeLimitKey.self, "办理时限")
            result[key] = try datedLimits(listNode, "时限“\(key.rawValue)”")
        }
        return result
    }

    /// One limit's dated values, each `{ from: DATE, workingDays|days|months: N }`, in date order.
    func datedLimits(_ listNode: Node, _ what: String) throws(PolicyFileError) -> [DatedTimeLimit] {
        var values: [DatedTimeLimit] = []
        for item in try sequence(listNode, "\(what)的取值") {
            let units: [String: TimeLimit.Unit] = [
                "workingDays": .workingDays, "days": .calendarDays, "months": .months,
            ]
            let fields = try mapping(item, "\(what)的取值", allowed: Set(units.keys).union(["from"]))
            guard fields.count == 2, let fromNode = fields.first(where: { $0.key == "from" })?.value,
                let amount = fields.first(where: { $0.key != "from" })
            else { throw fail(item, "\(what)的每条取值应写 from 和 workingDays、days、months 之一") }
            let fromText = try scalar(fromNode, "from")
            guard let from = try? CivilDate(fromText) else { throw fail(fromNode, "日期“\(fromText)”无效") }
            let countText = try scalar(amount.value, amount.key)
            guard let count = Int(countText), let unit = units[amount.key],
                let limit = try? TimeLimit(count: count, unit: unit)
            else {
                throw fail(
                    amount.value,
                    "\(what)的 \(amount.key)“\(countText)”无效：应为 1 到 \(TimeLimit.maximumCount) 的整数")
            }
            if let last = values.last, from <= last.from {
                throw fail(item, "\(what)的生效日期 \(from) 应晚于上一条的 \(last.from)")
            }
            values.append(DatedTimeLimit(from: from, limit: limit))
        }
        guard !values.isEmpty else { throw fail(listNode, "\(what)至少要有一条取值") }
        return values
    }
}
