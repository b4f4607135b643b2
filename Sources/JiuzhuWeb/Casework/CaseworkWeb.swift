import Foundation
import Hummingbird
import JiuzhuDomain
import JiuzhuPolicy
import JiuzhuRegistry
import JiuzhuServices
import JiuzhuStorage

/// What the casework pages and API do, in one place: the operator behind the request, who may
/// see which case, masking, and the answers to the services' refusals.
struct CaseworkWeb: Sendable {
    let environment: OperatorEnvironment
    var services: NodeServices { environment.context.services }
    var node: DivisionCode { environment.node.code }

    /// The queue's filters, from the query.
    struct ListParameters {
        var query: CaseQuery
        /// Only the overdue: `overdueAt` is set to the node's now when the list is read.
        var overdueOnly = false

        static let documentation: [OperatorRoute.QueryParameter] = [
            .init(
                name: "division", description: "行政区划代码（缺省为本节点辖区；须在本节点辖区内）", schema: .divisionCodeOrBlank),
            .init(
                name: "holder", description: "只列下一步由该层级办理的案件：village、township、county",
                schema: .enumeration(["", "village", "township", "county"])),
            .init(name: "overdue", description: "true：只列逾期的", schema: .enumeration(["", "true", "false"])),
            .init(name: "closed", description: "true：包括已办结的", schema: .enumeration(["", "true", "false"])),
            .init(name: "page", description: "页码，从 1 开始", schema: .integerText(1...10_000)),
        ]

        init(_ guarded: Guarded, node: DivisionCode) throws {
            query = CaseQuery(within: guarded.target ?? node)
            if let holder = guarded.query("holder"), !holder.isEmpty {
                guard let level = DivisionLevel(rawValue: holder), level != .city else {
                    throw InputError(field: "holder", "holder 应为 village、township 或 county")
                }
                query.holderLevel = level
            }
            switch guarded.query("overdue") ?? "" {
            case "", "false": break
            case "true": overdueOnly = true
            default: throw InputError(field: "overdue", "overdue 应为 true 或 false")
            }
            switch guarded.query("closed") ?? "" {
            case "", "false": break
            case "true": query.openOnly = false
            default: throw InputError(field: "closed", "closed 应为 true 或 false")
            }
            if let page = guarded.query("page"), !page.isEmpty {
                guard let number = Int(page), (1...10_000).contains(number) else {
                    throw InputError(field: "page", "页码应为 1 到 10000")
                }
                query.offset = (number - 1) * query.limit
            }
        }
    }

    /// The operator behind a request, as casework names them.
    func staff(_ guarded: Guarded) throws -> CaseOperator {
        guard let account = guarded.session?.account else {
            throw AccessRefusal(status: .unauthorized, message: "请先登录")
        }
        return CaseOperator(name: account.username, role: account.role, node: node)
    }

    func villageName(_ code: DivisionCode) -> String {
        environment.context.topology.node(code)?.name ?? code.digits
    }

    func apply(_ request: CaseService.ApplicationRequest, by guarded: Guarded) async throws -> CaseService.Opened {
        try await services.cases.apply(request, by: .staff(try staff(guarded)))
    }

    /// The household, as this node holds it; 404 for one it does not.
    func household(_ key: String) async throws -> HouseholdRecord {
        guard let stored = try await services.cases.registry.household(key),
            let record = try? HouseholdRecord(json: Data(stored.payload.utf8))
        else { throw HTTPError(.notFound, message: "本节点没有户编号为 \(key) 的家庭") }
        return record
    }

    func recordDeath(_ report: CaseService.DeathReport, in household: String, by guarded: Guarded) async throws
        -> CaseService.DeathRecorded
    {
        _ = try await self.household(household)
        return try await services.cases.recordDeath(report, in: household, by: try staff(guarded))
    }

    func openChange(_ report: CaseService.ChangeReport, in household: String, by guarded: Guarded) async throws
        -> CaseService.TaskOpened
    {
        _ = try await self.household(household)
        return try await services.cases.openChange(report, in: household, by: try staff(guarded))
    }

    func list(_ parameters: ListParameters, for guarded: Guarded) async throws -> [CaseListItem] {
        let now = environment.database.wallClock.now()
        var query = parameters.query
        if parameters.overdueOnly { query.overdueAt = now }
        return try await services.database.casework.summaries(query).map {
            CaseListItem($0, villageName: villageName($0.village), now: now)
        }
    }

    /// The case, if this node holds it and it lies in the operator's jurisdiction (or was taken here).
    func file(_ caseID: String) async throws -> CaseFile {
        guard let file = try await services.cases.file(caseID) else { throw notHeld(caseID) }
        try shown(file)
        return file
    }

    /// Refuses a case outside this node's jurisdiction that was not taken here, as if absent.
    func shown(_ file: CaseFile) throws {
        guard file.state.village.isWithin(node) || file.opened.takenAt == node.digits else {
            throw notHeld(file.opened.caseID)
        }
    }

    private func notHeld(_ caseID: String) -> HTTPError {
        HTTPError(.notFound, message: "本节点没有案件 \(caseID)")
    }

    func view(_ caseID: String, for guarded: Guarded) async throws -> CaseView {
        try view(try await file(caseID), for: guarded, current: try? await services.caseRules.current())
    }

    func view(_ file: CaseFile, for guarded: Guarded, current: CaseworkRulesService.Current?) throws -> CaseView {
        let role = guarded.session?.account.role
        return CaseView(
            file, current: current, viewer: try? staff(guarded),
            fullIDs: role.map { AccessPolicy.allows($0, .viewFullCitizenID) } ?? false,
            villageName: villageName(file.state.village), now: environment.database.wallClock.now())
    }

    func take(_ request: CaseService.StepRequest, on caseID: String, after: Int, by guarded: Guarded) async throws
        -> CaseView
    {
        let file = try await services.cases.take(
            request, on: caseID, after: after, by: try staff(guarded), shown: { try self.shown($0) })
        return try view(file, for: guarded, current: try? await services.caseRules.current())
    }

    func attach(_ photos: [Data], to caseID: String, by guarded: Guarded) async throws -> [String] {
        _ = try await file(caseID)
        return try await services.cases.attachPhotos(photos, to: caseID, by: try staff(guarded))
    }

    func photo(_ sha256: String, of caseID: String, for guarded: Guarded) async throws -> (type: String, bytes: Data) {
        _ = try await file(caseID)
        let rows = try await services.database.casework.rows(ofCase: caseID)
        guard let photo = CasePhotos.assemble(sha256, caseID: caseID, rows: rows) else {
            throw HTTPError(.notFound, message: "本节点没有这张照片，或照片尚未完整到达")
        }
        return photo
    }

    struct CountView: Encodable {
        let division: String
        let name: String
        let open: Int
        let overdue: Int
    }

    func counts(for guarded: Guarded) async throws -> [CountView] {
        let within = guarded.target ?? node
        return try await services.database.casework.counts(
            within: within, at: environment.database.wallClock.now()
        ).map { count in
            let code = try? DivisionCode(count.division)
            return CountView(
                division: count.division, name: code.map(villageName) ?? count.division, open: count.open,
                overdue: count.overdue)
        }
    }

    func publishCalendar(_ text: String, by guarded: Guarded) async throws -> (year: WorkingCalendar.Year, isNew: Bool)
    {
        try await services.caseRules.publishCalendar(text: text, file: "发布的日历文件", by: guarded.actor)
    }
}
