import Foundation
import Hummingbird
import JiuzhuDomain
import JiuzhuFederation
import JiuzhuPolicy
import JiuzhuServices
import JiuzhuStorage

/// The warning platform through the API: lists and a warning with its evidence at every level,
/// the village's verification, and at the city the rules with their outcomes and a dry run.
struct WarningController {
    let environment: OperatorEnvironment
    let warnings: WarningsWeb

    func register(_ routes: OperatorRoutes) {
        let readIn = OperatorRoute.Access.signedIn(.viewPersonalData, division: "division")
        let read = OperatorRoute.Access.signedIn(.viewPersonalData)
        routes.add(
            .init(
                method: .get, path: "/api/v1/warnings", kind: .api, access: readIn,
                summary: "辖区内的预警：待核实且逾期的在前，再按期限；可按状态、规则、逾期筛选", auditsRead: true,
                replies: [.ok(.array(WarningSchemas.listItem)), .invalid("筛选条件无效")],
                queryParameters: WarningsWeb.listDocumentation)
        ) { guarded in
            try JSONResponse(try await warnings.items(try warnings.query(guarded))).response()
        }
        routes.add(
            .init(
                method: .get, path: "/api/v1/warnings/:key", kind: .api, access: read,
                summary: "一条预警及其证据：部门记录、家庭登记事实、规则条件和所用参数，以及属地的核实结果", auditsRead: true,
                replies: [.ok(WarningSchemas.view), .refused(.notFound, "本节点辖区内没有此预警")],
                pathSchemas: ["key": WarningSchemas.key])
        ) { guarded in
            try JSONResponse(try await warnings.view(guarded.context.parameters.get("key") ?? "", for: guarded))
                .response()
        }
        routes.add(
            .init(
                method: .post, path: "/api/v1/warnings/:key/verification", kind: .api,
                access: .signedIn(.handleCases),
                summary:
                    "属地村（居）核实预警：属实的按规则生成死亡复查（暂停下月发放）、变更或代为申请的案件；不属实或无需处理的须选原因",
                body: .json(WarningSchemas.verification),
                replies: [
                    .ok(WarningSchemas.verified, "已核实：生成或关联的案件"),
                    .invalid("不属实时没有原因、原因为“其他”时没有说明、预警已核实，或本节点不是该户所在村；field 指出字段"),
                    .refused(.notFound, "本节点辖区内没有此预警"),
                    .refused(.conflict, "预警刚被核实或重新下发，或该户该项目已有正在办理的案件"),
                ], pathSchemas: ["key": WarningSchemas.key])
        ) { guarded in
            let key = guarded.context.parameters.get("key") ?? ""
            _ = try await warnings.view(key, for: guarded)
            let request = try guarded.json(WarningService.VerificationRequest.self)
            let verified = try await warnings.services.warnings.verify(key, request, by: try warnings.staff(guarded))
            return try JSONResponse(verified).response()
        }
        guard environment.node.role == .city else { return }
        routes.add(
            .init(
                method: .get, path: "/api/v1/warning-rules", kind: .api, access: .signedIn(.analyse),
                summary: "预警规则（仅市级）：今日是否启用、数据来源，以及每月核实属实与不属实的条数",
                replies: [.ok(.array(WarningSchemas.rule)), .invalid("政策没有预警规则")])
        ) { _ in
            try JSONResponse(try await warnings.rules()).response()
        }
        routes.add(
            .init(
                method: .post, path: "/api/v1/warning-rules/:rule/dry-run", kind: .api, access: .signedIn(.analyse),
                summary: "试运行一条预警规则（仅市级，不写入）：按全市汇总数据会产生多少预警、分布在哪些县区，附样例和证据",
                replies: [.ok(WarningSchemas.dryRun), .invalid("政策没有预警规则")],
                pathSchemas: ["rule": .codes(WarningRule.self)])
        ) { guarded in
            guard let rule = WarningRule(rawValue: guarded.context.parameters.get("rule") ?? "") else {
                throw HTTPError(.notFound, message: "没有这条预警规则")
            }
            return try JSONResponse(try await warnings.services.warnings.dryRun(rule)).response()
        }
    }
}
