import Foundation
import Hummingbird
import JiuzhuDomain
import JiuzhuPolicy
import JiuzhuServices
import JiuzhuStorage
import NIOCore

/// The policy calculator: a household's situation and a date in, every programme out with
/// eligibility, monthly amount, tier and the explanation. Nothing is stored.
struct CalculatorController {
    let environment: OperatorEnvironment
    let policy: PolicyService

    func register(_ routes: OperatorRoutes) {
        let access = OperatorRoute.Access.signedIn(.useCalculator)
        routes.add(.init(method: .get, path: "/calculator", kind: .page, access: access, summary: "政策计算器")) { guarded in
            page(guarded, form: CalculatorForm.blank(date: environment.today), explanation: nil, message: nil)
        }
        routes.add(.init(method: .post, path: "/calculator", kind: .page, access: access, summary: "政策计算器：计算")) {
            guarded in
            let form = CalculatorForm(guarded.form)
            do {
                let (household, date) = try form.situation()
                let explanation = try await explain(household, on: date)
                return page(guarded, form: form, explanation: ExplanationView(explanation), message: nil)
            } catch let error as InputError {
                return page(guarded, form: form, explanation: nil, message: error.description, status: .badRequest)
            }
        }
        routes.add(
            .init(
                method: .post, path: "/api/v1/calculator", kind: .api, access: access,
                summary: "政策计算器：对一户的情况（household，JSON）按某日（date，缺省为今天）计算各救助项目的资格、月金额（分）、分层及依据",
                body: .json(CalculatorSchemas.whatIf, example: CalculatorSchemas.example),
                replies: [
                    .ok(CalculatorSchemas.explanation, "各项目的资格、月金额（分）、分层及依据"),
                    .invalid("date 早于政策施行日期"),
                    .refused(.serviceUnavailable, "本节点尚未收到市级发布的政策版本"),
                ])
        ) { guarded in
            let request = try CalculatorRequest(guarded, today: environment.today)
            let explanation = try await explain(request.household, on: request.date)
            return Response(
                status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: explanation.json())))
        }
    }

    private func explain(_ household: HouseholdSituation, on date: CivilDate) async throws -> Explanation {
        guard let current = try await policy.current() else {
            throw HTTPError(.serviceUnavailable, message: "本节点尚未收到市级发布的政策版本")
        }
        do {
            return try current.calculator.explain(household, on: date)
        } catch {
            // A date before the policy, or amounts whose sums overflow: both the caller's input.
            throw InputError(field: error.field, error.message)
        }
    }

    private func page(
        _ guarded: Guarded, form: CalculatorForm, explanation: ExplanationView?, message: String?,
        status: HTTPResponse.Status = .ok
    ) -> Response {
        struct View {
            let csrf: String
            let form: CalculatorForm
            let explanation: ExplanationView?
            let message: String?
        }
        return environment.page(
            "calculator", title: "政策计算器",
            View(csrf: guarded.session?.csrfToken ?? "", form: form, explanation: explanation, message: message),
            session: guarded.session, status: status)
    }
}

/// `{"household": {...}, "date": "2026-07-01"}`, decoded strictly in one pass.
struct CalculatorRequest {
    let household: HouseholdSituation
    let date: CivilDate

    /// Decodes the body (without a date, `today`); the guard has already checked that it was sent as JSON.
    init(_ guarded: Guarded, today: CivilDate) throws {
        do {
            let request = try WhatIfRequest(json: Data(buffer: guarded.body))
            household = request.household
            date = request.date ?? today
        } catch {
            throw InputError(field: error.path.isEmpty ? nil : error.path, error.message)
        }
    }
}
