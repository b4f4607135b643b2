import Foundation
import Hummingbird
import JiuzhuDomain
import JiuzhuPolicy
import JiuzhuRegistry
import JiuzhuServices
import JiuzhuStorage

/// The registry's pages: search with export, a household with its profile and history,
/// and the duplicate registrations the node can see.
struct RegistryPages {
    let environment: OperatorEnvironment
    let registry: RegistryService

    func register(_ routes: OperatorRoutes) {
        let edit = OperatorRoute.Access.signedIn(.editRegistry)
        routes.add(.init(method: .get, path: "/households/new", kind: .page, access: edit, summary: "登记家庭")) {
            guarded in
            environment.page(
                "householdForm", title: "登记家庭",
                HouseholdForm(FormInput(ByteBuffer()), csrf: guarded.session?.csrfToken ?? ""), session: guarded.session
            )
        }
        routes.add(.init(method: .post, path: "/households/new", kind: .page, access: edit, summary: "登记家庭：保存")) {
            guarded in
            let form = HouseholdForm(guarded.form, csrf: guarded.session?.csrfToken ?? "")
            do {
                let record = try form.record(village: environment.node.code, today: environment.today)
                let saved = try await registry.create(record, by: guarded)
                return OperatorEnvironment.redirect("/households/\(saved.id)")
            } catch let error as InputError {
                return refused(form, guarded, error.description)
            } catch let error as RegistryInputError {
                return refused(form, guarded, error.description)
            }
        }
        let readIn = OperatorRoute.Access.signedIn(.viewPersonalData, division: "division")
        let read = OperatorRoute.Access.signedIn(.viewPersonalData, division: "id")
        routes.add(.init(method: .get, path: "/search", kind: .page, access: readIn, summary: "检索家庭", auditsRead: true))
        {
            guarded in
            let parameters = try SearchParameters(guarded, today: environment.today)
            let result = try await registry.search(parameters, for: guarded)
            let setAside = try await registry.setAside(for: guarded)
            return environment.page(
                "search", title: "检索家庭", searchView(guarded, parameters, result, setAside: setAside),
                session: guarded.session)
        }
        routes.add(
            .init(method: .get, path: "/households/:id", kind: .page, access: read, summary: "家庭详情", auditsRead: true)
        ) {
            guarded in
            let id = guarded.context.parameters.get("id") ?? ""
            let view = try await registry.view(id: id, for: guarded)
            let history = try await registry.history(id: id, for: guarded)
            let eligible = try await eligibility(view.household.record)
            let excluded = Set(
                (try? await registry.policy.current()?.calculator.snapshot(on: environment.today))?.incomeNotCounted
                    ?? [])
            var page = HouseholdPage(view, history: history, eligible: eligible, excludedIncome: excluded)
            page.dynamic = try await dynamicManagement(id, village: view.household.record.village, for: guarded)
            return environment.page("household", title: "家庭 \(id)", page, session: guarded.session)
        }
        routes.add(
            .init(
                method: .get, path: "/duplicates", kind: .page, access: .signedIn(.viewPersonalData), summary: "重复登记",
                auditsRead: true)
        ) { guarded in
            struct View {
                let duplicates: [DuplicateRegistration]
                let count: Int
            }
            let duplicates = try await registry.duplicates(for: guarded)
            return environment.page(
                "duplicates", title: "重复登记", View(duplicates: duplicates, count: duplicates.count),
                session: guarded.session)
        }
    }

    private func refused(_ form: HouseholdForm, _ guarded: Guarded, _ message: String) -> Response {
        environment.page(
            "householdForm", title: "登记家庭", HouseholdForm(guarded.form, csrf: form.csrf, message: message),
            session: guarded.session, status: .badRequest)
    }

    /// The household's dynamic management, for an operator who handles cases at its village:
    /// the programmes it receives by decision, and the forms for a death, a change or an exit.
    private func dynamicManagement(_ id: String, village: DivisionCode, for guarded: Guarded) async throws
        -> HouseholdPage.Dynamic?
    {
        guard let role = guarded.session?.account.role, AccessPolicy.allows(role, .handleCases),
            village == environment.node.code
        else { return nil }
        let received = try await environment.context.services.cases.receivedProgrammes(of: id)
        return HouseholdPage.Dynamic(
            id: id, received: received.isEmpty ? "无" : received.map(\.chineseName).joined(separator: "、"))
    }

    /// What the calculator says of the household today, beside what it is enrolled in.
    private func eligibility(_ record: HouseholdRecord) async throws -> String? {
        guard let current = try await registry.policy.current(),
            let result = try? current.calculator.evaluate(record.situation, on: environment.today)
        else { return nil }
        let eligible = result.eligible.programmes.map(\.chineseName)
        let missing = result.eligible.programmes.filter { !record.enrolments.contains($0) }.map(\.chineseName)
        let lapsed = record.enrolments.filter { !result.eligible.contains($0) }.map(\.chineseName)
        var text =
            "按政策 \(current.calculator.version) 测算，今日符合：\(eligible.isEmpty ? "无" : eligible.joined(separator: "、"))。"
        if !missing.isEmpty { text += "应助未助：\(missing.joined(separator: "、"))。" }
        if !lapsed.isEmpty { text += "已不再符合：\(lapsed.joined(separator: "、"))。" }
        return text
    }

    private func searchView(
        _ guarded: Guarded, _ parameters: SearchParameters, _ result: RegistryService.SearchResult,
        setAside: [RegistryService.SetAsideView]
    ) -> SearchPage {
        let own = environment.node.code
        let query = guarded.request.uri.query ?? ""
        let pages = max(1, (result.total + parameters.query.limit - 1) / parameters.query.limit)
        func link(page: Int) -> String {
            var items = (URLComponents(string: "?" + query)?.queryItems ?? []).filter { $0.name != "page" }
            items.append(URLQueryItem(name: "page", value: String(page)))
            var components = URLComponents()
            components.path = "/search"
            components.queryItems = items
            return components.string ?? "/search"
        }
        return SearchPage(
            divisions: environment.context.topology.nodes.filter { $0.code.isWithin(own) }.map {
                SearchPage.Choice(
                    value: $0.code.digits, label: "\($0.name) \($0.code.digits)",
                    selected: guarded.query("division") == $0.code.digits)
            },
            programmes: Programme.allCases.map {
                SearchPage.Choice(
                    value: $0.rawValue, label: $0.chineseName, selected: guarded.query("programme") == $0.rawValue)
            },
            tags: ProfileTag.allCases.map {
                SearchPage.Choice(
                    value: $0.rawValue, label: $0.chineseName, selected: guarded.query("tag") == $0.rawValue)
            },
            minIncome: guarded.query("minIncome") ?? "", maxIncome: guarded.query("maxIncome") ?? "",
            minAge: guarded.query("minAge") ?? "", maxAge: guarded.query("maxAge") ?? "",
            minGrade: guarded.query("minGrade") ?? "", maxGrade: guarded.query("maxGrade") ?? "",
            illness: guarded.query("illness") == "true", total: result.total, page: parameters.page, pages: pages,
            rows: result.households.map {
                SearchPage.Row(
                    id: $0.id,
                    village: (try? DivisionCode($0.village)).flatMap { environment.context.topology.node($0)?.name }
                        ?? $0.village,
                    applicant: $0.applicant, members: $0.memberCount, income: Fen($0.perCapitaIncome).yuanText,
                    programmes: $0.programmes.compactMap { Programme(rawValue: $0)?.chineseName }.joined(
                        separator: "、"),
                    tags: $0.tags.compactMap { ProfileTag(rawValue: $0)?.chineseName }.joined(separator: "、"))
            },
            previous: parameters.page > 1 ? link(page: parameters.page - 1) : nil,
            next: parameters.page < pages ? link(page: parameters.page + 1) : nil,
            export: "/api/v1/search.csv" + (query.isEmpty ? "" : "?" + query), setAside: setAside,
            hasSetAside: !setAside.isEmpty)
    }
}

/// The search page's view.
struct SearchPage {
    typealias Choice = FormChoice

    struct Row {
        let id: String
        let village: String
        let applicant: String
        let members: Int
        let income: String
        let programmes: String
        let tags: String
    }

    let divisions: [Choice]
    let programmes: [Choice]
    let tags: [Choice]
    let minIncome: String
    let maxIncome: String
    let minAge: String
    let maxAge: String
    let minGrade: String
    let maxGrade: String
    let illness: Bool
    let total: Int
    let page: Int
    let pages: Int
    let rows: [Row]
    let previous: String?
    let next: String?
    let export: String
    /// Households the indexer could not index, with the reason (not among the rows above).
    let setAside: [RegistryService.SetAsideView]
    let hasSetAside: Bool
}

/// The household page's view: plain strings for the template.
struct HouseholdPage {
    struct Member {
        let name: String
        let citizenID: String
        let sex: String
        /// The birth date, or the age for roles that do not see full IDs.
        let birth: String
        let relation: String
        let health: String
        let work: String
        let phone: String
    }

    struct Version {
        let version: Int64
        let writtenAt: String
        let changedBy: String
        let node: String
    }

    let id: String
    let version: Int64
    let address: String
    let registration: String
    let village: String
    /// "出生日期", or "年龄" where the role sees ages instead.
    let birthHeader: String
    let members: [Member]
    let incomes: [String]
    let assets: String
    let expenditures: [String]
    let supporters: [String]
    let enrolments: String
    let tags: [HouseholdProfile.Reason]
    let perCapitaIncome: String
    let duplicates: [DuplicateRegistration]
    let hasDuplicates: Bool
    let hasSupporters: Bool
    let eligibility: String?
    let history: [Version]
    /// Deaths, changes and exits, where the operator handles the household's cases.
    var dynamic: Dynamic?

    /// The dynamic-management section: what the household receives by decision, and the links.
    struct Dynamic {
        let id: String
        let received: String
    }

    init(
        _ view: RegistryService.HouseholdView, history: [RegistryService.VersionView], eligible: String?,
        excludedIncome: Set<IncomeType>
    ) {
        let record = view.household.record
        id = view.id
        version = view.version
        address = record.address
        registration = record.registration == .urban ? "城镇" : "农村"
        village = record.village.digits
        birthHeader = view.household.showsBirthDates ? "出生日期" : "年龄"
        let shown = view.household
        members = record.members.map { member in
            var health: [String] = []
            if let disability = member.disability {
                health.append("\(disability.category.chineseName) \(disability.grade) 级")
            }
            if member.seriousIllness { health.append("重病") }
            if member.leftBehind { health.append("留守") }
            return Member(
                name: member.name, citizenID: member.citizenID, sex: member.sex == .male ? "男" : "女",
                birth: shown.birth(of: member), relation: member.relation.chineseName,
                health: health.isEmpty ? "—" : health.joined(separator: "、"),
                work: member.ableToWork ? member.employment.chineseName : "无劳动能力", phone: member.phone ?? "")
        }
        incomes = record.incomes.map {
            "\($0.type.chineseName) 每月 \($0.monthly)\($0.irregular ? "（不固定）" : "")"
                + "\(excludedIncome.contains(IncomeType($0.type)) ? "（按政策不计入收入）" : "")，\($0.declaredOn) 申报"
        }
        assets = "存款 \(record.assets.deposits)；机动车 \(record.assets.vehicles.count) 辆；住房 \(record.assets.housingUnits) 套"
        expenditures = record.expenditures.map { "\($0.type.chineseName)（近 12 个月）\($0.last12Months)" }
        supporters = record.supporters.map {
            "\($0.name)（\($0.relation.chineseName)，\($0.ableToSupport ? "有" : "无")赡养能力）"
        }
        enrolments = record.enrolments.isEmpty ? "无" : record.enrolments.map(\.chineseName).joined(separator: "、")
        tags = view.profile?.tags ?? []
        perCapitaIncome = view.profile.map { $0.perCapitaIncome.description } ?? "—"
        duplicates = view.alsoRegisteredIn
        hasDuplicates = !duplicates.isEmpty
        hasSupporters = !supporters.isEmpty
        eligibility = eligible
        self.history = history.reversed().map {
            Version(version: $0.version, writtenAt: $0.writtenAt, changedBy: $0.changedBy ?? "—", node: $0.node)
        }
    }
}
