import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import JiuzhuDomain
import JiuzhuStorage
import NIOCore
import Testing

@testable import JiuzhuWeb

/// The dashboard through the router: the page with its charts and tables, each figure's CSV, the
/// API, and the scope, which stays inside the node's jurisdiction.
@Suite struct DashboardRouteTests {
    /// A household in the node's index, as the registry indexer writes it.
    static func index(_ database: NodeDatabase, _ households: [(key: String, members: Int, programmes: [String])])
        async throws
    {
        try await database.registry.index(
            households.map { household in
                (
                    household.key,
                    HouseholdIndexEntry(
                        key: household.key, village: String(household.key.prefix(12)), memberCount: household.members,
                        perCapitaIncome: 0, programmes: household.programmes, tags: [], people: [])
                )
            }, through: 1)
    }

    static func page(_ client: any TestClientProtocol, _ uri: String, as session: APISession) async throws
        -> TestResponse
    {
        var headers = HTTPFields()
        headers[.cookie] = session.cookie
        return try await client.execute(uri: uri, method: .get, headers: headers)
    }

    @Test func theCityAnalystSeesEveryCountyDrillsIntoOneAndExportsEachFigure() async throws {
        let fixture = try await OperatorFixture(node: "321200")
        defer { fixture.close() }
        try await fixture.receivePolicy()
        try await Self.index(
            fixture.database,
            [
                ("321281001001-000001", 3, ["dibao"]), ("321281100201-000001", 2, ["dibaoEdge"]),
                ("321283001001-000001", 1, ["extremePoverty", "disabilityLiving"]),
            ])
        try await fixture.test { client in
            let analyst = try await client.signIn(.cityAnalyst)
            let api = try await client.call(.get, "/api/v1/dashboard", as: analyst)
            #expect(api.status == .ok, "\(api.text)")
            let body = try #require(api.json)
            #expect(body["division"] as? String == "321200" && body["level"] as? String == "city")
            let figures = try #require(body["figures"] as? [[String: Any]])
            #expect(
                figures.compactMap { $0["id"] as? String } == [
                    "households", "programmes", "trend", "casework", "warnings", "warningRules",
                ])
            let rows = try #require(figures.first?["rows"] as? [[String: Any]])
            #expect(rows.compactMap { $0["label"] as? String } == ["兴化市", "泰兴市", "合计"])
            #expect(rows.compactMap { $0["division"] as? String } == ["321281", "321283"])
            let columns = try #require(figures.first?["columns"] as? [[String: Any]])
            let total = try #require(columns.firstIndex { $0["key"] as? String == "total.households" })
            #expect(rows.compactMap { ($0["values"] as? [Int])?[total] } == [2, 1, 3])

            let county = try await client.call(.get, "/api/v1/dashboard?division=321281", as: analyst)
            #expect(county.status == .ok)
            #expect(county.json?["name"] as? String == "兴化市")

            // The page: a chart per figure (two for the trend), each a titled image, and tables.
            let page = try await Self.page(client, "/dashboard", as: analyst)
            #expect(page.status == .ok)
            let html = page.text
            #expect(html.components(separatedBy: "<svg ").count - 1 == 7)
            #expect(html.components(separatedBy: #"role="img""#).count - 1 == 7)
            #expect(html.contains(#"<a href="/warnings?division=321281" class="households">预警名单</a>"#))
            #expect(html.contains(#"<a href="/dashboard?division=321281" class="drill">兴化市</a>"#))
            #expect(html.contains(#"<a href="/dashboard/households.csv" class="csv""#))
            #expect(html.contains(#"<td class="num">3</td>"#))
            #expect(!html.contains("<script"))
            // A township's page links each village to its households.
            let township = try await Self.page(client, "/dashboard?division=321281001", as: analyst)
            #expect(township.text.contains(#"<a href="/search?division=321281001001" class="households">家庭名单</a>"#))
            #expect(township.text.contains(#"<a href="/dashboard?division=321281">兴化市</a>"#), "the way back up")
            #expect(township.text.contains(#"href="/dashboard/trend.csv?division=321281001""#))

            let csv = try await Self.page(client, "/dashboard/households.csv", as: analyst)
            #expect(csv.status == .ok)
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
            let disposition = csv.headers.first { $0.name.canonicalName == "content-disposition" }?.value
            #expect(disposition?.contains("attachment; filename=\"dashboard-households-321200-") == true)
            let bytes = Array(buffer: csv.body)
            #expect(bytes.starts(with: [0xEF, 0xBB, 0xBF]), "UTF-8 with a BOM, as Excel on Chinese Windows wants")
            let lines = String(decoding: bytes.dropFirst(3), as: UTF8.self).components(separatedBy: "\r\n")
            #expect(lines.first?.hasPrefix("行政区划代码,辖区,兜底保障（户）,兜底保障（人）") == true)
            #expect(lines.contains { $0.hasPrefix("321281,兴化市,1,3,") })
            #expect(lines.contains { $0.hasPrefix(",合计,") })
            let trend = try await Self.page(client, "/dashboard/trend.csv?division=321281", as: analyst)
            #expect(String(buffer: trend.body).contains("月份,批准纳入（件）"))
            let missing = try await Self.page(client, "/dashboard/nothing.csv", as: analyst)
            #expect(missing.status == .notFound)
            #expect(missing.text.contains("没有名为“nothing.csv”的图表导出"))
        }
    }

    @Test func aCountyOfficerIsKeptInsideTheCounty() async throws {
        let fixture = try await OperatorFixture(node: "321281")
        defer { fixture.close() }
        try await fixture.test { client in
            let officer = try await client.signIn(.countyOfficer)
            let own = try await client.call(.get, "/api/v1/dashboard", as: officer)
            #expect(own.status == .ok)
            let township = try await client.call(.get, "/api/v1/dashboard?division=321281100", as: officer)
            #expect(township.status == .ok)
            #expect(township.json?["name"] as? String == "戴南镇")

            let auditBefore = try await fixture.database.operators.auditEntries(.init(limit: 1)).first?.seq ?? 0
            let other = try await client.call(.get, "/api/v1/dashboard?division=321283", as: officer)
            #expect(other.status == .forbidden)
            #expect(other.json?["error"] as? String == "321283 不在本节点辖区 321281 之内")
            let refusal = try await fixture.database.operators.auditEntries(
                .init(actor: OperatorFixture.username(.countyOfficer), action: "access.refused", limit: 1)
            ).first
            #expect((refusal?.seq ?? 0) > auditBefore, "the refusal is audited")
            let page = try await Self.page(client, "/dashboard?division=321283100", as: officer)
            #expect(page.status == .forbidden)
            #expect(page.text.contains("321283100 不在本节点辖区 321281 之内"))
            let csv = try await Self.page(client, "/dashboard/households.csv?division=321200", as: officer)
            #expect(csv.status == .forbidden)

            // Inside the county but no node of the topology: nothing to show.
            let unknown = try await client.call(.get, "/api/v1/dashboard?division=321281999", as: officer)
            #expect(unknown.status == .notFound)
            #expect((unknown.json?["error"] as? String)?.contains("321281999") == true)
            let malformed = try await client.call(.get, "/api/v1/dashboard?division=32128", as: officer)
            #expect(malformed.status == .badRequest)
            #expect(malformed.json?["field"] as? String == "division")
        }
    }

    @Test func rolesWithoutAnalysisAreRefused() async throws {
        let fixture = try await OperatorFixture(node: "321200")
        defer { fixture.close() }
        try await fixture.test { client in
            for role in [OperatorRole.cityAdministrator, .auditor] {
                let session = try await client.signIn(role)
                let refused = try await client.call(.get, "/api/v1/dashboard", as: session)
                #expect(refused.status == .forbidden, "\(role)")
                #expect((refused.json?["error"] as? String)?.contains("查看统计分析和预警") == true)
            }
            let home = try await Self.page(client, "/", as: try await client.signIn(.cityAnalyst))
            #expect(home.text.contains(#"<a href="/dashboard">查看救助概况</a>"#))
            #expect(!home.text.contains("全市救助概况</h2>\n<p class=\"hint\">分层分类统计图表"))
        }
    }
}
