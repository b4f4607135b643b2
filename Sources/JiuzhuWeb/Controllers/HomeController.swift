import Hummingbird
import JiuzhuDomain
import JiuzhuFederation

/// The home page of each role: what that role works on. Lists of work the later
/// capabilities fill (applications, visits, reviews, warnings) say so until they exist.
struct HomeController {
    let environment: OperatorEnvironment

    /// One block of a role's home page.
    struct Section: Encodable {
        let title: String
        let description: String
        /// Where the work is done, once the capability exists.
        let href: String?
        let linkText: String?
        let emptyText: String
    }

    struct HomeView: Encodable {
        let greeting: String
        let role: OperatorRole
        let sections: [Section]
    }

    static let homeSchema = JSONSchema.output(required: [
        "greeting": .text, "role": .codes(OperatorRole.self),
        "sections": .array(
            .output(
                required: ["title": .text, "description": .text, "emptyText": .text],
                optional: ["href": .text, "linkText": .text])),
    ])

    func register(_ routes: OperatorRoutes) {
        routes.add(.init(method: .get, path: "/", kind: .page, access: .signedIn(.viewNode), summary: "角色首页")) {
            guarded in
            guard let session = guarded.session else { throw AccessRefusal(status: .unauthorized, message: "请先登录") }
            return environment.page(
                "home", title: "工作台", view(for: session.account.role, name: session.account.displayName),
                session: session)
        }
        routes.add(
            .init(
                method: .get, path: "/api/v1/home", kind: .api, access: .signedIn(.viewNode), summary: "当前角色的工作台",
                replies: [.ok(Self.homeSchema)])
        ) { guarded in
            guard let session = guarded.session else { throw AccessRefusal(status: .unauthorized, message: "请先登录") }
            return try JSONResponse(view(for: session.account.role, name: session.account.displayName)).response()
        }
    }

    func view(for role: OperatorRole, name: String) -> HomeView {
        HomeView(
            greeting: "\(name)，您好。您在\(environment.node.name)以“\(role.chineseName)”身份工作。",
            role: role, sections: Self.sections(for: role))
    }

    static func sections(for role: OperatorRole) -> [Section] {
        func pending(_ title: String, _ description: String) -> Section {
            Section(title: title, description: description, href: nil, linkText: nil, emptyText: "暂无待办（该功能尚在建设中）")
        }
        func link(_ title: String, _ description: String, _ href: String, _ text: String) -> Section {
            Section(title: title, description: description, href: href, linkText: text, emptyText: "")
        }
        let calculator = link("政策计算器", "按家庭情况测算各项救助的资格、金额和依据，不保存数据。", "/calculator", "打开计算器")
        func dashboard(_ title: String, _ scope: String) -> Section {
            link(
                title, "\(scope)在保家庭与人口（分层、分项目）、近 12 个月认定决定和案件逾期，可逐级查看、导出 CSV。", "/dashboard",
                "查看救助概况")
        }
        switch role {
        case .villageSpecialist:
            return [
                link("家庭登记", "登记本村（居）的困难家庭：成员、收入、财产与支出；身份证号码逐一校验。", "/households/new", "登记一户"),
                calculator,
                link("待办案件", "待入户调查、民主评议、村级公示：受理后 3 个工作日内入户，至少两人，上传签署材料照片；逾期的排在最前。", "/cases", "打开待办"),
                link("主动发现与模糊申请", "代困难群众登记情况与身份，不必先选救助项目；不属本村的自动转至属地。", "/cases/new", "登记申请"),
                link(
                    "预警核实", "市级预警平台推送到本村的预警（死亡、就业收入、医疗支出、重残、灾害、重复救助等），在核实期限内核实属实或说明原因。", "/warnings?status=open", "打开预警"
                ),
            ]
        case .townshipClerk:
            return [
                calculator,
                link("待受理申请", "一门受理：核对身份，选定救助项目后转入入户调查；公示期内受理异议。", "/cases", "打开待办"),
                link("登记申请", "身份和情况即可申请，系统按全部救助项目筛查。", "/cases/new", "登记申请"),
                dashboard("全乡镇救助概况", "本乡镇各村（居）"),
            ]
        case .townshipApprover:
            return [
                link("待初审与待审批", "乡镇初审；县级委托乡镇审批的事项，在审批时限内作出决定。", "/cases", "打开待办"), calculator,
                dashboard("全乡镇救助概况", "本乡镇各村（居）"),
            ]
        case .countyOfficer:
            return [
                link("待核对与待认定", "3 个工作日内启动跨部门经济状况核对；审核确认，不予认定的须在 3 个工作日内书面说明理由。", "/cases", "打开待办"),
                calculator,
                dashboard("全县救助概况", "本县各乡镇"),
                link("辖区预警", "本县各村（居）预警的核实情况；逾期未核实的上报县级督办。", "/warnings", "查看预警"),
                link("辖区节点", "本县各乡镇、村节点的连通与同步情况。", "/node", "查看节点状态"),
            ]
        case .cityAdministrator:
            return [
                link("账号管理", "开设、停用账号，重置密码。", "/admin/accounts", "管理本节点账号"),
                link("政策版本", "发布政策版本，下发到各级节点；查看各节点运行的版本。", "/policy", "管理政策版本"),
                link("全市节点", "各县节点的连通与同步情况。", "/node", "查看节点状态"),
                link("安全事件", "各级节点拒绝的联邦请求：越权修改、超出辖区、时钟超前等。", "/security", "查阅安全事件"),
            ]
        case .cityAnalyst:
            return [
                dashboard("全市救助概况", "各县（市、区）"),
                link(
                    "预警平台", "部门数据触发的预警：死亡、就业收入、医疗支出、重残重病、年龄、重复救助、车辆房产经营、复核逾期、监测对象、灾害、离校；规则试运行与每月核实结果。", "/warnings",
                    "打开预警平台"),
            ]
        case .auditor:
            return [
                link("审计日志", "谁在何时、何节点查阅或修改了什么；可校验哈希链。", "/audit", "查阅审计日志"),
                link("校验审计链", "发现被修改、调换顺序或删除的记录。", "/audit/verify", "立即校验"),
                link("安全事件", "各级节点拒绝的联邦请求：越权修改、超出辖区、时钟超前等。", "/security", "查阅安全事件"),
            ]
        }
    }
}
