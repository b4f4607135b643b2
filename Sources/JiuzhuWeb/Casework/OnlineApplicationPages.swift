import Foundation
import Hummingbird
import JiuzhuDomain
import JiuzhuFederation
import JiuzhuPolicy
import JiuzhuServices
import JiuzhuStorage

/// The applicant's own phone page (网上申请), with no operator account: identity, situation and
/// a mobile number confirmed by a one-time code; and the same two steps in the API.
struct OnlineApplicationPages {
    let environment: OperatorEnvironment
    let cases: CaseworkWeb
    var online: OnlineApplication { environment.context.services.online }

    /// The body of `POST /api/v1/online/codes`.
    struct CodeBody: Decodable {
        let phone: String
    }

    /// The body of `POST /api/v1/online/applications`.
    struct ApplicationBody: Decodable {
        let code: String
        let application: CaseService.ApplicationRequest
    }

    func register(_ routes: OperatorRoutes) {
        routes.add(.init(method: .get, path: "/apply", kind: .page, access: .open, summary: "网上申请（申请人本人，手机）")) {
            guarded in
            page(ApplyForm(FormInput(ByteBuffer()), cases: cases), message: nil)
        }
        routes.add(.init(method: .post, path: "/apply", kind: .page, access: .open, summary: "网上申请：获取验证码或提交")) {
            guarded in
            let form = ApplyForm(guarded.form, cases: cases)
            let cookie = guarded.request.cookies[SessionCookie.signInName]?.value ?? ""
            guard SecretToken.matches(guarded.form["_csrf"] ?? "", cookie) else {
                return page(form, message: "页面已失效，请重新填写", status: .forbidden)
            }
            do {
                if guarded.form["action"] == "code" {
                    try await online.sendCode(to: form.phone)
                    return page(form, message: "验证码已发送到 \(form.phone)，10 分钟内有效。", sent: true)
                }
                let opened = try await online.apply(try form.request(), code: guarded.form["code"] ?? "")
                struct Done {
                    let message: String
                    let caseID: String
                }
                return environment.page(
                    "applyDone", title: "申请已提交", Done(message: opened.message, caseID: opened.caseID), session: nil,
                    status: .created)
            } catch let error as InputError {
                return page(form, message: error.description, status: .badRequest)
            } catch let error as OnlineCodeTooSoon {
                return page(form, message: error.description, status: .tooManyRequests)
            }
        }
        routes.add(
            .init(
                method: .post, path: "/api/v1/online/codes", kind: .api, access: .open,
                summary: "网上申请：向申请人的手机号发送验证码（每个号码每分钟一次，10 分钟内有效）",
                body: .json(.input(required: ["phone": CaseSchemas.mobile])),
                replies: [
                    .init(status: .accepted, description: "已发送", content: .json(.output(required: ["sent": .boolean]))),
                    .invalid("手机号码无效"),
                    .refused(.tooManyRequests, "一分钟内已发送过验证码"),
                ])
        ) { guarded in
            let body = try guarded.json(CodeBody.self)
            do { try await online.sendCode(to: body.phone) } catch let error as OnlineCodeTooSoon {
                throw HTTPError(.tooManyRequests, message: error.description)
            }
            return try JSONResponse(["sent": true], status: .accepted).response()
        }
        routes.add(
            .init(
                method: .post, path: "/api/v1/online/applications", kind: .api, access: .open,
                summary: "网上申请：凭验证码提交申请（身份和情况即可；须填写手机号码）；不属本节点辖区的转至属地",
                body: .json(
                    .input(required: [
                        "code": JSONSchema.string(pattern: "^[0-9]{6}$").described("手机收到的 6 位验证码"),
                        "application": CaseSchemas.application,
                    ])),
                replies: [
                    .created(CaseSchemas.opened, "已登记：案件编号、属地，以及是否已转办"),
                    .invalid("验证码不正确或已失效，或申请无效，field 指出字段"),
                ])
        ) { guarded in
            let body = try guarded.json(ApplicationBody.self)
            let opened = try await online.apply(body.application, code: body.code)
            return try JSONResponse(opened, status: .created).response()
        }
    }

    private func page(_ form: ApplyForm, message: String?, sent: Bool = false, status: HTTPResponse.Status = .ok)
        -> Response
    {
        var form = form
        form.message = message
        form.sent = sent
        form.csrf = SecretToken.make()
        var response = environment.page("apply", title: "网上申请社会救助", form, session: nil, status: status)
        response.setCookie(SessionCookie.signIn(form.csrf))
        return response
    }
}

/// The phone page's form, kept as typed.
struct ApplyForm {
    var csrf = ""
    var message: String?
    var sent = false
    let name: String
    let citizenID: String
    let phone: String
    let situation: String
    let emergency: Bool
    let villages: [FormChoice]
    let form: CalculatorForm
    private let input: FormInput

    init(_ input: FormInput, cases: CaseworkWeb) {
        self.input = input
        func text(_ name: String) -> String { (input[name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
        name = text("name")
        citizenID = text("citizenID")
        phone = text("phone")
        situation = text("situation")
        emergency = input["emergency"] == "true"
        let villages = cases.environment.context.topology.nodes.filter { $0.role == .village }
        self.villages = FormChoice.list(
            [("", "请选择所在村（居）")] + villages.map { ($0.code.digits, $0.name) }, selected: text("village"))
        form =
            input["m1.birthDate"] == nil ? CalculatorForm.blank(date: cases.environment.today) : CalculatorForm(input)
    }

    func request() throws -> CaseService.ApplicationRequest {
        CaseService.ApplicationRequest(
            applicant: CaseApplicant(name: name, citizenID: citizenID, phone: phone), situation: situation,
            village: input["village"].flatMap { $0.isEmpty ? nil : $0 }, declared: try form.situation().0,
            emergency: emergency)
    }
}
