import Foundation
import Hummingbird
import JiuzhuDomain
import JiuzhuFederation
import JiuzhuRegistry
import JiuzhuServices
import JiuzhuStorage

/// The security events every level recorded when it refused a federation request (a row
/// changed by a node that does not own it, changes from outside the sender's subtree, a clock
/// far ahead, a department's certificate where it has no business, …). They travel up, so the
/// city lists every node's; filters by node, kind and day (Asia/Shanghai).
struct SecurityController {
    let environment: OperatorEnvironment

    /// A civil date of 2000–2099 as the filters take it, or a blank for none.
    static let dayOrBlank = JSONSchema.string(
        pattern: "^((20[0-9]{2})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01]))?$")

    static let filters: [OperatorRoute.QueryParameter] = [
        .init(name: "node", description: "记录事件的节点或其上级的行政区划代码（缺省为本节点辖区）", schema: .divisionCodeOrBlank),
        .init(
            name: "kind", description: "事件类型（缺省为全部）",
            schema: .enumeration([""] + SecurityLog.kinds.map(\.kind))),
        .init(name: "from", description: "起始日期（含），YYYY-MM-DD，北京时间", schema: dayOrBlank),
        .init(name: "to", description: "截止日期（含），YYYY-MM-DD，北京时间", schema: dayOrBlank),
        .init(name: "limit", description: "至多条数，1–500", schema: .integerText(1...500)),
    ]

    static let eventSchema = JSONSchema.output(required: [
        "at": .timestamp, "node": .divisionCode, "peer": peerSchema,
        "kind": .enumeration(SecurityLog.kinds.map(\.kind)), "detail": .text,
    ])

    /// The caller refused: a node's division code, or a department's code name.
    static let peerSchema = JSONSchema.string(
        pattern: "^(" + JSONSchema.divisionCodePattern.dropFirst().dropLast() + "|"
            + Department.allCases.map(\.rawValue).joined(separator: "|") + ")$"
    ).described("被拒绝的请求方：节点的行政区划代码，或部门（\(Department.allCases.map(\.rawValue).joined(separator: "、"))）")

    func register(_ routes: OperatorRoutes) {
        let access = OperatorRoute.Access.signedIn(.readSecurityEvents, division: "node")
        routes.add(
            .init(
                method: .get, path: "/security", kind: .page, access: access, summary: "安全事件",
                queryParameters: Self.filters)
        ) { guarded in
            let query = try Self.query(guarded)
            let events = try await events(query)
            return environment.page("securityEvents", title: "安全事件", view(events, guarded), session: guarded.session)
        }
        routes.add(
            .init(
                method: .get, path: "/api/v1/security-events", kind: .api, access: access,
                summary: "安全事件（新在前）：本节点及下级各节点拒绝的联邦请求",
                replies: [.ok(.array(Self.eventSchema)), .invalid("日期不存在，或截止日期早于起始日期")],
                queryParameters: Self.filters)
        ) { guarded in
            try JSONResponse(try await events(try Self.query(guarded))).response()
        }
    }

    private func events(_ query: SecurityEventQuery) async throws -> [SecurityLog.Event] {
        try await environment.database.operators.securityEventPayloads(query).compactMap {
            try? SecurityLog.Event(payload: $0)
        }
    }

    static func query(_ guarded: Guarded) throws -> SecurityEventQuery {
        func text(_ name: String) -> String? { guarded.query(name).flatMap { $0.isEmpty ? nil : $0 } }
        let kind = text("kind")
        if let kind, !SecurityLog.kinds.contains(where: { $0.kind == kind }) {
            throw InputError(field: "kind", "未知的事件类型 \(kind)")
        }
        var limit = 100
        if let value = text("limit") {
            guard let number = Int(value), (1...500).contains(number) else {
                throw InputError(field: "limit", "须为 1–500 的整数")
            }
            limit = number
        }
        let from = try text("from").map { try startOfDay($0, field: "from") }
        let to = try text("to").map { try startOfDay($0, field: "to").addingTimeInterval(86_400) }
        if let from, let to, to <= from { throw InputError(field: "to", "截止日期早于起始日期") }
        return SecurityEventQuery(division: guarded.target, kind: kind, since: from, until: to, limit: limit)
    }

    /// The first instant of a civil date in Asia/Shanghai.
    static func startOfDay(_ text: String, field: String) throws -> Date {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
            (2000...2100).contains(year)
        else { throw InputError(field: field, "日期须为 YYYY-MM-DD（2000–2100 年）") }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = ShanghaiTime.zone
        let components = DateComponents(year: year, month: month, day: day)
        guard components.isValidDate(in: calendar), let date = calendar.date(from: components) else {
            throw InputError(field: field, "\(text) 不是有效日期")
        }
        return date
    }

    private func view(_ events: [SecurityLog.Event], _ guarded: Guarded) -> Any {
        struct Option {
            let value: String
            let label: String
            let selected: Bool
        }
        struct Row {
            let at: String
            let node: String
            let peer: String
            let kind: String
            let detail: String
        }
        struct View {
            let nodes: [Option]
            let kinds: [Option]
            let from: String
            let to: String
            let events: [Row]
            let count: Int
        }
        let own = environment.node.code
        let topology = environment.context.topology
        func name(_ code: String) -> String {
            if let department = Department(rawValue: code) { return "\(department.chineseName)（部门证书）" }
            return (try? DivisionCode(code)).flatMap { topology.node($0) }.map { "\($0.name) \(code)" } ?? code
        }
        let chosenKind = guarded.query("kind") ?? ""
        return View(
            nodes: topology.nodes.filter { $0.code.isWithin(own) }.map {
                Option(
                    value: $0.code.digits, label: "\($0.name) \($0.code)", selected: $0.code == (guarded.target ?? own))
            },
            kinds: [Option(value: "", label: "全部类型", selected: chosenKind.isEmpty)]
                + SecurityLog.kinds.map {
                    Option(value: $0.kind, label: $0.chineseName, selected: $0.kind == chosenKind)
                },
            from: guarded.query("from") ?? "", to: guarded.query("to") ?? "",
            events: events.map { event in
                Row(
                    at: ShanghaiTime.format(event.at), node: name(event.node), peer: name(event.peer),
                    kind: SecurityLog.kinds.first { $0.kind == event.kind }?.chineseName ?? event.kind,
                    detail: event.detail)
            }, count: events.count)
    }
}
