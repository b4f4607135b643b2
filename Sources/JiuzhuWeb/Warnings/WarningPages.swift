import Foundation
import HTTPTypes
import Hummingbird
import JiuzhuDomain
import JiuzhuPolicy
import JiuzhuRegistry
import JiuzhuServices
import JiuzhuStorage

/// The warning platform's pages: the list at every level (at the village, the phone's to-do
/// list of warnings to verify), a warning with its evidence and, at its village, the two
/// answers; at the city, the rules with their monthly outcomes and a dry run of each.
struct WarningPages {
    let environment: OperatorEnvironment
    let warnings: WarningsWeb

    func register(_ routes: OperatorRoutes) {
        let read = OperatorRoute.Access.signedIn(.viewPersonalData)
        routes.add(.init(method: .get, path: "/warnings", kind: .page, access: read, summary: "预警", auditsRead: true)) {
            guarded in
            try await list(guarded)
        }
        routes.add(
            .init(method: .get, path: "/warnings/:key", kind: .page, access: read, summary: "预警详情", auditsRead: true)
        ) { guarded in
            try await detail(guarded, message: guarded.query("message"))
        }
        routes.add(
            .init(
                method: .post, path: "/warnings/:key/verification", kind: .page, access: .signedIn(.handleCases),
                summary: "核实预警")
        ) { guarded in
            let key = guarded.context.parameters.get("key") ?? ""
            let form = guarded.form
            do {
                _ = try await warnings.view(key, for: guarded)
                let request = WarningService.VerificationRequest(
                    outcome: form["outcome"] == "confirmed" ? .confirmed : .dismissed,
                    reason: form["outcome"] == "confirmed"
                        ? nil : form["reason"].flatMap(DismissalReason.init(rawValue:)),
                    note: form["note"], generation: form["generation"].flatMap(Int.init))
                let verified = try await warnings.services.warnings.verify(
                    key, request, by: try warnings.staff(guarded))
                let target = verified.caseIDs.first.map { "/cases/\($0)" } ?? "/warnings/\(key)"
                return OperatorEnvironment.redirect(target + "?message=" + HouseholdCasePages.encoded(verified.message))
            } catch let error as InputError {
                return try await detail(guarded, message: error.description, status: .badRequest)
            } catch let error as WarningChanged {
                return try await detail(guarded, message: error.description, status: .conflict)
            } catch let error as CaseAlreadyOpen {
                return try await detail(guarded, message: error.description, status: .conflict)
            }
        }
        guard environment.node.role == .city else { return }
        let analyse = OperatorRoute.Access.signedIn(.analyse)
        routes.add(.init(method: .get, path: "/warning-rules", kind: .page, access: analyse, summary: "预警规则")) {
            guarded in
            environment.page(
                "warningRules", title: "预警规则",
                RulesPage(rules: try await warnings.rules(), csrf: guarded.session?.csrfToken ?? ""),
                session: guarded.session)
        }
        routes.add(
            .init(method: .post, path: "/warning-rules/:rule/dry-run", kind: .page, access: analyse, summary: "试运行预警规则")
        ) { guarded in
            guard let rule = WarningRule(rawValue: guarded.context.parameters.get("rule") ?? "") else {
                throw HTTPError(.notFound, message: "没有这条预警规则")
            }
            let run = try await warnings.services.warnings.dryRun(rule)
            let full = guarded.session.map { AccessPolicy.allows($0.account.role, .viewFullCitizenID) } ?? false
            return environment.page(
                "warningDryRun", title: "试运行 · \(rule.chineseName)", DryRunPage(run, full: full, web: warnings),
                session: guarded.session)
        }
    }

    // MARK: The list

    struct ListPage {
        let items: [WarningsWeb.ListItem]
        let statuses: [FormChoice]
        let rules: [FormChoice]
        let overdueOnly: Bool
        let isCity: Bool
        let heading: String
    }

    private func list(_ guarded: Guarded) async throws -> Response {
        let query = try warnings.query(guarded)
        let items = try await warnings.items(query)
        let page = ListPage(
            items: items,
            statuses: FormChoice.list(
                [("", "全部状态"), ("open", "待核实"), ("confirmed", "核实属实"), ("dismissed", "不属实或无需处理")],
                selected: query.status ?? ""),
            rules: FormChoice.list(
                [("", "全部规则")] + WarningRule.allCases.map { ($0.rawValue, $0.chineseName) }, selected: query.rule ?? ""),
            overdueOnly: query.dueBefore != nil, isCity: environment.node.role == .city,
            heading: environment.node.role == .village ? "待核实的预警" : "辖区内的预警")
        return environment.page("warnings", title: "预警", page, session: guarded.session)
    }

    // MARK: A warning

    struct DetailPage {
        struct Record {
            let feedName: String
            let recordID: String
            let citizenID: String
            let name: String
            let date: String
            let facts: String
        }

        let key: String
        let ruleName: String
        let summary: String
        let statusName: String
        let open: Bool
        let overdue: Bool
        let household: String
        let villageName: String
        let raisedOn: String
        let dueOn: String
        let provisional: Bool
        let escalation: String
        let generation: Int
        let actionName: String
        let programmes: String
        let condition: String
        let facts: [WarningEvidence.Fact]
        let records: [Record]
        let parameters: [ResolvedParameter]
        let policyVersion: String
        let verification: String?
        let caseIDs: [String]
        /// The village's operator may answer.
        let canVerify: Bool
        let reasons: [FormChoice]
        let csrf: String
        let message: String?

        // Mustache sees stored properties only.
        let hasCases: Bool
        let hasRecords: Bool
        let hasParameters: Bool
    }

    private func detail(_ guarded: Guarded, message: String?, status: HTTPResponse.Status = .ok) async throws
        -> Response
    {
        let key = guarded.context.parameters.get("key") ?? ""
        let view = try await warnings.view(key, for: guarded)
        let warning = view.warning
        let canVerify =
            view.status == "open" && environment.node.role == .village
            && (guarded.session.map { AccessPolicy.allows($0.account.role, .handleCases) } ?? false)
        let verification = view.verification.map { answer in
            "\(answer.verifiedOn) \(answer.verifiedBy)："
                + (answer.outcome == .confirmed ? "核实属实" : answer.reason?.chineseName ?? "不属实")
                + (answer.note.map { "（\($0)）" } ?? "")
        }
        let page = DetailPage(
            key: key, ruleName: warning.rule.chineseName, summary: warning.summary,
            statusName: WarningsWeb.statusName(view.status), open: view.status == "open", overdue: view.overdue,
            household: warning.household, villageName: warnings.villageName(warning.village),
            raisedOn: warning.raisedOn.description, dueOn: warning.dueOn?.description ?? "—",
            provisional: warning.dueProvisional,
            escalation: warning.escalation == .village ? "村（居）核实" : "已上报\(warning.escalation.shortName)级督办",
            generation: warning.generation, actionName: warning.action.chineseName,
            programmes: warning.programmes.isEmpty ? "—" : warning.programmes.map(\.chineseName).joined(separator: "、"),
            condition: warning.evidence.condition, facts: warning.evidence.facts,
            records: warning.evidence.records.map(Self.record), parameters: warning.evidence.parameters,
            policyVersion: warning.policyVersion, verification: verification, caseIDs: view.verification?.caseIDs ?? [],
            canVerify: canVerify,
            reasons: FormChoice.list(DismissalReason.allCases.map { ($0.rawValue, $0.chineseName) }, selected: ""),
            csrf: guarded.session?.csrfToken ?? "", message: message,
            hasCases: view.verification?.caseIDs.isEmpty == false,
            hasRecords: !warning.evidence.records.isEmpty, hasParameters: !warning.evidence.parameters.isEmpty)
        return environment.page("warningDetail", title: "预警 \(key)", page, session: guarded.session, status: status)
    }

    /// A department record in words.
    static func record(_ record: FeedRecord) -> DetailPage.Record {
        let facts: String
        switch record.facts {
        case .death(let certificate): facts = "死亡" + (certificate.map { "，证明编号 \($0)" } ?? "")
        case .employment(let employer, let wage, let base):
            facts = "\(employer)，月工资 \(wage)" + (base.map { "，缴费基数 \($0)" } ?? "")
        case .medical(let total, let paid, let serious, let diagnosis):
            facts = "医疗总费用 \(total)，个人自付 \(paid)" + (serious ? "，大病" : "") + (diagnosis.map { "，\($0)" } ?? "")
        case .disability(let category, let grade): facts = "\(category.chineseName)\(grade)级"
        case .schooling(let event, let level, let school):
            facts = "\(level.chineseName)\(event.chineseName)" + (school.map { "，\($0)" } ?? "")
        case .property(let kind, let description, let value):
            facts = "\(kind.chineseName)：\(description)" + (value.map { "，价值 \($0)" } ?? "")
        case .business(let name, let capital, let active):
            facts = "\(name)" + (capital.map { "，注册资本 \($0)" } ?? "") + (active ? "，存续" : "，已注销")
        case .disaster(let event, let kind, let loss):
            facts = "\(kind)（灾情 \(event)）" + (loss.map { "，损失 \($0)" } ?? "")
        }
        return DetailPage.Record(
            feedName: record.feed.chineseName, recordID: record.recordID, citizenID: record.citizenID,
            name: record.name ?? "", date: record.date.description, facts: facts)
    }

    // MARK: The rules

    struct RulesPage {
        let rules: [WarningsWeb.RuleView]
        let csrf: String
    }

    struct DryRunPage {
        struct County {
            let code: String
            let name: String
            let count: Int
        }

        struct Sample {
            let household: String
            let villageName: String
            let summary: String
            let condition: String
        }

        let ruleName: String
        let enabled: Bool
        let total: Int
        let new: Int
        let counties: [County]
        let samples: [Sample]

        init(_ run: WarningService.DryRun, full: Bool, web: WarningsWeb) {
            ruleName = run.rule.chineseName
            enabled = run.enabled
            total = run.total
            new = run.new
            counties = run.byCounty.sorted { $0.key < $1.key }.map {
                County(code: $0.key, name: web.villageName($0.key), count: $0.value)
            }
            samples = run.sample.map {
                Sample(
                    household: $0.household, villageName: web.villageName($0.village),
                    summary: full ? $0.summary : CitizenIDMask.maskingNumbers(in: $0.summary),
                    condition: $0.evidence.condition)
            }
        }
    }
}
