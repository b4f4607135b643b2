import Foundation
import Hummingbird
import JiuzhuDomain
import JiuzhuFederation
import JiuzhuRegistry
import JiuzhuServices
import NIOCore

/// The dashboard (辖区救助概况) of the node's jurisdiction or of a division inside it: the page,
/// each figure's CSV, and the API. The figures come from `DashboardService`; these routes only
/// choose the scope and render, so a figure added there appears on all three.
///
/// The scope is `?division=` (the node's own when absent): the guard refuses one outside the
/// node's jurisdiction with 403 and audits it; one inside it that is no node of the topology is
/// 404. Access needs `analyse` (aggregate figures, no personal data: not audited as a read).
struct DashboardController {
    let environment: OperatorEnvironment

    static let divisionParameter = OperatorRoute.QueryParameter(
        name: "division", description: "行政区划代码：本节点辖区内的县、乡镇或村（缺省为本节点）",
        schema: .divisionCodeOrBlank)

    func register(_ routes: OperatorRoutes) {
        let access = OperatorRoute.Access.signedIn(.analyse, division: "division")
        routes.add(.init(method: .get, path: "/dashboard", kind: .page, access: access, summary: "辖区救助概况")) {
            guarded in
            let dashboard = try await dashboard(for: guarded)
            return environment.page(
                "dashboard", title: "\(dashboard.name)救助概况",
                DashboardPage(dashboard, guarded, environment: environment),
                session: guarded.session)
        }
        routes.add(
            .init(method: .get, path: "/dashboard/:file", kind: .page, access: access, summary: "辖区救助概况：一张图表的数字导出为 CSV")
        ) { guarded in
            let file = guarded.context.parameters.get("file") ?? ""
            let dashboard = try await dashboard(for: guarded)
            guard file.hasSuffix(".csv"), let figure = dashboard.figure(String(file.dropLast(4))) else {
                throw AccessRefusal(status: .notFound, message: "没有名为“\(file)”的图表导出")
            }
            let name = "dashboard-\(figure.id)-\(dashboard.division.digits)-\(dashboard.asOf).csv"
            return Response(
                status: .ok,
                headers: [
                    .contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"\(name)\"",
                    .cacheControl: "no-store",
                ], body: .init(byteBuffer: ByteBuffer(bytes: CSVWriter().bytes(for: Self.csvRows(figure)))))
        }
        routes.add(
            .init(
                method: .get, path: "/api/v1/dashboard", kind: .api, access: access,
                summary: "辖区救助概况：分层、分项目在保户数与人数，近 12 个月认定决定，案件逾期；各图表为一张表（列、行、数字）",
                replies: [
                    .ok(DashboardSchemas.dashboard), .refused(.notFound, "本节点辖区内没有此行政区划（不是拓扑中的节点）"),
                ], queryParameters: [Self.divisionParameter])
        ) { guarded in
            try JSONResponse(try await dashboard(for: guarded)).response()
        }
    }

    /// The dashboard of the division the request names, or of the node.
    func dashboard(for guarded: Guarded) async throws -> Dashboard {
        let topology = environment.context.topology
        let scope = guarded.target ?? environment.node.code
        guard topology.node(scope) != nil else {
            throw AccessRefusal(status: .notFound, message: "本节点辖区内没有行政区划 \(scope.digits)（不是拓扑中的节点）")
        }
        let names = Dictionary(topology.nodes.map { ($0.code, $0.name) }, uniquingKeysWith: { first, _ in first })
        return try await environment.context.services.dashboard.dashboard(of: scope, names: names)
    }

    /// A figure as a CSV table: the division's code where rows name one, the row's label, the
    /// counts.
    static func csvRows(_ figure: DashboardFigure) -> [[String]] {
        let coded = figure.rows.contains { $0.division != nil }
        let header = (coded ? ["行政区划代码"] : []) + [figure.rowHeading] + figure.columns.map(\.title)
        return [header]
            + figure.rows.map { row in
                (coded ? [row.division?.digits ?? ""] : []) + [row.label] + row.values.map(String.init)
            }
    }
}

/// The page's view of a dashboard: each figure's charts drawn, its table, its CSV link.
struct DashboardPage {
    struct Crumb {
        let name: String
        let href: String?
    }

    struct Chart {
        let svg: String
    }

    struct Row {
        let label: String
        /// The same dashboard for the row's division.
        let href: String?
        /// The household search for a village's row, or a division's or rule's warnings, for
        /// roles that read households.
        let search: String?
        let searchText: String
        let isTotal: Bool
        let cells: [String]
    }

    struct Figure {
        let id: String
        let title: String
        let note: String
        let charts: [Chart]
        let rowHeading: String
        let columns: [String]
        let rows: [Row]
        let csv: String
        /// Few columns: the table fits beside its chart on a wide screen.
        let narrow: Bool
    }

    let scopeLine: String
    let crumbs: [Crumb]
    let hasCrumbs: Bool
    let figures: [Figure]

    init(_ dashboard: Dashboard, _ guarded: Guarded, environment: OperatorEnvironment) {
        let node = environment.node.code
        let topology = environment.context.topology
        let scope = dashboard.division
        let query = scope == node ? "" : "?division=\(scope.digits)"
        scopeLine =
            "\(dashboard.name)（\(scope.digits)）· 截至 \(dashboard.asOf)"
            + (dashboard.policyVersion.map { " · 政策版本 \($0)" } ?? "")
        // From the node down to the scope, each level linking to its own dashboard.
        var chain = [node]
        for level in [DivisionLevel.county, .township, .village] where level > node.level && level <= scope.level {
            let length = level == .county ? 6 : level == .township ? 9 : 12
            if let code = try? DivisionCode(String(scope.digits.prefix(length))), code != node { chain.append(code) }
        }
        crumbs = chain.map { code in
            Crumb(
                name: topology.node(code)?.name ?? code.digits,
                href: code == scope ? nil : code == node ? "/dashboard" : "/dashboard?division=\(code.digits)")
        }
        hasCrumbs = chain.count > 1
        let readsHouseholds = guarded.session.map { AccessPolicy.allows($0.account.role, .viewPersonalData) } ?? false
        figures = dashboard.figures.map { figure in
            Figure(
                id: figure.id, title: figure.title, note: figure.note,
                charts: figure.charts.enumerated().map { number, chart in
                    Chart(svg: SVGChart(chart, id: "chart-\(figure.id)-\(number)").svg)
                }, rowHeading: figure.rowHeading, columns: figure.columns.map(\.title),
                rows: figure.rows.map { row in
                    let drill = row.division.flatMap { $0 == scope ? nil : "/dashboard?division=\($0.digits)" }
                    let warnings = figure.id.hasPrefix("warning")
                    var search: String?
                    if readsHouseholds, warnings, !row.isTotal {
                        let within = (row.division ?? scope).digits
                        search = "/warnings?division=\(within)" + (row.code.map { "&rule=\($0)" } ?? "")
                    } else if readsHouseholds, let division = row.division, division.level == .village {
                        search = "/search?division=\(division.digits)"
                    }
                    return Row(
                        label: row.label, href: drill, search: search, searchText: warnings ? "预警名单" : "家庭名单",
                        isTotal: row.isTotal, cells: row.values.map(String.init))
                }, csv: "/dashboard/\(figure.id).csv\(query)", narrow: figure.columns.count <= 4)
        }
    }
}

extension SVGChart {
    /// The drawing of a dashboard chart.
    init(_ chart: DashboardChart, id: String) {
        let kind: Kind =
            switch chart.kind {
            case .groupedBars: .groupedBars
            case .stackedBars: .stackedBars
            case .lines: .lines
            }
        self.init(
            id: id, kind: kind, title: chart.title, description: chart.description, categories: chart.categories,
            series: chart.series.map { Series(name: $0.name, values: $0.values) }, unit: chart.unit)
    }
}

/// The API's description of a dashboard: figures in general (columns, rows of counts), so a
/// figure added to the dashboard needs no new schema.
enum DashboardSchemas {
    static let figure = JSONSchema.output(required: [
        "id": .string(pattern: "^[a-z][A-Za-z0-9-]*$").described("图表名，也是 CSV 导出的文件名：/dashboard/{id}.csv"),
        "title": .text, "note": .text.described("统计口径：计什么、数据来源、不含什么"),
        "rowHeading": .text.described("首列（行名）的含义：辖区或月份"),
        "columns": .array(
            .output(required: ["key": .text.described("列的稳定键名，如 tier1.households"), "title": .text])),
        "rows": .array(
            .output(
                required: [
                    "label": .text, "total": .boolean.described("是否为全辖区合计行"),
                    "values": .array(.integer(0...Int64.max)).described("各列的数，顺序同 columns"),
                ], optional: ["division": .divisionCode])),
    ])

    static let dashboard = JSONSchema.output(
        required: [
            "division": .divisionCode, "name": .text, "level": .codes(DivisionLevel.self),
            "asOf": .date.described("统计日（北京时间）"), "figures": .array(figure),
        ], optional: ["policyVersion": .text.described("分层所依的政策版本")])
}
