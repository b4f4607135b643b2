import JiuzhuDomain
import JiuzhuFederation
import JiuzhuStorage
import Mustache

/// Renders the operator pages: each page's template inside the one layout.
///
/// Every value reaches the HTML through `{{…}}`, escaped by `HTMLEscaping` (by Unicode
/// scalars, not Characters), so text an operator typed (a name with a `<script>` in it)
/// shows as text whatever marks surround it. Only the rendered page body is inserted
/// unescaped into the layout.
struct PageRenderer: Sendable {
    private let library: MustacheLibrary

    init() throws {
        MustacheContentTypes.register(HTMLEscaping(), named: HTMLEscaping.contentTypeName)
        var library = MustacheLibrary()
        for (name, source) in PageTemplates.all {
            // The pragma goes in here rather than in each template, so no template can lack it.
            try library.register(HTMLEscaping.pragma + source, named: name)
        }
        self.library = library
    }

    func render(_ template: String, title: String, view: Any, node: TopologyNode, session: OperatorSession?) -> String {
        let body = library.render(view, withTemplate: template) ?? ""
        let layout = LayoutView(title: title, node: node, session: session, body: body)
        return library.render(layout, withTemplate: "layout") ?? body
    }
}

/// What the layout shows around every page: the node, the operator and the menu.
struct LayoutView {
    struct Operator {
        let displayName: String
        let username: String
        let role: String
        let csrf: String
    }

    struct MenuItem {
        let title: String
        let href: String
    }

    let title: String
    let nodeName: String
    let nodeCode: String
    let nodeRole: String
    let signedIn: Operator?
    let menu: [MenuItem]
    /// Stored, not computed: templates see only stored properties.
    let hasMenu: Bool
    let body: String

    init(title: String, node: TopologyNode, session: OperatorSession?, body: String) {
        self.title = title
        nodeName = node.name
        nodeCode = node.code.digits
        nodeRole = node.role.chineseName
        self.body = body
        signedIn = session.map {
            Operator(
                displayName: $0.account.displayName, username: $0.account.username,
                role: $0.account.role.chineseName, csrf: $0.csrfToken)
        }
        guard let role = session?.account.role else {
            menu = []
            hasMenu = false
            return
        }
        let items: [(Permission, String, String)] = [
            (.viewNode, "首页", "/"),
            (.viewNode, "节点状态", "/node"),
            (.handleCases, "待办案件", "/cases"),
            (.viewPersonalData, "检索家庭", "/search"),
            (.viewPersonalData, "重复登记", "/duplicates"),
            (.analyse, "救助概况", "/dashboard"),
            (.useCalculator, "政策计算器", "/calculator"),
            (.viewNode, "政策版本", "/policy"),
            (.manageAccounts, "账号管理", "/admin/accounts"),
            (.readAudit, "审计日志", "/audit"),
        ]
        menu = items.filter { AccessPolicy.allows(role, $0.0) }.map { MenuItem(title: $0.1, href: $0.2) }
        hasMenu = !menu.isEmpty
    }
}
