import Foundation
import Hummingbird
import JiuzhuDomain
import JiuzhuPolicy
import JiuzhuRegistry
import JiuzhuServices
import JiuzhuStorage

/// What the warning pages and API share: the filters of a list, what a list row and a warning
/// show (citizen IDs masked for roles that may not see them), and the operator behind a request.
struct WarningsWeb: Sendable {
    let environment: OperatorEnvironment
    var services: NodeServices { environment.context.services }
    var node: DivisionCode { environment.node.code }

    /// Rows per page of a list.
    static let pageSize = 100

    static let listDocumentation: [OperatorRoute.QueryParameter] = [
        .init(name: "division", description: "行政区划代码（缺省为本节点辖区；须在本节点辖区内）", schema: .divisionCodeOrBlank),
        .init(
            name: "status", description: "open 待核实、confirmed 属实、dismissed 不属实或无需处理；缺省为全部",
            schema: .enumeration(["", "open", "confirmed", "dismissed"])),
        .init(name: "rule", description: "预警规则", schema: .enumeration([""] + WarningRule.allCases.map(\.rawValue))),
        .init(name: "overdue", description: "true：只列逾期未核实的", schema: .enumeration(["", "true", "false"])),
        .init(name: "page", description: "页码，从 1 开始", schema: .integerText(1...10_000)),
    ]

    /// The list's query from the request's parameters.
    func query(_ guarded: Guarded) throws -> WarningQuery {
        var query = WarningQuery(within: guarded.target ?? node, limit: Self.pageSize)
        switch guarded.query("status") ?? "" {
        case "": break
        case let status where ["open", "confirmed", "dismissed"].contains(status): query.status = status
        default: throw InputError(field: "status", "status 应为 open、confirmed 或 dismissed")
        }
        if let rule = guarded.query("rule"), !rule.isEmpty {
            guard WarningRule(rawValue: rule) != nil else { throw InputError(field: "rule", "没有名为“\(rule)”的预警规则") }
            query.rule = rule
        }
        switch guarded.query("overdue") ?? "" {
        case "", "false": break
        case "true": query.dueBefore = environment.today.ordinal
        default: throw InputError(field: "overdue", "overdue 应为 true 或 false")
        }
        if let page = guarded.query("page"), !page.isEmpty {
            guard let number = Int(page), (1...10_000).contains(number) else {
                throw InputError(field: "page", "页码应为 1 到 10000")
            }
            query.offset = (number - 1) * Self.pageSize
        }
        return query
    }

    /// A warning in a list.
    struct ListItem: Codable, Sendable {
        let key: String
        let rule: WarningRule
        let ruleName: String
        let household: String
        let village: String
        let villageName: String
        let status: String
        let statusName: String
        let raisedOn: String
        let dueOn: String?
        let overdue: Bool
        let escalation: String
        let escalationName: String
    }

    func items(_ query: WarningQuery) async throws -> [ListItem] {
        let today = environment.today.ordinal
        return try await services.warnings.list(query).compactMap { row in
            guard let rule = WarningRule(rawValue: row.rule) else { return nil }
            let level = DivisionLevel(rawValue: row.escalation) ?? .village
            return ListItem(
                key: row.key, rule: rule, ruleName: rule.chineseName, household: row.household, village: row.village,
                villageName: villageName(row.village), status: row.status, statusName: Self.statusName(row.status),
                raisedOn: CivilDate(ordinal: row.raisedOn)?.description ?? "",
                dueOn: row.dueOn.flatMap(CivilDate.init(ordinal:))?.description,
                overdue: row.status == "open" && (row.dueOn.map { $0 < today } ?? false), escalation: level.rawValue,
                escalationName: level == .village ? "村（居）核实" : "已上报\(level.shortName)级督办")
        }
    }

    static func statusName(_ status: String) -> String {
        switch status {
        case "open": "待核实"
        case "confirmed": "核实属实"
        default: "不属实或无需处理"
        }
    }

    func villageName(_ code: String) -> String {
        (try? DivisionCode(code)).flatMap { environment.context.topology.node($0)?.name } ?? code
    }

    /// The warning `key`, if this node holds it within its jurisdiction, with citizen IDs
    /// masked for a viewer who may not see them in full.
    func view(_ key: String, for guarded: Guarded) async throws -> WarningService.WarningView {
        guard let view = try await services.warnings.view(key),
            let village = try? DivisionCode(view.warning.village), village.isWithin(node)
        else { throw HTTPError(.notFound, message: "本节点没有编号为 \(key) 的预警") }
        let full = guarded.session.map { AccessPolicy.allows($0.account.role, .viewFullCitizenID) } ?? false
        return full ? view : Self.masked(view)
    }

    static func masked(_ view: WarningService.WarningView) -> WarningService.WarningView {
        var warning = view.warning
        warning.person = warning.person.map(CitizenIDMask.masked)
        warning.evidence.records = warning.evidence.records.map { record in
            var record = record
            record.citizenID = CitizenIDMask.masked(record.citizenID)
            return record
        }
        warning.evidence.facts = warning.evidence.facts.map {
            .init($0.name, CitizenIDMask.maskingNumbers(in: $0.value))
        }
        var masked = view
        masked.warning = warning
        return masked
    }

    /// The operator behind a request, as casework names them.
    func staff(_ guarded: Guarded) throws -> CaseOperator {
        guard let account = guarded.session?.account else {
            throw AccessRefusal(status: .unauthorized, message: "请先登录")
        }
        return CaseOperator(name: account.username, role: account.role, node: node)
    }

    /// Each rule with its switch today, its source and its outcomes by month (at the city).
    struct RuleView: Codable, Sendable {
        let rule: WarningRule
        let name: String
        let source: String
        let enabled: Bool
        /// Since when it has been on or off.
        let since: String?
        let outcomes: [WarningService.RuleOutcomes]
    }

    func rules() async throws -> [RuleView] {
        let (context, _) = try await services.warnings.context()
        let outcomes = try await services.warnings.outcomes()
        return WarningRule.allCases.map { rule in
            let switched = context.settings.switchOf(rule, on: context.today)
            return RuleView(
                rule: rule, name: rule.chineseName, source: rule.source, enabled: switched?.enabled ?? false,
                since: switched?.from.description, outcomes: outcomes.filter { $0.rule == rule })
        }
    }
}
