import Foundation
import Testing

@testable import JiuzhuWeb

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The server-drawn charts: well-formed SVG, every text escaped, bars proportional to their
/// values, an empty chart that says so, nothing the pages' CSP would block.
@Suite struct SVGChartTests {
    static func chart(
        _ kind: SVGChart.Kind, categories: [String], series: [SVGChart.Series], title: String = "在保户数"
    ) -> SVGChart {
        SVGChart(
            id: "c1", kind: kind, title: title, description: "说明", categories: categories, series: series, unit: "户")
    }

    /// The `(title, width)` of every bar that has a title (the legend's swatches have none).
    static func bars(_ svg: String) throws -> [(title: String, width: Double)] {
        let pattern = try Regex(#"<rect x="[0-9.]+" y="[0-9.]+" width="([0-9.]+)"[^>]*><title>([^<]*)</title>"#)
        return svg.matches(of: pattern).compactMap { match in
            guard let width = match.output[1].substring.flatMap({ Double($0) }),
                let title = match.output[2].substring
            else { return nil }
            return (String(title), width)
        }
    }

    /// Whether the text parses as XML (an SVG a browser would draw).
    static func wellFormed(_ svg: String) -> Bool {
        XMLParser(data: Data(svg.utf8)).parse()
    }

    @Test(arguments: [SVGChart.Kind.groupedBars, .stackedBars, .lines])
    func everyTextIsEscapedAndNothingTheCSPBlocksIsDrawn(kind: SVGChart.Kind) throws {
        let hostile = "<script>alert(1)</script>&\"'\u{0600}<b>"
        let svg = Self.chart(
            kind, categories: [hostile, "城南社区"], series: [.init(name: hostile, values: [3, 4])], title: hostile
        ).svg
        #expect(!svg.contains("<script"), "no live script")
        #expect(!svg.contains("<b>"))
        #expect(svg.contains("&lt;script&gt;alert(1)&lt;/script&gt;&amp;&quot;&#39;\u{0600}&lt;b&gt;"))
        #expect(!svg.contains("style="), "no inline style: the CSP forbids it")
        #expect(!svg.contains("href"), "nothing loaded or linked")
        #expect(Self.wellFormed(svg), "\(svg)")
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(svg.contains(#"role="img""#) && svg.contains(#"aria-label="&lt;script&gt;"#))
        #expect(svg.contains(#"<title id="c1-title">"#) && svg.contains(#"<desc id="c1-desc">说明</desc>"#))
        #expect(svg.contains(#"aria-describedby="c1-desc""#))
        #expect(
            !svg.contains(" width=\"320\"") && svg.contains(#"viewBox="0 0 320 "#),
            "no fixed size: it scales with its box")
    }

    @Test func groupedBarsAreProportionalToTheirValues() throws {
        let svg = Self.chart(
            .groupedBars, categories: ["兴化市", "泰兴市"],
            series: [.init(name: "户数", values: [10, 40]), .init(name: "人数", values: [20, 0])]
        ).svg
        let bars = try Self.bars(svg)
        #expect(bars.map(\.title) == ["兴化市 户数：10 户", "兴化市 人数：20 户", "泰兴市 户数：40 户", "泰兴市 人数：0 户"])
        let widths = bars.map(\.width)
        #expect(abs(widths[1] / widths[0] - 2) < 0.02)
        #expect(abs(widths[2] / widths[0] - 4) < 0.02)
        #expect(widths[3] == 0)
        // The largest bar spans the axis' maximum (40 of 40) across the plot.
        #expect(
            abs(widths[2] - (SVGChart.width - SVGChart.margin * 2 - SVGChart.labelWidth - 4 - SVGChart.valueWidth))
                < 0.1)
        // Each value is written beside its bar, and each series has its own pattern.
        for value in ["10", "40", "20"] { #expect(svg.contains(">\(value)</text>")) }
        #expect(svg.contains(#"<pattern id="c1-p0""#) && svg.contains(#"<pattern id="c1-p1""#))
        #expect(svg.contains(#"fill="url(#c1-p1)""#))
    }

    @Test func stackedBarsEndAtTheirTotal() throws {
        let svg = Self.chart(
            .stackedBars, categories: ["昭阳街道", "戴窑镇"],
            series: [.init(name: "兜底保障", values: [30, 5]), .init(name: "专项救助", values: [10, 5])]
        ).svg
        let bars = try Self.bars(svg)
        #expect(bars.count == 4)
        let first = bars[0].width + bars[1].width
        let second = bars[2].width + bars[3].width
        #expect(abs(first / second - 4) < 0.02, "40 against 10")
        #expect(abs(bars[0].width / bars[1].width - 3) < 0.02)
        #expect(svg.contains(">40</text>") && svg.contains(">10</text>"), "each bar's total")
    }

    @Test func linesHaveADashAndAMarkerPerSeriesAndAPointPerMonth() throws {
        let months = ["2025年4月", "5月", "6月", "7月", "8月", "9月", "10月", "11月", "12月", "2026年1月", "2月", "3月"]
        let svg = Self.chart(
            .lines, categories: months,
            series: [
                .init(name: "纳入", values: Array(1...12)), .init(name: "停止", values: Array(repeating: 2, count: 12)),
            ]
        ).svg
        #expect(Self.wellFormed(svg))
        // Two lines and their two legend samples; the second dashed.
        #expect(svg.matches(of: try Regex("<polyline ")).count == 4)
        #expect(svg.contains(#"stroke-dasharray="6 3""#))
        #expect(svg.matches(of: try Regex("<circle [^>]*><title>纳入 ")).count == 12)
        #expect(svg.matches(of: try Regex("<rect [^>]*><title>停止 ")).count == 12)
        // Months too wide for their place are turned, not overlapped.
        #expect(svg.contains("rotate(-45"))
        #expect(svg.contains(">2026年1月</text>"))
    }

    @Test(arguments: [SVGChart.Kind.groupedBars, .stackedBars, .lines])
    func anEmptyChartSaysSoAndZerosDrawNothing(kind: SVGChart.Kind) throws {
        let empty = Self.chart(kind, categories: [], series: []).svg
        #expect(empty.contains("暂无数据") && Self.wellFormed(empty))
        #expect(empty.contains("<title id=\"c1-title\">在保户数</title>"))
        let zeros = Self.chart(kind, categories: ["靖江市"], series: [.init(name: "户数", values: [0])]).svg
        #expect(Self.wellFormed(zeros))
        #expect(!zeros.contains("NaN") && !zeros.contains("inf"))
        if kind != .lines { #expect(try Self.bars(zeros).map(\.width) == [0]) }
    }

    @Test(arguments: [
        (0, 1, [0, 1]), (1, 1, [0, 1]), (7, 8, [0, 2, 4, 6, 8]), (10, 10, [0, 2, 4, 6, 8, 10]),
        (100, 100, [0, 20, 40, 60, 80, 100]), (101, 150, [0, 50, 100, 150]),
        (116_481, 150_000, [0, 50_000, 100_000, 150_000]),
    ])
    func theAxisRisesInRoundSteps(largest: Int, maximum: Int, ticks: [Int]) {
        let axis = SVGChart.axis(for: largest)
        #expect(axis.maximum == maximum && axis.ticks == ticks)
    }

    @Test func longNamesAreShortenedToTheirPlace() {
        #expect(SVGChart.truncated("兴化市", to: SVGChart.labelWidth) == "兴化市")
        let long = SVGChart.truncated("事实无人抚养儿童基本生活补贴", to: SVGChart.labelWidth)
        #expect(long.hasSuffix("…") && SVGChart.textWidth(long, size: SVGChart.fontSize) <= SVGChart.labelWidth)
    }
}
