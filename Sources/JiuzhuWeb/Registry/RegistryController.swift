import Foundation
import HTTPTypes
import Hummingbird
import JiuzhuDomain
import JiuzhuFederation
import JiuzhuPolicy
import JiuzhuRegistry
import JiuzhuStorage
import NIOCore

/// The registry through the API: households created and changed at their village, read at
/// every level above, with their history, profile, duplicates and search.
struct RegistryController {
    let environment: OperatorEnvironment
    let registry: RegistryService

    /// The body of `PUT /api/v1/households/{id}`: the version read, and the new record.
    struct Update: Decodable {
        let version: Int64
        let household: HouseholdRecord
    }

    func register(_ routes: OperatorRoutes) {
        let edit = OperatorRoute.Access.signedIn(.editRegistry)
        let read = OperatorRoute.Access.signedIn(.viewPersonalData, division: "id")
        let readIn = OperatorRoute.Access.signedIn(.viewPersonalData, division: "division")
        let village = environment.node.role == .village ? environment.node.code : nil
        // A village changes only its own households; elsewhere no household number is its own.
        let ownHousehold =
            village.map { JSONSchema.string(pattern: "^\($0.digits)-[0-9A-Za-z]{1,32}$") } ?? .householdID
        let withinDivision = OperatorRoute.QueryParameter(
            name: "division", description: "行政区划代码（缺省为本节点辖区；须在本节点辖区内）", schema: .divisionCodeOrBlank)
        routes.add(
            .init(
                method: .post, path: "/api/v1/households", kind: .api, access: edit,
                summary: "在本村（居）登记一户：成员、收入申报、财产、刚性支出、义务人、在保项目；返回户编号",
                body: .json(
                    RegistrySchemas.householdInput(village: village),
                    example: village.map(RegistrySchemas.householdExample)),
                replies: [
                    .created(RegistrySchemas.saved, "已登记：户编号与版本号"),
                    .invalid("违反模式之外的规则：身份证校验位、性别与出生日期须与号码一致、有且只有一名申请人、同一人不重复、日期不晚于今天；或本节点不是村（居）"),
                ])
        ) { guarded in
            let record = try HouseholdRecord(json: Data(buffer: guarded.body))
            let saved = try await registry.create(record, by: guarded)
            return try JSONResponse(saved, status: .created).response()
        }
        routes.add(
            .init(
                method: .put, path: "/api/v1/households/:id", kind: .api, access: edit,
                summary: "修改一户（须带上读取时的 version，防止覆盖他人的修改）",
                // The envelope is decoded leniently (other keys ignored); the household strictly.
                body: .json(
                    .lenientInput(required: [
                        "version": .integer().described("读取时的版本号"),
                        "household": RegistrySchemas.householdInput(village: village),
                    ])),
                replies: [
                    .ok(RegistrySchemas.saved, "已修改：新的版本号"),
                    .invalid("违反模式之外的规则（同登记）"),
                    .refused(.conflict, "该户不存在，或已被他人修改（version 不是当前版本）"),
                ], pathSchemas: ["id": ownHousehold])
        ) { guarded in
            let update = try guarded.json(Update.self)
            let saved = try await registry.update(
                id: guarded.context.parameters.get("id") ?? "", update.household, version: update.version, by: guarded)
            return try JSONResponse(saved).response()
        }
        routes.add(
            .init(
                method: .get, path: "/api/v1/households/:id", kind: .api, access: read,
                summary: "一户的当前记录、画像（标签及理由）、版本号与重复登记", auditsRead: true,
                replies: [.ok(RegistrySchemas.householdView), .refused(.notFound, "本节点没有此户")],
                pathSchemas: ["id": .householdID])
        ) { guarded in
            try JSONResponse(try await registry.view(id: guarded.context.parameters.get("id") ?? "", for: guarded))
                .response()
        }
        routes.add(
            .init(
                method: .get, path: "/api/v1/households/:id/history", kind: .api, access: read,
                summary: "一户记录的全部版本：谁、何时、在哪个节点修改", auditsRead: true,
                replies: [.ok(RegistrySchemas.history), .refused(.notFound, "本节点没有此户")],
                pathSchemas: ["id": .householdID])
        ) { guarded in
            try JSONResponse(try await registry.history(id: guarded.context.parameters.get("id") ?? "", for: guarded))
                .response()
        }
        routes.add(
            .init(
                method: .get, path: "/api/v1/people/:id", kind: .api, access: readIn,
                summary: "一个人（公民身份号码）所在的各户及其救助经历（在保项目的变化）", auditsRead: true,
                replies: [
                    .ok(RegistrySchemas.person),
                    .invalid("id 不是 18 位的公民身份号码"),
                    .refused(.notFound, "本节点辖区内没有登记此人（包括校验位或出生日期不成立、不可能登记的号码）"),
                ], queryParameters: [withinDivision], pathSchemas: ["id": .citizenID],
                // The member of the example household, which the document's POST example registers.
                examples: ["id": RegistrySchemas.exampleCitizenID])
        ) { guarded in
            try JSONResponse(try await registry.person(guarded.context.parameters.get("id") ?? "", for: guarded))
                .response()
        }
        routes.add(
            .init(
                method: .get, path: "/api/v1/search", kind: .api, access: readIn,
                summary: "在本节点辖区内检索家庭", auditsRead: true,
                replies: [.ok(RegistrySchemas.searchResult), .invalid("检索条件无效，field 指出参数")],
                queryParameters: SearchParameters.documentation)
        ) { guarded in
            try JSONResponse(
                try await registry.search(try SearchParameters(guarded, today: environment.today), for: guarded)
            ).response()
        }
        routes.add(
            .init(
                method: .get, path: "/api/v1/search.csv", kind: .api, access: readIn,
                summary: "检索结果导出为 CSV（UTF-8 带 BOM，Excel 可直接打开）", auditsRead: true,
                replies: [
                    .init(status: .ok, description: "CSV 文件", content: .csv), .invalid("检索条件无效，field 指出参数"),
                ], queryParameters: SearchParameters.documentation)
        ) { guarded in
            let bytes = try await registry.export(try SearchParameters(guarded, today: environment.today), for: guarded)
            return Response(
                status: .ok,
                headers: [
                    .contentType: "text/csv; charset=utf-8",
                    .contentDisposition: "attachment; filename=\"households.csv\"",
                ], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        }
        routes.add(
            .init(
                method: .get, path: "/api/v1/households-set-aside", kind: .api, access: readIn,
                summary: "索引时被搁置的家庭：记录无法解析或无法计算画像（如金额合计溢出），附原因；该户在后续版本可索引时移出此列表",
                replies: [
                    .ok(
                        .array(
                            .output(required: [
                                "id": .text, "village": .text, "reason": .text,
                                "setAsideAt": JSONSchema.text.described("搁置时间（北京时间）"),
                            ])))
                ],
                queryParameters: [
                    .init(
                        name: "division", description: "行政区划代码（缺省为本节点辖区；须在本节点辖区内）",
                        schema: .divisionCodeOrBlank)
                ])
        ) { guarded in
            try JSONResponse(try await registry.setAside(for: guarded)).response()
        }
        routes.add(
            .init(
                method: .get, path: "/api/v1/duplicates", kind: .api, access: .signedIn(.viewPersonalData),
                summary: "重复登记：同一公民身份号码出现在本节点持有的多户中", auditsRead: true,
                replies: [.ok(.array(RegistrySchemas.duplicate))])
        ) { guarded in
            try JSONResponse(try await registry.duplicates(for: guarded)).response()
        }
    }
}

extension HTTPField.Name {
    static let contentDisposition = HTTPField.Name("Content-Disposition")!
}
