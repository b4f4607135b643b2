import Hummingbird
import JiuzhuDomain
import JiuzhuFederation
import JiuzhuServices
import JiuzhuStorage

/// A division inside the operator's jurisdiction: what it is, what lies under it, and how
/// much of its data this node holds. The guard refuses any division outside.
struct DivisionController {
    let environment: OperatorEnvironment

    struct Summary: Encodable {
        struct Child: Encodable {
            let code: String
            let name: String
        }

        struct Count: Encodable {
            let channel: String
            let entity: String
            let rows: Int
        }

        let code: String
        let name: String
        let level: String
        let nodeURL: String?
        let children: [Child]
        let counts: [Count]
    }

    static let summarySchema = JSONSchema.output(
        required: [
            "code": .divisionCode, "name": .text, "level": .text,
            "children": .array(.output(required: ["code": .divisionCode, "name": .text])),
            "counts": .array(
                .output(required: ["channel": .text, "entity": .text, "rows": .integer(0...Int64.max)])),
        ],
        optional: ["nodeURL": .text])

    func register(_ routes: OperatorRoutes) {
        let access = OperatorRoute.Access.signedIn(.viewDivision, division: "code")
        routes.add(.init(method: .get, path: "/divisions/:code", kind: .page, access: access, summary: "辖区概况")) {
            guarded in
            let summary = try await summary(of: guarded.target)
            return environment.page("division", title: "辖区概况 · \(summary.name)", summary, session: guarded.session)
        }
        routes.add(
            .init(
                method: .get, path: "/api/v1/divisions/:code", kind: .api, access: access,
                summary: "辖区概况：下级辖区与本节点持有的数据量", replies: [.ok(Self.summarySchema)])
        ) { guarded in
            try JSONResponse(try await summary(of: guarded.target)).response()
        }
    }

    private func summary(of target: DivisionCode?) async throws -> Summary {
        guard let code = target else { throw InputError(field: "code", "缺少行政区划代码") }
        let topology = environment.context.topology
        let node = topology.node(code)
        return Summary(
            code: code.digits, name: node?.name ?? "（无本系统节点的辖区）", level: code.level.chineseName,
            nodeURL: node.map { "https://\($0.operator)/" },
            children: topology.children(of: code).map { Summary.Child(code: $0.code.digits, name: $0.name) },
            counts: try await environment.database.changeLog.rowCounts(within: code).map {
                Summary.Count(channel: $0.channel.chineseName, entity: $0.entity, rows: $0.rows)
            })
    }
}
