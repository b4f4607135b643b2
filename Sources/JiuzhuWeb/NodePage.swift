import Foundation
import JiuzhuFederation
import Mustache

/// The operator listener's first page: the node, its parent and its children, with reachability.
struct NodePage {
    private let template: MustacheTemplate

    init() throws {
        template = try MustacheTemplate(string: Self.source)
    }

    func render(_ status: NodeStatus, federation: FederationStatus, now: Date) -> String {
        template.render(View(status, federation: federation, now: now))
    }

    /// Plain strings for the template; dates as civil time in Asia/Shanghai.
    struct View {
        struct Row {
            let code: String
            let name: String
            let role: String
            let url: String
            let state: String
            let stateClass: String
            let lastContact: String
            let lastError: String?
        }

        let code: String
        let name: String
        let role: String
        let startedAt: String
        let parent: Row?
        let children: [Row]
        let childCount: Int
        let links: [Link]

        /// One channel of the link to the parent.
        struct Link {
            let summary: String
            let stateClass: String
        }

        init(_ status: NodeStatus, federation: FederationStatus, now: Date) {
            func row(_ neighbour: NodeStatus.Neighbour) -> Row {
                Row(
                    code: neighbour.node.code, name: neighbour.node.name, role: neighbour.node.roleName,
                    url: neighbour.node.operatorURL, state: neighbour.reachability.chineseName,
                    stateClass: neighbour.reachability.rawValue,
                    lastContact: neighbour.lastContact.map { ShanghaiTime.describe($0, now: now) } ?? "—",
                    lastError: neighbour.reachability == .reachable ? nil : neighbour.lastError)
            }
            code = status.node.code
            name = status.node.name
            role = status.node.roleName
            startedAt = ShanghaiTime.format(status.startedAt)
            parent = status.parent.map(row)
            children = status.children.map(row)
            childCount = status.children.count
            links = federation.links.map { link in
                Link(
                    summary: link.summary,
                    stateClass: link.lastError != nil || link.checksumAgrees == false
                        ? "unreachable" : link.lastSuccessAt == nil ? "unknown" : "reachable")
            }
        }
    }

    static let source = """
        <!doctype html>
        <html lang="zh-CN">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{name}} · 救助节点</title>
        <link rel="stylesheet" href="/static/jiuzhu.css">
        </head>
        <body>
        <header>
        <h1>{{name}}</h1>
        <p class="role">{{role}} · 行政区划代码 <span class="code">{{code}}</span></p>
        </header>
        <main>
        <section>
        <h2>上级节点</h2>
        {{#parent}}
        <div class="neighbour">
        <p><a href="{{url}}">{{name}}</a> <span class="code">{{code}}</span> · {{role}}</p>
        <p class="state {{stateClass}}">{{state}} · 最近联系 {{lastContact}}</p>
        {{#lastError}}<p class="error">{{lastError}}</p>{{/lastError}}
        </div>
        {{/parent}}
        {{^parent}}<p>本节点是市级根节点，没有上级。</p>{{/parent}}
        </section>
        <section>
        <h2>下级节点（{{childCount}}）</h2>
        {{#children}}
        <div class="neighbour">
        <p><a href="{{url}}">{{name}}</a> <span class="code">{{code}}</span> · {{role}}</p>
        <p class="state {{stateClass}}">{{state}} · 最近联系 {{lastContact}}</p>
        </div>
        {{/children}}
        {{^children}}<p>本节点没有下级节点。</p>{{/children}}
        </section>
        <section>
        <h2>联邦同步</h2>
        {{#links}}<p class="link state {{stateClass}}">{{summary}}</p>{{/links}}
        {{^links}}<p>本节点是市级根节点，汇集全市数据，没有上级链路。</p>{{/links}}
        </section>
        </main>
        <footer><p>节点启动于 {{startedAt}}（北京时间）</p></footer>
        </body>
        </html>
        """

    static let stylesheet = """
        body { font-family: "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif;
               margin: 0; color: #1d2733; background: #f4f6f8; line-height: 1.5; }
        header { background: #b3261e; color: #fff; padding: 1rem; }
        header h1 { margin: 0; font-size: 1.4rem; }
        header p { margin: .25rem 0 0; }
        main { padding: 1rem; max-width: 48rem; margin: 0 auto; }
        section { background: #fff; border-radius: .5rem; padding: .75rem 1rem; margin-bottom: 1rem; }
        h2 { font-size: 1.1rem; margin: 0 0 .5rem; }
        .neighbour { border-top: 1px solid #e3e7eb; padding: .5rem 0; }
        .neighbour p { margin: 0; }
        .code { font-family: monospace; color: #55616d; }
        header .code { color: #ffe1dc; }
        .state.reachable { color: #1b7f3b; }
        .state.unreachable { color: #b3261e; font-weight: bold; }
        .state.unknown { color: #8a6d00; }
        .link { margin: .25rem 0; font-size: .9rem; }
        .error { color: #6b7680; font-size: .85rem; word-break: break-all; }
        footer { text-align: center; color: #6b7680; font-size: .85rem; padding-bottom: 1rem; }
        """
}

/// Civil time in Asia/Shanghai, the only time zone the system shows.
enum ShanghaiTime {
    static let zone = TimeZone(identifier: "Asia/Shanghai") ?? TimeZone(secondsFromGMT: 8 * 3600) ?? .current

    static func format(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(
            format: "%04d-%02d-%02d %02d:%02d:%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0,
            c.minute ?? 0, c.second ?? 0)
    }

    /// `2026-11-29 18:40:02（3 秒前）`
    static func describe(_ date: Date, now: Date) -> String {
        let seconds = max(0, Int(now.timeIntervalSince(date)))
        let ago =
            seconds < 60
            ? "\(seconds) 秒前"
            : seconds < 3600
                ? "\(seconds / 60) 分钟前"
                : seconds < 86400 ? "\(seconds / 3600) 小时前" : "\(seconds / 86400) 天前"
        return "\(format(date))（\(ago)）"
    }
}
