import Foundation
import HTTPTypes
import Hummingbird
import JiuzhuDomain
import JiuzhuFederation
import JiuzhuPolicy
import JiuzhuServices
import JiuzhuStorage
import NIOCore

/// Casework through the API: applications, the queue, a case with its timeline, steps,
/// photos, counts of open and overdue steps, and (at the city) publishing a calendar year.
struct CaseController {
    let environment: OperatorEnvironment
    let cases: CaseworkWeb

    /// The body of `POST /api/v1/cases/{id}/steps`.
    struct StepBody: Decodable {
        struct Investigation: Decodable {
            let investigators: [String]
            let commitmentSigned: Bool
            let authorisationSigned: Bool
            let findings: String?
        }

        let after: Int
        let kind: CaseActionKind
        let reason: String?
        let outcome: DecisionOutcome?
        let programme: Programme?
        let investigation: Investigation?
        let note: String?
        let gradualExitMonths: Int?
        let paidFirst: Fen?

        var request: CaseService.StepRequest {
            CaseService.StepRequest(
                kind, reason: reason, outcome: outcome, programme: programme,
                investigation: investigation.map {
                    InvestigationRecord(
                        investigators: $0.investigators, commitmentSigned: $0.commitmentSigned,
                        authorisationSigned: $0.authorisationSigned, findings: $0.findings ?? "")
                }, note: note, gradualExitMonths: gradualExitMonths, paidFirst: paidFirst)
        }
    }

    /// The body of `POST /api/v1/cases/{id}/photos`.
    struct PhotoBody: Decodable {
        let photos: [String]
    }

    /// The body of `POST /api/v1/calendars`.
    struct CalendarBody: Decodable {
        let text: String
    }

    func register(_ routes: OperatorRoutes) {
        let handle = OperatorRoute.Access.signedIn(.handleCases)
        let read = OperatorRoute.Access.signedIn(.viewPersonalData)
        let readIn = OperatorRoute.Access.signedIn(.viewPersonalData, division: "division")
        routes.add(
            .init(
                method: .post, path: "/api/v1/cases", kind: .api, access: handle,
                summary: "登记一份申请（模糊申请：身份和情况即可，救助项目可不填）；不属本节点辖区的转至属地村（居）",
                body: .json(CaseSchemas.application, example: CaseSchemas.applicationExample(environment)),
                replies: [
                    .created(CaseSchemas.opened, "已登记：案件编号、属地，以及是否已转办"),
                    .invalid("申请无效：身份证号、手机号、所在村（居）或申报的家庭情况有误，field 指出字段"),
                ])
        ) { guarded in
            let request = try guarded.json(CaseService.ApplicationRequest.self)
            let opened = try await cases.apply(request, by: guarded)
            return try JSONResponse(opened, status: .created).response()
        }
        routes.add(
            .init(
                method: .get, path: "/api/v1/cases", kind: .api, access: readIn,
                summary: "待办与案件列表：逾期的在前，再按期限；可按层级、逾期筛选", auditsRead: true,
                replies: [.ok(.array(CaseSchemas.listItem)), .invalid("筛选条件无效")],
                queryParameters: CaseworkWeb.ListParameters.documentation)
        ) { guarded in
            try JSONResponse(
                try await cases.list(try CaseworkWeb.ListParameters(guarded, node: environment.node.code), for: guarded)
            ).response()
        }
        routes.add(
            .init(
                method: .get, path: "/api/v1/cases/:id", kind: .api, access: read,
                summary: "一个案件：申请、所处环节与期限、全部办理经过（谁、何时、在哪、依据哪个政策版本和工作日历）",
                auditsRead: true,
                replies: [.ok(CaseSchemas.caseView), .refused(.notFound, "本节点没有此案件")],
                pathSchemas: ["id": CaseSchemas.caseID])
        ) { guarded in
            try JSONResponse(try await cases.view(guarded.context.parameters.get("id") ?? "", for: guarded)).response()
        }
        routes.add(
            .init(
                method: .post, path: "/api/v1/cases/:id/steps", kind: .api, access: handle,
                summary: "办理一个环节；after 为读取时的最后一步序号，他人已先办理时 409",
                body: .json(CaseSchemas.step),
                replies: [
                    .ok(CaseSchemas.caseView, "已办理，返回办理后的案件"),
                    .invalid("环节的内容不全或不合规则（理由、调查人员、照片、金额），field 指出字段"),
                    .refused(.forbidden, "本环节不由您的角色或层级办理，或案件不在您的辖区"),
                    .refused(.notFound, "本节点没有此案件"),
                    .refused(.conflict, "案件已有他人办理了新的环节，或当前环节不能办理此事项"),
                ], pathSchemas: ["id": CaseSchemas.caseID])
        ) { guarded in
            let body = try guarded.json(StepBody.self)
            let file = try await cases.take(
                body.request, on: guarded.context.parameters.get("id") ?? "", after: body.after, by: guarded)
            return try JSONResponse(file).response()
        }
        routes.add(
            .init(
                method: .post, path: "/api/v1/cases/:id/photos", kind: .api, access: handle,
                summary: "上传已签署的承诺书、授权书等照片（属地村的民生专员；JPEG 或 PNG，按内容判断，每张不超过 3 MiB，base64）",
                body: .json(CaseSchemas.photos),
                maximumBody: CaseSchemas.photoBodyBytes,
                replies: [
                    .created(.output(required: ["photos": .array(.text)]), "已保存：各照片的 SHA-256"),
                    .invalid("不是 JPEG 或 PNG、过大、为空，或不在属地村上传"),
                    .refused(.notFound, "本节点没有此案件"),
                ], pathSchemas: ["id": CaseSchemas.caseID])
        ) { guarded in
            let body = try guarded.json(PhotoBody.self)
            var photos: [Data] = []
            for (position, text) in body.photos.enumerated() {
                guard let data = Data(base64Encoded: text) else {
                    throw InputError(field: "photos[\(position)]", "不是有效的 base64")
                }
                photos.append(data)
            }
            let hashes = try await cases.attach(photos, to: guarded.context.parameters.get("id") ?? "", by: guarded)
            return try JSONResponse(["photos": hashes], status: .created).response()
        }
        routes.add(
            .init(
                method: .get, path: "/api/v1/cases/:id/photos/:photo", kind: .api, access: read,
                summary: "案件的一张照片", auditsRead: true,
                replies: [
                    .init(status: .ok, description: "图片（image/jpeg 或 image/png）"),
                    .refused(.notFound, "本节点没有此案件或此照片（或照片尚未完整到达）"),
                ], pathSchemas: ["id": CaseSchemas.caseID, "photo": .string(pattern: "^[0-9a-f]{64}$")])
        ) { guarded in
            let photo = try await cases.photo(
                guarded.context.parameters.get("photo") ?? "", of: guarded.context.parameters.get("id") ?? "",
                for: guarded)
            return Response(
                status: .ok, headers: [.contentType: photo.type, .cacheControl: "private, max-age=86400"],
                body: .init(byteBuffer: ByteBuffer(bytes: photo.bytes)))
        }
        routes.add(
            .init(
                method: .get, path: "/api/v1/case-counts", kind: .api,
                access: .signedIn(.viewDivision, division: "division"),
                summary: "辖区内各下级单位未办结的环节数与逾期数",
                replies: [.ok(.array(CaseSchemas.count))],
                queryParameters: [
                    .init(
                        name: "division", description: "行政区划代码（缺省为本节点；须在本节点辖区内）",
                        schema: .divisionCodeOrBlank)
                ])
        ) { guarded in
            try JSONResponse(try await cases.counts(for: guarded)).response()
        }
        routes.add(
            .init(
                method: .post, path: "/api/v1/calendars", kind: .api, access: .signedIn(.publishPolicy),
                summary: "发布一年的工作日历（仅市级）：text 为日历文件（YAML）全文；发布后各级重算未办结环节的期限并留痕",
                body: .json(.lenientInput(required: ["text": .text])),
                replies: [
                    .created(CaseSchemas.calendarPublication, "已发布"),
                    .ok(CaseSchemas.calendarPublication, "此版本已发布过，内容相同"),
                    .invalid("日历文件校验不通过，error 指出行号"),
                ])
        ) { guarded in
            let body = try guarded.json(CalendarBody.self)
            let (year, isNew) = try await cases.publishCalendar(body.text, by: guarded)
            return try JSONResponse(
                ["year": String(year.year), "version": year.version, "new": isNew ? "true" : "false"],
                status: isNew ? .created : .ok
            ).response()
        }
    }
}
