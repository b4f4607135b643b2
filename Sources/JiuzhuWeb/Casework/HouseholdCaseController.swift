import Foundation
import Hummingbird
import JiuzhuDomain
import JiuzhuFederation
import JiuzhuServices

/// Dynamic management of a recipient household through the API, at its village: a member's
/// death, which opens the re-check, and a change in its situation or its exit, which opens a
/// `change` case; both then go through the one workflow.
struct HouseholdCaseController {
    let environment: OperatorEnvironment
    let cases: CaseworkWeb

    func register(_ routes: OperatorRoutes) {
        let handle = OperatorRoute.Access.signedIn(.handleCases, division: "id")
        // Only the village holds its households' dynamic management; elsewhere no number is its own.
        let ownHousehold =
            environment.node.role == .village
            ? JSONSchema.string(pattern: "^\(environment.node.code.digits)-[0-9A-Za-z]{1,32}$") : .householdID
        routes.add(
            .init(
                method: .post, path: "/api/v1/households/:id/deaths", kind: .api, access: handle,
                summary:
                    "登记享受救助家庭的成员死亡（属地村的民生专员）：每个在保项目生成死亡复查，期限自死亡日期起按政策的复查时限计算；该户该项目已有正在办理的复核、变更或复查的，记入该案件",
                body: .json(CaseSchemas.death),
                replies: [
                    .created(CaseSchemas.deathRecorded, "已登记：生成或记入的复查案件与复查期限（已超过时限的注明逾期）"),
                    .invalid("该户没有这名成员、死亡日期晚于今天或早于出生、该户没有享受救助、已登记过，或本节点不是该户所在村；field 指出字段"),
                    .refused(.notFound, "本节点没有此户"),
                    .refused(.conflict, "同时有他人在该案件中登记，请重试"),
                ], pathSchemas: ["id": ownHousehold])
        ) { guarded in
            let report = try guarded.json(CaseService.DeathReport.self)
            let recorded = try await cases.recordDeath(
                report, in: guarded.context.parameters.get("id") ?? "", by: guarded)
            return try JSONResponse(recorded, status: .created).response()
        }
        routes.add(
            .init(
                method: .post, path: "/api/v1/households/:id/changes", kind: .api, access: handle,
                summary:
                    "登记享受救助家庭的情况变化或退出（属地村的民生专员）：生成变更或退出案件，经入户调查、评议、核对、初审、公示后决定继续、渐退或停止",
                body: .json(CaseSchemas.change),
                replies: [
                    .created(CaseSchemas.taskOpened, "已登记：案件编号"),
                    .invalid("没有写明理由、该户没有享受该项目，或本节点不是该户所在村；field 指出字段"),
                    .refused(.notFound, "本节点没有此户"),
                    .refused(.conflict, "该户该项目已有正在办理的案件"),
                ], pathSchemas: ["id": ownHousehold])
        ) { guarded in
            let report = try guarded.json(CaseService.ChangeReport.self)
            let opened = try await cases.openChange(report, in: guarded.context.parameters.get("id") ?? "", by: guarded)
            return try JSONResponse(opened, status: .created).response()
        }
    }
}
