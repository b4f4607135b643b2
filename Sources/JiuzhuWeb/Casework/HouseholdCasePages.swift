import Foundation
import HTTPTypes
import Hummingbird
import JiuzhuDomain
import JiuzhuPolicy
import JiuzhuRegistry
import JiuzhuServices
import JiuzhuStorage
import NIOCore

/// Dynamic management on the phone, from the household page at its village: a member's death,
/// and a change in the household's situation or its exit, each on its own short form. A form
/// that is refused comes back as typed, with the reason.
struct HouseholdCasePages {
    let environment: OperatorEnvironment
    let cases: CaseworkWeb

    func register(_ routes: OperatorRoutes) {
        let handle = OperatorRoute.Access.signedIn(.handleCases, division: "id")
        routes.add(
            .init(
                method: .get, path: "/households/:id/deaths", kind: .page, access: handle, summary: "登记家庭成员死亡",
                auditsRead: true)
        ) { guarded in
            try await deathPage(guarded, FormInput(ByteBuffer()), message: nil)
        }
        routes.add(
            .init(method: .post, path: "/households/:id/deaths", kind: .page, access: handle, summary: "登记家庭成员死亡：保存")
        ) { guarded in
            let id = guarded.context.parameters.get("id") ?? ""
            let form = guarded.form
            do {
                let report = CaseService.DeathReport(
                    citizenID: form["citizenID"] ?? "", diedOn: form["diedOn"] ?? "", note: form["note"])
                let recorded = try await cases.recordDeath(report, in: id, by: guarded)
                let target = recorded.rechecks.first.map { "/cases/\($0.caseID)" } ?? "/households/\(id)"
                return OperatorEnvironment.redirect(target + "?message=" + Self.encoded(recorded.message))
            } catch let error as InputError {
                return try await deathPage(guarded, form, message: error.description, status: .badRequest)
            } catch let error as CaseOpeningChanged {
                return try await deathPage(guarded, form, message: error.description, status: .conflict)
            }
        }
        routes.add(
            .init(
                method: .get, path: "/households/:id/changes", kind: .page, access: handle, summary: "家庭情况变化或退出",
                auditsRead: true)
        ) { guarded in
            try await changePage(guarded, FormInput(ByteBuffer()), message: nil)
        }
        routes.add(
            .init(
                method: .post, path: "/households/:id/changes", kind: .page, access: handle, summary: "家庭情况变化或退出：保存")
        ) { guarded in
            let id = guarded.context.parameters.get("id") ?? ""
            let form = guarded.form
            do {
                let opened = try await cases.openChange(try Self.changeReport(form), in: id, by: guarded)
                return OperatorEnvironment.redirect("/cases/\(opened.caseID)?message=" + Self.encoded(opened.message))
            } catch let error as InputError {
                return try await changePage(guarded, form, message: error.description, status: .badRequest)
            } catch let error as CaseAlreadyOpen {
                return try await changePage(guarded, form, message: error.description, status: .conflict)
            }
        }
    }

    static func encoded(_ message: String) -> String {
        message.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
    }

    /// The change a posted form asks for.
    static func changeReport(_ form: FormInput) throws -> CaseService.ChangeReport {
        guard let programme = form["programme"].flatMap(Programme.init(rawValue:)) else {
            throw InputError(field: "programme", "请选择该户正在享受的救助项目")
        }
        let exit: Bool
        switch form["type"] ?? "change" {
        case "change": exit = false
        case "exit": exit = true
        default: throw InputError(field: "type", "请选择家庭情况变化或退出")
        }
        return CaseService.ChangeReport(programme: programme, reason: form["reason"] ?? "", exit: exit)
    }

    // MARK: The forms

    /// What both forms show of the household: its number and the programmes it receives.
    struct Household {
        let id: String
        let csrf: String
        let received: String
        let receives: Bool
        let message: String?
    }

    struct DeathView {
        let household: Household
        let members: [FormChoice]
        let diedOn: String
        let today: String
        let note: String
        /// The re-check limit in force, as policy writes it ("3 个月").
        let limit: String
    }

    struct ChangeView {
        let household: Household
        let programmes: [FormChoice]
        let exit: Bool
        let reason: String
    }

    private func household(_ guarded: Guarded, message: String?) async throws -> (
        Household, HouseholdRecord, [Programme]
    ) {
        let id = guarded.context.parameters.get("id") ?? ""
        let record = try await cases.household(id)
        let received = try await cases.services.cases.receivedProgrammes(of: id)
        let view = Household(
            id: id, csrf: guarded.session?.csrfToken ?? "",
            received: received.isEmpty ? "无" : received.map(\.chineseName).joined(separator: "、"),
            receives: !received.isEmpty, message: message)
        return (view, record, received)
    }

    private func deathPage(
        _ guarded: Guarded, _ input: FormInput, message: String?, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let (household, record, _) = try await household(guarded, message: message)
        let today = environment.today
        let limit = try? await environment.context.services.caseRules.current().clocks(for: record.village)
            .limit(.deathRecheck, on: today)
        let view = DeathView(
            household: household,
            members: FormChoice.list(
                record.members.map { ($0.citizenID, "\($0.name)（\($0.relation.chineseName)，\($0.birthDate) 出生）") },
                selected: input["citizenID"] ?? ""),
            diedOn: input["diedOn"] ?? "", today: today.description, note: input["note"] ?? "",
            limit: limit?.chineseDescription ?? "政策规定的时限")
        return environment.page(
            "householdDeath", title: "登记家庭成员死亡 · \(household.id)", view, session: guarded.session, status: status)
    }

    private func changePage(
        _ guarded: Guarded, _ input: FormInput, message: String?, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let (household, _, received) = try await household(guarded, message: message)
        let view = ChangeView(
            household: household,
            programmes: FormChoice.list(
                received.map { ($0.rawValue, $0.chineseName) }, selected: input["programme"] ?? ""),
            exit: input["type"] == "exit", reason: input["reason"] ?? "")
        return environment.page(
            "householdChange", title: "家庭情况变化或退出 · \(household.id)", view, session: guarded.session, status: status)
    }
}
