import Foundation
import Hummingbird
import JiuzhuDomain
import JiuzhuFederation

/// The node's own page and its JSON: role, parent, children with reachability and backlog,
/// and the state of every federation channel.
struct NodeController {
    let environment: OperatorEnvironment

    static let summarySchema = JSONSchema.output(required: [
        "code": .divisionCode, "name": .text, "role": .codes(NodeRole.self), "roleName": .text, "operatorURL": .text,
    ])

    static let neighbourSchema = JSONSchema.output(
        required: ["node": summarySchema, "reachability": .enumeration(["reachable", "unreachable", "unknown"])],
        optional: [
            "lastContact": .timestamp, "lastError": .text, "reportedBacklog": .integer(0...Int64.max),
            "policyVersion": .text, "lastPush": .timestamp, "lastPull": .timestamp,
        ])

    static let statusSchema = JSONSchema.output(
        required: ["node": summarySchema, "startedAt": .timestamp, "children": .array(neighbourSchema)],
        optional: ["parent": neighbourSchema])

    static let federationSchema = JSONSchema.output(
        required: [
            "node": .divisionCode,
            "links": .array(
                .output(
                    required: [
                        "channel": .codes(ReplicationChannel.self), "direction": .enumeration(["up", "down"]),
                    ],
                    optional: [
                        "backlog": .integer(0...Int64.max), "oldestUnacknowledgedSeconds": .number,
                        "lastSuccessAt": .timestamp, "lastError": .text, "lastErrorAt": .timestamp,
                        "checksumAgrees": .boolean, "checksumDetail": .text,
                    ])),
        ],
        optional: ["parent": .divisionCode])

    func register(_ routes: OperatorRoutes) {
        routes.add(.init(method: .get, path: "/node", kind: .page, access: .signedIn(.viewNode), summary: "节点状态")) {
            guarded in
            let now = environment.database.wallClock.date()
            let view = NodeView(
                try await environment.context.status(now: now),
                federation: try await environment.context.federationStatus(now: now), now: now)
            return environment.page("node", title: "节点状态", view, session: guarded.session)
        }
        routes.add(
            .init(
                method: .get, path: "/api/v1/node", kind: .api, access: .signedIn(.viewNode), summary: "本节点与上下级节点的状态",
                replies: [.ok(Self.statusSchema)])
        ) { _ in
            try JSONResponse(try await environment.context.status(now: environment.database.wallClock.date()))
                .response()
        }
        routes.add(
            .init(
                method: .get, path: "/api/v1/federation", kind: .api, access: .signedIn(.viewNode),
                summary: "与上级节点各通道的同步状态", replies: [.ok(Self.federationSchema)])
        ) { _ in
            try JSONResponse(try await environment.context.federationStatus(now: environment.database.wallClock.date()))
                .response()
        }
    }
}

/// Plain strings for the node template; dates as civil time in Asia/Shanghai.
struct NodeView {
    struct Row {
        let code: String
        let name: String
        let role: String
        let state: String
        let stateClass: String
        let lastContact: String
        let lastError: String?
        let backlog: String
    }

    struct Link {
        let summary: String
        let stateClass: String
    }

    let code: String
    let name: String
    let role: String
    let startedAt: String
    let parent: Row?
    let children: [Row]
    let childCount: Int
    let links: [Link]

    init(_ status: NodeStatus, federation: FederationStatus, now: Date) {
        func row(_ neighbour: NodeStatus.Neighbour) -> Row {
            Row(
                code: neighbour.node.code, name: neighbour.node.name, role: neighbour.node.roleName,
                state: neighbour.reachability.chineseName, stateClass: neighbour.reachability.rawValue,
                lastContact: neighbour.lastContact.map { ShanghaiTime.describe($0, now: now) } ?? "—",
                lastError: neighbour.reachability == .reachable ? nil : neighbour.lastError,
                backlog: ([neighbour.reportedBacklog.map { "待上传 \($0) 条变更（据其最近一次联系）" } ?? "尚未报告待上传数"]
                    + [("最近推送", neighbour.lastPush), ("最近拉取", neighbour.lastPull)].compactMap { label, date in
                        date.map { "\(label) \(ShanghaiTime.describe($0, now: now))" }
                    }).joined(separator: " · "))
        }
        code = status.node.code
        name = status.node.name
        role = status.node.roleName
        startedAt = ShanghaiTime.format(status.startedAt)
        parent = status.parent.map(row)
        children = status.children.map(row)
        childCount = status.children.count
        links = federation.links.map { link in
            Link(
                summary: link.summary,
                stateClass: link.lastError != nil || link.checksumAgrees == false
                    ? "unreachable" : link.lastSuccessAt == nil ? "unknown" : "reachable")
        }
    }
}
