import Hummingbird
import JiuzhuDomain
import JiuzhuFederation
import JiuzhuServices
import JiuzhuStorage

/// User administration at this node, for administrators: list, create with a generated
/// password shown once, disable and enable, reset a password.
struct AccountsController {
    let environment: OperatorEnvironment

    /// The body of `POST /api/v1/accounts`.
    struct NewAccountRequest: Decodable {
        let username: String
        let displayName: String
        let role: OperatorRole
    }

    /// An account as the API shows it.
    struct AccountInfo: Encodable {
        let username: String
        let displayName: String
        let role: OperatorRole
        let roleName: String
        let disabled: Bool

        init(_ account: OperatorAccount) {
            username = account.username
            displayName = account.displayName
            role = account.role
            roleName = account.role.chineseName
            disabled = account.disabled
        }
    }

    /// A new password, shown once.
    struct PasswordIssued: Encodable {
        let username: String
        let displayName: String
        let password: String
    }

    private var administration: AccountAdministration { environment.context.services.accounts }

    /// An account name as `NewAccount` checks it.
    static let usernameSchema = JSONSchema.string(pattern: "^[a-z0-9][a-z0-9._-]{2,31}$")
        .described("3–32 位小写字母、数字、点、横线或下划线，以字母或数字开头")

    static let accountInfoSchema = JSONSchema.output(required: [
        "username": usernameSchema, "displayName": .text, "role": .codes(OperatorRole.self), "roleName": .text,
        "disabled": .boolean,
    ])

    static let passwordIssuedSchema = JSONSchema.output(required: [
        "username": usernameSchema, "displayName": .text, "password": .text,
    ])

    func register(_ routes: OperatorRoutes) {
        let manage = OperatorRoute.Access.signedIn(.manageAccounts)
        routes.add(
            .init(method: .get, path: "/admin/accounts", kind: .page, access: manage, summary: "账号管理", auditsRead: true)
        ) { guarded in
            try await listPage(guarded, message: nil)
        }
        routes.add(.init(method: .post, path: "/admin/accounts", kind: .page, access: manage, summary: "新建账号")) {
            guarded in
            let form = guarded.form
            let role = try Self.role(form["role"] ?? "")
            let (account, password) = try await administration.create(
                username: try form.required("username", label: "用户名"),
                displayName: try form.required("displayName", label: "姓名"), role: role, by: guarded.actor)
            return environment.page(
                "accountPassword", title: "账号已创建",
                PasswordIssued(username: account.username, displayName: account.displayName, password: password),
                session: guarded.session)
        }
        routes.add(
            .init(
                method: .get, path: "/api/v1/accounts", kind: .api, access: manage, summary: "本节点的账号", auditsRead: true,
                replies: [.ok(.array(Self.accountInfoSchema))])
        ) { _ in
            try JSONResponse(try await environment.database.operators.accounts().map(AccountInfo.init)).response()
        }
        routes.add(
            .init(
                method: .post, path: "/api/v1/accounts", kind: .api, access: manage, summary: "新建账号，返回一次性显示的初始密码",
                // Decoded leniently: other keys are ignored. Only the roles of this node's level.
                body: .json(
                    .lenientInput(required: [
                        "username": Self.usernameSchema,
                        "displayName": .string(minLength: 1, maxLength: 40, pattern: UnicodeClasses.displayNamePattern),
                        "role": .enumeration(OperatorRole.roles(at: environment.node.role).map(\.rawValue)),
                    ])),
                replies: [
                    .created(Self.passwordIssuedSchema, "已创建：password 为初始密码，只显示这一次"),
                    .refused(.conflict, "用户名已存在"),
                ])
        ) { guarded in
            let request = try guarded.json(NewAccountRequest.self)
            let (account, password) = try await administration.create(
                username: request.username, displayName: request.displayName, role: request.role, by: guarded.actor)
            return try JSONResponse(
                PasswordIssued(username: account.username, displayName: account.displayName, password: password),
                status: .created
            ).response()
        }
        for (action, summary) in [("disable", "停用账号"), ("enable", "启用账号"), ("reset-password", "重置密码")] {
            routes.add(
                .init(
                    method: .post, path: "/admin/accounts/:username/\(action)", kind: .page, access: manage,
                    summary: summary)
            ) {
                guarded in
                let result = try await perform(action, guarded)
                if let issued = result {
                    return environment.page("accountPassword", title: "密码已重置", issued, session: guarded.session)
                }
                return OperatorEnvironment.redirect("/admin/accounts")
            }
            routes.add(
                .init(
                    method: .post, path: "/api/v1/accounts/:username/\(action)", kind: .api, access: manage,
                    summary: summary,
                    replies: [
                        action == "reset-password" ? .ok(Self.passwordIssuedSchema, "新密码，只显示这一次") : .noContent,
                        .refused(.forbidden, "不能停用或重置自己的账号"), .refused(.notFound, "没有此用户名的账号"),
                    ], pathSchemas: ["username": .text])
            ) {
                guarded in
                if let issued = try await perform(action, guarded) { return try JSONResponse(issued).response() }
                return Response(status: .noContent)
            }
        }
    }

    /// Disables, enables or resets; returns the new password for a reset.
    private func perform(_ action: String, _ guarded: Guarded) async throws -> PasswordIssued? {
        let username = guarded.context.parameters.get("username") ?? ""
        guard username != guarded.session?.account.username else {
            // Well formed and permitted to the role, but refused for this one account: 403,
            // audited like every refusal.
            let reason = "不能停用或重置自己的账号，请由另一位管理员操作"
            try await environment.database.operators.audit(
                AuditRecord(
                    actor: guarded.actor.name, role: guarded.actor.role, action: "access.refused",
                    target: guarded.request.uri.path, outcome: .refused, detail: reason))
            throw AccessRefusal(status: .forbidden, message: reason)
        }
        switch action {
        case "disable", "enable":
            try await administration.setDisabled(username, action == "disable", by: guarded.actor)
            return nil
        default:
            let password = try await administration.resetPassword(of: username, by: guarded.actor)
            let account = try await environment.database.operators.accountForSignIn(username)?.account
            return PasswordIssued(username: username, displayName: account?.displayName ?? "", password: password)
        }
    }

    static func role(_ name: String) throws -> OperatorRole {
        guard let role = OperatorRole(named: name) else { throw InputError(field: "role", "未知角色“\(name)”") }
        return role
    }

    private func listPage(_ guarded: Guarded, message: String?) async throws -> Response {
        struct Row {
            let username: String
            let displayName: String
            let role: String
            let state: String
            let toggleAction: String
            let toggleLabel: String
            let csrf: String
        }
        struct Role {
            let code: String
            let name: String
        }
        struct View {
            let csrf: String
            let message: String?
            let roles: [Role]
            let accounts: [Row]
            let count: Int
        }
        let csrf = guarded.session?.csrfToken ?? ""
        let accounts = try await environment.database.operators.accounts()
        let view = View(
            csrf: csrf, message: message,
            roles: OperatorRole.roles(at: environment.node.role).map { Role(code: $0.rawValue, name: $0.chineseName) },
            accounts: accounts.map {
                Row(
                    username: $0.username, displayName: $0.displayName, role: $0.role.chineseName,
                    state: $0.disabled ? "已停用" : "正常", toggleAction: $0.disabled ? "enable" : "disable",
                    toggleLabel: $0.disabled ? "启用" : "停用", csrf: csrf)
            }, count: accounts.count)
        return environment.page("accounts", title: "账号管理", view, session: guarded.session)
    }
}
