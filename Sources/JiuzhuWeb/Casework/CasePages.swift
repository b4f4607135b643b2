import Foundation
import Hummingbird
import JiuzhuDomain
import JiuzhuPolicy
import JiuzhuServices
import JiuzhuStorage

/// Casework's pages: the to-do list with counts by jurisdiction, the application form, the
/// case page with the steps the operator may take and the whole timeline, and the printable
/// public notice.
struct CasePages {
    let environment: OperatorEnvironment
    let cases: CaseworkWeb

    func register(_ routes: OperatorRoutes) {
        let handle = OperatorRoute.Access.signedIn(.handleCases)
        let read = OperatorRoute.Access.signedIn(.viewPersonalData)
        routes.add(.init(method: .get, path: "/cases", kind: .page, access: read, summary: "待办案件", auditsRead: true)) {
            guarded in
            try await todo(guarded)
        }
        routes.add(.init(method: .get, path: "/cases/new", kind: .page, access: handle, summary: "登记申请")) { guarded in
            environment.page(
                "caseForm", title: "登记申请", ApplicationForm(FormInput(ByteBuffer()), guarded: guarded, cases: cases),
                session: guarded.session)
        }
        routes.add(.init(method: .post, path: "/cases/new", kind: .page, access: handle, summary: "登记申请：保存")) {
            guarded in
            let form = ApplicationForm(guarded.form, guarded: guarded, cases: cases)
            do {
                let opened = try await cases.apply(try form.request(), by: guarded)
                return OperatorEnvironment.redirect(
                    "/cases/\(opened.caseID)?message=\(opened.message.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
                )
            } catch let error as InputError {
                var refused = form
                refused.message = error.description
                return environment.page(
                    "caseForm", title: "登记申请", refused, session: guarded.session, status: .badRequest)
            }
        }
        routes.add(
            .init(method: .get, path: "/cases/:id", kind: .page, access: read, summary: "案件详情", auditsRead: true)
        ) { guarded in
            try await detail(
                guarded, caseID: guarded.context.parameters.get("id") ?? "", message: guarded.query("message"))
        }
        routes.add(
            .init(method: .post, path: "/cases/:id/steps", kind: .page, access: handle, summary: "办理环节")
        ) { guarded in
            let caseID = guarded.context.parameters.get("id") ?? ""
            do {
                let (request, after) = try StepForm.request(guarded.form)
                _ = try await cases.take(request, on: caseID, after: after, by: guarded)
                return OperatorEnvironment.redirect("/cases/\(caseID)")
            } catch let error as InputError {
                return try await detail(guarded, caseID: caseID, message: error.description, status: .badRequest)
            } catch let error as CaseRefusal {
                return try await detail(guarded, caseID: caseID, message: error.description, status: .conflict)
            } catch let error as CaseConflict {
                return try await detail(guarded, caseID: caseID, message: error.description, status: .conflict)
            }
        }
        routes.add(
            .init(
                method: .get, path: "/cases/:id/notice", kind: .page, access: read, summary: "公示（打印）",
                auditsRead: true)
        ) { guarded in
            try await notice(guarded, caseID: guarded.context.parameters.get("id") ?? "")
        }
    }

    // MARK: The to-do list

    struct TodoView {
        let heading: String
        let canApply: Bool
        let counts: [CaseworkWeb.CountView]
        let scopes: [FormChoice]
        let overdueOnly: Bool
        let items: [CaseListItem]
    }

    /// What the operator may act on now (their role holds the step the case waits for), or the
    /// whole jurisdiction's open cases.
    private func todo(_ guarded: Guarded) async throws -> Response {
        let staff = try cases.staff(guarded)
        let scope = guarded.query("scope") ?? "mine"
        var query = CaseQuery(within: environment.node.code, limit: 500)
        let overdueOnly = guarded.query("overdue") == "true"
        let now = environment.database.wallClock.now()
        if overdueOnly { query.overdueAt = now }
        if scope == "mine" { query.holderLevel = environment.node.role }
        var rows = try await environment.database.casework.summaries(query)
        if scope == "mine" {
            rows = rows.filter { row in
                guard let stage = CaseStage(rawValue: row.stage) else { return false }
                return CaseWorkflow.holders(ofStage: stage, decisionLevel: row.holderLevel ?? .county).contains(
                    CaseHolder(staff.actor.role, at: staff.actor.node.level))
            }
        }
        let view = TodoView(
            heading: scope == "mine" ? "我的待办（逾期的在前）" : "辖区内的案件",
            canApply: AccessPolicy.allows(staff.actor.role, .handleCases),
            counts: try await cases.counts(for: guarded),
            scopes: FormChoice.list([("mine", "我的待办"), ("all", "辖区全部未办结")], selected: scope),
            overdueOnly: overdueOnly,
            items: rows.map { CaseListItem($0, villageName: cases.villageName($0.village), now: now) })
        return environment.page("cases", title: "待办案件", view, session: guarded.session)
    }

    // MARK: A case

    struct DetailView {
        struct Photos {
            let caseID: String
            let items: [CaseView.PhotoView]
            let canUpload: Bool
            let csrf: String
        }

        let message: String?
        let view: CaseView?
        let photos: Photos?
        let forms: [StepForm]
    }

    private func detail(
        _ guarded: Guarded, caseID: String, message: String?, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let view = try await cases.view(caseID, for: guarded)
        let staff = try cases.staff(guarded)
        let csrf = guarded.session?.csrfToken ?? ""
        let stage = CaseStage(rawValue: view.stage)
        let forms = view.allowedSteps.compactMap { CaseActionKind(rawValue: $0) }.map {
            StepForm(kind: $0, view: view, csrf: csrf)
        }
        let photos = DetailView.Photos(
            caseID: caseID, items: view.photos,
            canUpload: staff.actor.role == .villageSpecialist && environment.node.code.digits == view.village
                && stage?.isClosed == false,
            csrf: csrf)
        return environment.page(
            "caseDetail", title: "案件 \(caseID)",
            DetailView(message: message, view: view, photos: photos, forms: forms), session: guarded.session,
            status: status)
    }

    // MARK: The public notice

    struct NoticeView {
        let caseID: String
        let name: String
        let citizenID: String
        let villageName: String
        let programme: String
        let amount: String?
        let postedOn: String
        let endsOn: String
    }

    private func notice(_ guarded: Guarded, caseID: String) async throws -> Response {
        let file = try await cases.file(caseID)
        let current = try await environment.context.services.caseRules.current()
        let clocks = current.clocks(for: file.state.village)
        guard let posted = file.state.noticePostedOn, let ends = file.state.noticeEndsOn(clocks: clocks) else {
            throw HTTPError(.notFound, message: "案件 \(caseID) 不在公示期")
        }
        let programme = file.programme
        let candidate = file.opened.candidates.first { $0.programme == programme && $0.eligible }
        let view = NoticeView(
            caseID: caseID, name: file.opened.applicant.name,
            citizenID: CitizenIDMask.masked(file.opened.applicant.citizenID),
            villageName: cases.villageName(file.state.village), programme: programme?.chineseName ?? "社会救助",
            amount: candidate.map { "\($0.amount.yuanText) 元（\($0.period)）" }, postedOn: posted.description,
            endsOn: ends.description)
        return environment.page("caseNotice", title: "公示", view, session: guarded.session)
    }
}

/// The form of one step on the case page, and reading it back.
struct StepForm {
    let kind: String
    let name: String
    let caseID: String
    let after: Int
    let csrf: String
    let isAccept: Bool
    let isInvestigation: Bool
    let isDecide: Bool
    let isPayFirst: Bool
    let needsReason: Bool
    let reasonRequired: Bool
    let hasNote: Bool
    let programmes: [FormChoice]
    let outcomes: [FormChoice]

    init(kind: CaseActionKind, view: CaseView, csrf: String) {
        self.kind = kind.rawValue
        name = kind.chineseName
        caseID = view.caseID
        after = view.lastStep
        self.csrf = csrf
        isAccept = kind == .accept
        isInvestigation = kind == .recordInvestigation
        isDecide = kind == .decide
        isPayFirst = kind == .payFirst
        reasonRequired = kind.needsReason
        needsReason = kind.needsReason || kind == .decide
        hasNote = [.recordAppraisal, .recordCheck, .recordReview, .startCheck, .closeNotice, .serveRefusal].contains(
            kind)
        let eligible = view.candidates.filter(\.eligible).map(\.programme)
        let ordered = eligible + Programme.ordered.filter { !eligible.contains($0) }
        programmes = FormChoice.list(
            ordered.map { ($0.rawValue, $0.chineseName + (eligible.contains($0) ? "（筛查符合）" : "")) },
            selected: view.programme ?? eligible.first?.rawValue ?? "")
        let kindOfCase = CaseKind(rawValue: view.kind) ?? .application
        outcomes = FormChoice.list(kindOfCase.outcomes.map { ($0.rawValue, $0.chineseName) }, selected: "")
    }

    /// The step a posted form asks for, and the last step its page showed.
    static func request(_ form: FormInput) throws -> (CaseService.StepRequest, Int) {
        guard let kind = form["kind"].flatMap(CaseActionKind.init(rawValue:)) else {
            throw InputError(field: "kind", "未知的办理事项")
        }
        guard let after = form["after"].flatMap({ Int($0) }), (0...CaseworkStore.maximumSteps).contains(after) else {
            throw InputError(field: "after", "页面已过期，请刷新后再办理")
        }
        func text(_ name: String) -> String? {
            let value = form[name]?.trimmingCharacters(in: .whitespacesAndNewlines)
            return value?.isEmpty == false ? value : nil
        }
        var request = CaseService.StepRequest(kind, reason: text("reason"), note: text("note"))
        if let programme = text("programme") {
            guard let value = Programme(rawValue: programme) else { throw InputError(field: "programme", "未知的救助项目") }
            request.programme = value
        }
        if let outcome = text("outcome") {
            guard let value = DecisionOutcome(rawValue: outcome) else { throw InputError(field: "outcome", "未知的决定") }
            request.outcome = value
        }
        if let months = text("gradualExitMonths") {
            guard let value = Int(months), (1...TimeLimit.maximumCount).contains(value) else {
                throw InputError(field: "gradualExitMonths", "渐退月数应为正整数")
            }
            request.gradualExitMonths = value
        }
        if let amount = text("paidFirst") {
            do { request.paidFirst = try Fen(yuan: amount) } catch {
                throw InputError(field: "paidFirst", "金额“\(amount)”无效：应为元，最多两位小数")
            }
        }
        if kind == .recordInvestigation {
            request.investigation = InvestigationRecord(
                investigators: ["investigator1", "investigator2", "investigator3"].compactMap(text),
                commitmentSigned: form["commitmentSigned"] == "true",
                authorisationSigned: form["authorisationSigned"] == "true", findings: text("findings") ?? "")
        }
        return (request, after)
    }
}

/// The application form, kept as typed so a refused form comes back as it was.
struct ApplicationForm {
    let csrf: String
    let name: String
    let citizenID: String
    let phone: String
    let situation: String
    let emergency: Bool
    let programmes: [FormChoice]
    let villages: [FormChoice]
    let form: CalculatorForm
    var message: String?
    private let input: FormInput

    init(_ input: FormInput, guarded: Guarded, cases: CaseworkWeb) {
        self.input = input
        csrf = guarded.session?.csrfToken ?? ""
        func text(_ name: String) -> String { (input[name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
        name = text("name")
        citizenID = text("citizenID")
        phone = text("phone")
        situation = text("situation")
        emergency = input["emergency"] == "true"
        programmes = FormChoice.list(
            [("", "不确定（由系统按全部项目筛查）")] + Programme.ordered.map { ($0.rawValue, $0.chineseName) },
            selected: text("programme"))
        let own = cases.environment.node.code
        let villageNodes = cases.environment.context.topology.nodes.filter { $0.role == .village }
        // The node's own villages first: most applications are about them.
        let ordered = villageNodes.filter { $0.code.isWithin(own) } + villageNodes.filter { !$0.code.isWithin(own) }
        villages = FormChoice.list(
            [("", "（已登记的家庭不必选择）")] + ordered.map { ($0.code.digits, "\($0.name) \($0.code.digits)") },
            selected: text("village"))
        form =
            input["m1.birthDate"] == nil
            ? CalculatorForm.blank(date: cases.environment.today) : CalculatorForm(input)
    }

    /// The application the form describes; the declared household only when a village is chosen.
    func request() throws -> CaseService.ApplicationRequest {
        let village = input["village"].flatMap { $0.isEmpty ? nil : $0 }
        var declared: HouseholdSituation?
        if village != nil { declared = try form.situation().0 }
        let programme = input["programme"].flatMap { Programme(rawValue: $0) }
        return CaseService.ApplicationRequest(
            applicant: CaseApplicant(name: name, citizenID: citizenID, phone: phone.isEmpty ? nil : phone),
            situation: situation, village: village, declared: declared, programme: programme, emergency: emergency)
    }
}
