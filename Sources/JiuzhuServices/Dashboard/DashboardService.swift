import JiuzhuDomain
import JiuzhuPolicy
import JiuzhuStorage

/// The figures of a jurisdiction's dashboard (辖区救助概况): recipients by tier and by programme
/// per child division, decisions month by month, and open and overdue cases per child division.
///
/// Recipients are counted as ``DashboardStore`` describes: the latest casework decision on a
/// household and programme where there is one, the household record's enrolment otherwise. A
/// household's tier is the highest (lowest-numbered) tier of the programmes it receives, as the
/// policy in force at this node assigns tiers to programmes (`programmes:` in the policy file);
/// a programme the policy gives no tier (the disability subsidies) counts under 不分层项目. The
/// monthly trend is of decisions only: a register's enrolments carry no date.
///
/// See ``Dashboard`` for how to add a figure.
///
/// ```swift
/// let dashboard = try await services.dashboard.dashboard(of: node, names: [node: "泰州市"])
/// ```
public struct DashboardService: Sendable {
    let store: any DashboardRepository
    let policy: PolicyService

    public init(store: any DashboardRepository, policy: PolicyService) {
        self.store = store
        self.policy = policy
    }

    /// How many months the trend covers, the current one included.
    public static let trendMonths = 12

    /// The dashboard of `scope`, a division inside this node's jurisdiction; `names` gives the
    /// names of the divisions the node knows (its topology), and lists the child divisions that
    /// have a row even with nothing to count.
    public func dashboard(of scope: DivisionCode, names: [DivisionCode: String]) async throws -> Dashboard {
        let node = store.owner.code
        guard scope.isWithin(node) else {
            throw InputError(field: "division", "\(scope.digits) 不在本节点辖区 \(node.digits) 之内")
        }
        let today = store.wallClock.today()
        let current = try await policy.current()
        let tiers = current.flatMap { try? $0.calculator.snapshot(on: today) }?.programmeTiers ?? [:]
        let divisions = ChildDivisions(scope: scope, names: names)
        let window = Self.months(endingIn: today)
        let recipients = try await store.recipients(
            within: scope, childLength: divisions.codeLength, programmes: Programme.ordered.map(\.rawValue),
            trendFrom: window.first?.firstDay ?? today, through: today)
        let (groups, trend) = (recipients.groups, recipients.trend)
        let counts = try await store.caseCounts(within: scope, at: store.wallClock.now())
        let warnings = try await store.warningCounts(
            within: scope, childLength: divisions.codeLength, today: today.ordinal,
            raisedSince: Self.warningAges.map { today.adding(days: -$0.days).ordinal })
        let rows = divisions.rows(adding: groups.map(\.division) + counts.map(\.division) + warnings.map(\.division))
        let policyNote = current.map { "分层依本节点运行的政策版本 \($0.published.id)。" } ?? "本节点尚未收到政策版本，无法分层，全部计入不分层项目。"
        return Dashboard(
            division: scope, name: divisions.name(of: scope), asOf: today, policyVersion: current?.published.id,
            figures: [
                Self.tierFigure(groups, rows: rows, tiers: tiers, policyNote: policyNote),
                Self.programmeFigure(groups, rows: rows),
                Self.trendFigure(trend, months: window),
                Self.caseworkFigure(counts, rows: rows),
                Self.warningFigure(warnings, rows: rows),
                Self.warningRuleFigure(warnings),
            ])
    }
}

// The figures, one function each.
extension DashboardService {
    /// The tiers as columns: the three of the policy and the programmes it gives none.
    static let tierColumns: [(key: String, tier: Tier, name: String)] = [
        ("tier1", .bottomLine, "兜底保障"), ("tier2", .special, "专项救助"), ("tier3", .monitoring, "监测预警"),
        ("untiered", .none, "不分层项目"),
    ]

    /// Recipient households and their members by tier, per child division: each household once,
    /// in the highest tier of the programmes it receives; and how many receive by decision.
    static func tierFigure(
        _ groups: [RecipientGroup], rows: [ChildDivisions.Row], tiers: [Programme: Tier], policyNote: String
    ) -> DashboardFigure {
        var columns: [DashboardColumn] = []
        for (key, _, name) in tierColumns {
            columns.append(DashboardColumn(key: "\(key).households", title: "\(name)（户）"))
            columns.append(DashboardColumn(key: "\(key).persons", title: "\(name)（人）"))
        }
        columns += [
            DashboardColumn(key: "total.households", title: "在保合计（户）"),
            DashboardColumn(key: "total.persons", title: "在保合计（人）"),
            DashboardColumn(key: "byDecision.households", title: "其中经认定决定（户）"),
            DashboardColumn(key: "registerOnly.households", title: "其中仅见于登记（户）"),
        ]
        var counts: [String: [Int]] = [:]
        for group in groups {
            let programmes = group.inReceipt.compactMap(Programme.init(rawValue:))
            guard !programmes.isEmpty else { continue }
            let tier = programmes.map { tiers[$0] ?? .none }.min() ?? .none
            let slot = tierColumns.firstIndex { $0.tier == tier } ?? tierColumns.count - 1
            var values = counts[group.division] ?? Array(repeating: 0, count: columns.count)
            values[slot * 2] += group.households
            values[slot * 2 + 1] += group.persons
            let totals = tierColumns.count * 2
            values[totals] += group.households
            values[totals + 1] += group.persons
            values[group.receiving.isEmpty ? totals + 3 : totals + 2] += group.households
            counts[group.division] = values
        }
        let table = table(rows, counts, width: columns.count)
        let children = table.filter { !$0.isTotal }
        return DashboardFigure(
            id: "households", title: "在保家庭与人口（分层）",
            note: """
                在保：家庭登记记录所列的在保项目；有认定决定的项目以最新决定为准（批准纳入、继续享受、渐退为在保，停止救助为退出）。\
                一户按其在保项目中最高的层级计一次，人数为在保家庭的成员数。\(policyNote)\
                “仅见于登记”的家庭没有认定决定，多为导入的存量名单，应补办认定或核对登记。
                """,
            rowHeading: "辖区", columns: columns, rows: table,
            charts: [
                DashboardChart(
                    kind: .stackedBars, title: "各辖区在保家庭户数（按层级）",
                    description: "每个辖区一条横条，按层级分段："
                        + children.map { row in
                            "\(row.label) \(row.values[tierColumns.count * 2]) 户"
                        }.joined(separator: "，") + "。",
                    categories: children.map(\.label),
                    series: tierColumns.indices.map { slot in
                        .init(name: tierColumns[slot].name, values: children.map { $0.values[slot * 2] })
                    }, unit: "户")
            ])
    }

    /// Recipient households and their members by programme, per child division.
    static func programmeFigure(_ groups: [RecipientGroup], rows: [ChildDivisions.Row]) -> DashboardFigure {
        let programmes = Programme.ordered
        var columns: [DashboardColumn] = []
        for programme in programmes {
            columns.append(
                DashboardColumn(key: "\(programme.rawValue).households", title: "\(shortName(programme))（户）"))
            columns.append(DashboardColumn(key: "\(programme.rawValue).persons", title: "\(shortName(programme))（人）"))
        }
        var counts: [String: [Int]] = [:]
        for group in groups {
            var values = counts[group.division] ?? Array(repeating: 0, count: columns.count)
            for code in group.inReceipt {
                guard let slot = programmes.firstIndex(where: { $0.rawValue == code }) else { continue }
                values[slot * 2] += group.households
                values[slot * 2 + 1] += group.persons
            }
            counts[group.division] = values
        }
        let table = table(rows, counts, width: columns.count)
        let total = table.last?.values ?? Array(repeating: 0, count: columns.count)
        return DashboardFigure(
            id: "programmes", title: "分项目在保家庭与人口",
            note: """
                一户在其每个在保项目下各计一次（一户可享受多项，故各项目之和大于在保户数）。人数为在保家庭的全部成员；\
                特困、孤儿、事实无人抚养儿童和残疾人两项补贴按人认定，并非家庭的每个成员都享受。来源同上表。
                """,
            rowHeading: "辖区", columns: columns, rows: table,
            charts: [
                DashboardChart(
                    kind: .groupedBars, title: "各救助项目在保户数与人数（全辖区）",
                    description: programmes.indices.map { slot in
                        "\(shortName(programmes[slot])) \(total[slot * 2]) 户 \(total[slot * 2 + 1]) 人"
                    }.joined(separator: "，") + "。",
                    categories: programmes.map(shortName),
                    series: [
                        .init(name: "户数", values: programmes.indices.map { total[$0 * 2] }),
                        .init(name: "人数", values: programmes.indices.map { total[$0 * 2 + 1] }),
                    ], unit: "户/人")
            ])
    }

    /// Decisions by month and the households receiving by decision at each month's end.
    static func trendFigure(_ trend: DecisionTrend, months: [Month]) -> DashboardFigure {
        let columns = [
            DashboardColumn(key: "enrolled", title: "批准纳入（件）"),
            DashboardColumn(key: "gradualExits", title: "批准渐退（件）"),
            DashboardColumn(key: "terminated", title: "停止救助（件）"),
            DashboardColumn(key: "receiving", title: "月末经认定在保（户）"),
        ]
        let byMonth = Dictionary(trend.months.map { ($0.month, $0) }, uniquingKeysWith: { first, _ in first })
        var receiving = trend.receivingBefore
        let rows = months.map { month -> DashboardRow in
            let decided = byMonth[month.key]
            receiving += decided?.netReceiving ?? 0
            return DashboardRow(
                label: month.label,
                values: [decided?.enrolled ?? 0, decided?.gradualExits ?? 0, decided?.terminated ?? 0, receiving])
        }
        // The axis names the month, and the year where it starts and where a year begins.
        let axis = months.enumerated().map {
            $0.offset == 0 || $0.element.month == 1 ? $0.element.label : "\($0.element.month)月"
        }
        func series(_ column: Int) -> DashboardChart.Series {
            .init(name: String(columns[column].title.prefix { $0 != "（" }), values: rows.map { $0.values[column] })
        }
        return DashboardFigure(
            id: "trend", title: "近 \(trendMonths) 个月认定决定与在保户数",
            note: """
                依本节点收到的认定决定，按决定日期统计（本月截至今天）。“月末经认定在保”为当月末最新决定仍为在保的家庭数；\
                仅见于登记、没有认定决定的在保家庭不在此列，登记名单没有日期。
                """,
            rowHeading: "月份", columns: columns, rows: rows,
            charts: [
                DashboardChart(
                    kind: .lines, title: "每月批准纳入、渐退与停止救助的件数",
                    description: rows.map {
                        "\($0.label)纳入 \($0.values[0]) 件、渐退 \($0.values[1]) 件、停止 \($0.values[2]) 件"
                    }
                    .joined(separator: "；") + "。",
                    categories: axis, series: [series(0), series(1), series(2)], unit: "件"),
                DashboardChart(
                    kind: .lines, title: "每月末经认定在保的家庭户数",
                    description: rows.map { "\($0.label) \($0.values[3]) 户" }.joined(separator: "，") + "。",
                    categories: axis, series: [series(3)], unit: "户"),
            ])
    }

    /// Open cases and overdue ones per child division.
    static func caseworkFigure(_ counts: [CaseCount], rows: [ChildDivisions.Row]) -> DashboardFigure {
        let columns = [
            DashboardColumn(key: "open", title: "未办结（件）"), DashboardColumn(key: "overdue", title: "其中逾期（件）"),
        ]
        var values: [String: [Int]] = [:]
        for count in counts { values[count.division] = [count.open, count.overdue] }
        return openAndOverdue(
            id: "casework", title: "案件办理与逾期",
            note: "未办结案件按其属地统计；逾期指当前环节已超过办理期限。上级所见为已送达本节点的案件记录。",
            columns: columns, table: table(rows, values, width: columns.count),
            chart: (title: "各辖区未办结与逾期案件数", open: "未办结", unit: "件"))
    }

    /// A figure per child division whose first two columns are the open and the overdue, drawn
    /// as a grouped bar of the two.
    static func openAndOverdue(
        id: String, title: String, note: String, columns: [DashboardColumn], table: [DashboardRow],
        chart: (title: String, open: String, unit: String)
    ) -> DashboardFigure {
        let children = table.filter { !$0.isTotal }
        return DashboardFigure(
            id: id, title: title, note: note, rowHeading: "辖区", columns: columns, rows: table,
            charts: [
                DashboardChart(
                    kind: .groupedBars, title: chart.title,
                    description: children.map {
                        "\($0.label)\(chart.open) \($0.values[0]) \(chart.unit)、逾期 \($0.values[1]) \(chart.unit)"
                    }.joined(separator: "，") + "。",
                    categories: children.map(\.label),
                    series: [
                        .init(name: chart.open, values: children.map { $0.values[0] }),
                        .init(name: "逾期", values: children.map { $0.values[1] }),
                    ], unit: chart.unit)
            ])
    }

    /// The ages of open warnings shown: raised within the last 3, 7 and 30 days, and before.
    static let warningAges: [(days: Int, name: String)] = [(3, "3 天内"), (7, "4–7 天"), (30, "8–30 天")]

    /// Warnings per child division: open (and of them overdue, and sent up a level), confirmed
    /// and dismissed.
    static func warningFigure(_ counts: [WarningCount], rows: [ChildDivisions.Row]) -> DashboardFigure {
        let columns = [
            DashboardColumn(key: "open", title: "待核实（条）"), DashboardColumn(key: "overdue", title: "其中逾期（条）"),
            DashboardColumn(key: "confirmed", title: "核实属实（条）"),
            DashboardColumn(key: "dismissed", title: "不属实或无需处理（条）"),
        ]
        var values: [String: [Int]] = [:]
        for count in counts {
            var row = values[count.division] ?? [0, 0, 0, 0]
            switch count.status {
            case "open":
                row[0] += count.count
                row[1] += count.overdue
            case "confirmed": row[2] += count.count
            default: row[3] += count.count
            }
            values[count.division] = row
        }
        return openAndOverdue(
            id: "warnings", title: "预警核实情况",
            note: "预警按家庭所在地统计；逾期指超过核实期限仍未核实（逾期的上报上一级督办）。点击“预警名单”查看该辖区的预警及其证据。",
            columns: columns, table: table(rows, values, width: columns.count),
            chart: (title: "各辖区待核实与逾期预警数", open: "待核实", unit: "条"))
    }

    /// Warnings by rule: open ones by how long they have waited, confirmed and dismissed.
    static func warningRuleFigure(_ counts: [WarningCount]) -> DashboardFigure {
        let ages = warningAges.map(\.name) + ["30 天以上"]
        let columns =
            ages.map { DashboardColumn(key: "open.\($0)", title: "待核实 \($0)") } + [
                DashboardColumn(key: "confirmed", title: "核实属实"), DashboardColumn(key: "dismissed", title: "不属实或无需处理"),
            ]
        var values: [WarningRule: [Int]] = [:]
        for count in counts {
            guard let rule = WarningRule(rawValue: count.rule) else { continue }
            var row = values[rule] ?? Array(repeating: 0, count: columns.count)
            switch count.status {
            case "open":
                // `raisedSince` counts those raised on or after each day, newest first.
                var earlier = 0
                for (index, since) in count.raisedSince.enumerated() {
                    row[index] += since - earlier
                    earlier = since
                }
                row[ages.count - 1] += count.count - earlier
            case "confirmed": row[ages.count] += count.count
            default: row[ages.count + 1] += count.count
            }
            values[rule] = row
        }
        var total = Array(repeating: 0, count: columns.count)
        var table: [DashboardRow] = []
        for rule in WarningRule.allCases {
            let row = values[rule] ?? Array(repeating: 0, count: columns.count)
            for column in 0..<columns.count { total[column] += row[column] }
            table.append(DashboardRow(label: rule.chineseName, code: rule.rawValue, values: row))
        }
        table.append(DashboardRow(label: "合计", isTotal: true, values: total))
        let open = table.filter { !$0.isTotal }
        return DashboardFigure(
            id: "warningRules", title: "各类预警",
            note: "待核实的按下发至今的天数分组。点击规则名查看该类预警的名单。",
            rowHeading: "预警规则", columns: columns, rows: table,
            charts: [
                DashboardChart(
                    kind: .stackedBars, title: "各类待核实预警及其等待天数",
                    description: open.map { row in
                        "\(row.label)待核实 \(row.values.prefix(ages.count).reduce(0, +)) 条"
                    }.joined(separator: "，") + "。",
                    categories: open.map(\.label),
                    series: ages.enumerated().map { index, name in
                        .init(name: name, values: open.map { $0.values[index] })
                    }, unit: "条")
            ])
    }

    /// One row per child division (zeros where nothing was counted) and the total.
    static func table(_ rows: [ChildDivisions.Row], _ counts: [String: [Int]], width: Int) -> [DashboardRow] {
        var total = Array(repeating: 0, count: width)
        var table: [DashboardRow] = []
        for row in rows {
            let values = counts[row.key] ?? Array(repeating: 0, count: width)
            for column in 0..<width { total[column] += values[column] }
            table.append(DashboardRow(label: row.name, division: row.code, values: values))
        }
        table.append(DashboardRow(label: "合计", isTotal: true, values: total))
        return table
    }

    /// A programme's name where space is short: a chart's axis, a table's column.
    static func shortName(_ programme: Programme) -> String {
        switch programme {
        case .dibao: "低保"
        case .extremePoverty: "特困供养"
        case .orphan: "孤儿"
        case .unsupportedChild: "事实无人抚养儿童"
        case .dibaoEdge: "低保边缘"
        case .rigidExpenditure: "刚性支出困难"
        case .temporaryAssistance: "临时救助"
        case .disabilityLiving: "困难残疾人生活补贴"
        case .severeDisabilityCare: "重度残疾人护理补贴"
        }
    }
}

// Months of the trend.
extension DashboardService {
    /// A calendar month of the trend.
    struct Month: Sendable, Equatable {
        let year: Int
        let month: Int

        /// `2026-03`, as `decided_on` begins.
        var key: String { "\(year)-\(month < 10 ? "0" : "")\(month)" }
        /// `2026年3月`.
        var label: String { "\(year)年\(month)月" }
        var firstDay: CivilDate? { try? CivilDate(year: year, month: month, day: 1) }
    }

    /// The `trendMonths` months ending with the month of `today`, oldest first.
    static func months(endingIn today: CivilDate) -> [Month] {
        (0..<trendMonths).reversed().map { back in
            let index = today.year * 12 + (today.month - 1) - back
            return Month(year: index / 12, month: index % 12 + 1)
        }
    }
}

/// The divisions one level below a scope that the dashboard has a row for: the children the
/// node knows by name, and any other that has something to count. A village's dashboard has
/// the village itself.
struct ChildDivisions: Sendable {
    struct Row: Sendable {
        /// The code as the counts give it (the first `codeLength` digits of a village).
        let key: String
        let code: DivisionCode?
        let name: String
    }

    let scope: DivisionCode
    let names: [DivisionCode: String]

    /// How many digits of a village's code name its child division: 6 (a county) at the city,
    /// 9 at a county, 12 at a township and at a village.
    var codeLength: Int {
        switch scope.level.childLevel ?? .village {
        case .city, .county: 6
        case .township: 9
        case .village: 12
        }
    }

    func name(of code: DivisionCode) -> String { names[code] ?? code.digits }

    /// The rows, by code: the named children and `found`.
    func rows(adding found: [String]) -> [Row] {
        let level = scope.level.childLevel ?? .village
        var keys = Set(names.keys.filter { $0.level == level && $0.isWithin(scope) }.map(\.digits))
        if scope.level == .village { keys = [scope.digits] }
        keys.formUnion(found)
        return keys.sorted().map { key in
            let code = try? DivisionCode(key)
            return Row(key: key, code: code, name: code.map(name(of:)) ?? key)
        }
    }
}
