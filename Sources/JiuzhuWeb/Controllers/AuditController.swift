import Foundation
import Hummingbird
import JiuzhuDomain
import JiuzhuFederation
import JiuzhuServices
import JiuzhuStorage

/// The audit viewer for auditors: newest first, filtered by operator or action, and a
/// check of every hash chain the node holds. Reading the log is itself audited.
///
/// Entries name what was read, and a read of a person names them by citizen ID
/// (`/api/v1/people/{id}`): a role that may not see full IDs sees those numbers masked.
struct AuditController {
    let environment: OperatorEnvironment

    static let entrySchema = JSONSchema.output(required: [
        "seq": .integer(1...Int64.max), "at": .integer(), "node": .divisionCode, "actor": .text, "role": .text,
        "action": .text, "target": .text, "outcome": .codes(AuditOutcome.self), "detail": .text,
        "previousHash": .text, "hash": .text,
    ])

    static let verificationSchema = JSONSchema.output(required: [
        "chains": .map(.integer(0...Int64.max)), "problems": .array(.text),
    ])

    func register(_ routes: OperatorRoutes) {
        let read = OperatorRoute.Access.signedIn(.readAudit)
        // `node` picks a node below whose replicated log to read; the guard keeps it inside.
        let readSubtree = OperatorRoute.Access.signedIn(.readAudit, division: "node")
        let filters: [OperatorRoute.QueryParameter] = [
            .init(name: "node", description: "下级节点的行政区划代码（缺省为本节点）", schema: .divisionCodeOrBlank),
            .init(name: "actor", description: "操作员用户名"), .init(name: "action", description: "动作代码，如 session.signIn"),
            .init(
                name: "before", description: "只列序号小于此值的记录（翻页）",
                schema: .integerText(1...Int64.max)),
            .init(
                name: "limit", description: "每页条数，多于 500 按 500", schema: .integerText(1...Int64.max)),
        ]
        routes.add(
            .init(
                method: .get, path: "/audit", kind: .page, access: readSubtree, summary: "审计日志", auditsRead: true,
                queryParameters: filters)
        ) { guarded in
            let query = try Self.query(guarded)
            let entries = try await environment.database.operators.auditEntries(query).map {
                Self.shown($0, to: guarded)
            }
            return environment.page("audit", title: "审计日志", view(entries, query: query), session: guarded.session)
        }
        routes.add(
            .init(
                method: .get, path: "/api/v1/audit", kind: .api, access: readSubtree,
                summary: "审计日志（新在前）：本节点的，或本节点持有的下级节点副本", auditsRead: true,
                replies: [.ok(.array(Self.entrySchema)), .invalid("before 或 limit 不是正整数")], queryParameters: filters)
        ) { guarded in
            let entries = try await environment.database.operators.auditEntries(try Self.query(guarded))
            return try JSONResponse(entries.map { Self.shown($0, to: guarded) }).response()
        }
        routes.add(.init(method: .get, path: "/audit/verify", kind: .page, access: read, summary: "校验审计链")) { guarded in
            let verification = try await environment.database.operators.verifyAudit()
            struct Chain {
                let node: String
                let count: Int
            }
            struct View {
                let intact: Bool
                let total: Int
                let problemCount: Int
                let problems: [String]
                let chains: [Chain]
            }
            let view = View(
                intact: verification.isIntact, total: verification.chains.values.reduce(0, +),
                problemCount: verification.problems.count, problems: verification.problems,
                chains: verification.chains.sorted { $0.key < $1.key }.map { Chain(node: $0.key, count: $0.value) })
            return environment.page("auditVerify", title: "校验审计链", view, session: guarded.session)
        }
        routes.add(
            .init(
                method: .get, path: "/api/v1/audit/verify", kind: .api, access: read, summary: "校验本节点及其下级的审计哈希链",
                replies: [.ok(Self.verificationSchema)])
        ) { _ in
            try JSONResponse(try await environment.database.operators.verifyAudit()).response()
        }
    }

    /// `entry` as the asking role may see it (`shown(_:fullIDs:)`).
    static func shown(_ entry: AuditEntry, to guarded: Guarded) -> AuditEntry {
        shown(entry, fullIDs: guarded.session.map { AccessPolicy.allows($0.account.role, .viewFullCitizenID) } ?? false)
    }

    /// `entry` unchanged for a role with `viewFullCitizenID`; otherwise with every number that
    /// could be a citizen ID masked in its actor, target and detail. A target is also read
    /// percent-decoded, so an ID sent as `%33%32…` is masked like any other (and then shown
    /// decoded). The hash stays that of the stored entry: `/api/v1/audit/verify` checks the chain.
    static func shown(_ entry: AuditEntry, fullIDs: Bool) -> AuditEntry {
        guard !fullIDs else { return entry }
        var target = CitizenIDMask.maskingNumbers(in: entry.target)
        if let decoded = entry.target.removingPercentEncoding, CitizenIDMask.maskingNumbers(in: decoded) != decoded {
            target = CitizenIDMask.maskingNumbers(in: decoded)
        }
        return AuditEntry(
            seq: entry.seq, at: entry.at, node: entry.node, actor: CitizenIDMask.maskingNumbers(in: entry.actor),
            role: entry.role, action: entry.action, target: target, outcome: entry.outcome,
            detail: CitizenIDMask.maskingNumbers(in: entry.detail), previousHash: entry.previousHash, hash: entry.hash)
    }

    static func query(_ guarded: Guarded) throws -> AuditQuery {
        func number(_ name: String) throws -> Int64? {
            guard let text = guarded.query(name), !text.isEmpty else { return nil }
            guard let value = Int64(text), value > 0 else { throw InputError(field: name, "须为正整数") }
            return value
        }
        func text(_ name: String) -> String? {
            guarded.query(name).flatMap { $0.isEmpty ? nil : $0 }
        }
        return AuditQuery(
            node: guarded.target, actor: text("actor"), action: text("action"), before: try number("before"),
            limit: Int(try number("limit") ?? 50))
    }

    private func view(_ entries: [AuditEntry], query: AuditQuery) -> Any {
        struct Row {
            let seq: Int64
            let at: String
            let actor: String
            let role: String
            let action: String
            let target: String
            let outcome: String
            let outcomeClass: String
            let detail: String
        }
        struct Node {
            let code: String
            let name: String
            let selected: Bool
        }
        struct View {
            let nodes: [Node]
            let actor: String
            let action: String
            let entries: [Row]
            let nextPage: String?
        }
        var next: String?
        if entries.count == query.limit, let last = entries.last {
            var components = URLComponents()
            components.path = "/audit"
            components.queryItems = [
                URLQueryItem(name: "node", value: query.node?.digits ?? ""),
                URLQueryItem(name: "actor", value: query.actor ?? ""),
                URLQueryItem(name: "action", value: query.action ?? ""),
                URLQueryItem(name: "before", value: String(last.seq)),
            ]
            next = components.string
        }
        let own = environment.node.code
        let subtree = environment.context.topology.nodes.filter { $0.code.isWithin(own) }
        return View(
            nodes: subtree.map {
                Node(code: $0.code.digits, name: $0.name, selected: $0.code == (query.node ?? own))
            },
            actor: query.actor ?? "", action: query.action ?? "",
            entries: entries.map {
                Row(
                    seq: $0.seq, at: ShanghaiTime.format(Date(timeIntervalSince1970: Double($0.at) / 1000)),
                    actor: $0.actor, role: OperatorRole(rawValue: $0.role)?.chineseName ?? $0.role, action: $0.action,
                    target: $0.target, outcome: $0.outcome.chineseName, outcomeClass: $0.outcome.rawValue,
                    detail: $0.detail)
            }, nextPage: next)
    }
}
