import Foundation

/// A chart drawn on the server as inline SVG: horizontal bars (grouped or stacked) and lines.
///
/// Made for the operator pages' rules and for paper: no script, no style sheet or `style`
/// attribute (the pages' CSP forbids inline styles; everything is a presentation attribute),
/// no web font (`sans-serif`), and nothing told by colour alone — each series has its own fill
/// pattern (bars) or dash and marker (lines), named in the legend, so a black-and-white print
/// still tells them apart. The drawing is `viewBox="0 0 320 h"` with no fixed size: 320 units is
/// about a phone's width less the page's margins, so on a phone a 12-unit label is about 12
/// pixels, and the stylesheet lets it scale with its box elsewhere. It carries `role="img"`, an `aria-label`, `<title>` and
/// `<desc>` for screen readers; every text is escaped by `HTMLEscaping`.
///
/// ```swift
/// let chart = SVGChart(
///     id: "households-0", kind: .stackedBars, title: "在保户数", description: "兴化市 120 户。",
///     categories: ["兴化市"], series: [.init(name: "兜底保障", values: [100]), .init(name: "专项救助", values: [20])],
///     unit: "户")
/// chart.svg   // "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 320 …\" role=\"img\" …"
/// ```
struct SVGChart: Sendable {
    enum Kind: Sendable, Equatable {
        case groupedBars, stackedBars, lines
    }

    struct Series: Sendable, Equatable {
        let name: String
        let values: [Int]
    }

    /// Unique on the page: the ids of the title, description and patterns start with it.
    let id: String
    let kind: Kind
    let title: String
    let description: String
    let categories: [String]
    let series: [Series]
    let unit: String

    /// The drawing's width in SVG units: a phone's width, less the page's margins.
    static let width = 320.0
    static let margin = 8.0
    static let fontSize = 12.0
    static let smallFontSize = 11.0

    /// The chart as an `<svg>` element.
    var svg: String {
        var body = Body()
        let legendBottom = legend(into: &body, top: Self.margin)
        let height: Double
        if categories.isEmpty || series.isEmpty {
            body.text("暂无数据", x: Self.width / 2, y: legendBottom + 30, anchor: "middle", size: Self.fontSize)
            height = legendBottom + 50
        } else if kind == .lines {
            height = lines(into: &body, top: legendBottom + 8)
        } else {
            height = bars(into: &body, top: legendBottom + 8)
        }
        let id = HTMLEscaping.escape(self.id)
        return """
            <svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 \(Self.number(Self.width)) \
            \(Self.number(height.rounded(.up)))" preserveAspectRatio="xMinYMin meet" role="img" \
            aria-label="\(HTMLEscaping.escape(title))" aria-describedby="\(id)-desc" font-family="sans-serif" \
            font-size="\(Self.number(Self.fontSize))" fill="#1d2733">\
            <title id="\(id)-title">\(HTMLEscaping.escape(title))</title>\
            <desc id="\(id)-desc">\(HTMLEscaping.escape(description))</desc>\
            <defs>\(patterns)</defs>\(body.markup)</svg>
            """
    }

    // MARK: Bars

    /// Room for a category's name left of the bars, and for a value right of them.
    static let labelWidth = 84.0
    static let valueWidth = 40.0

    /// Draws one horizontal bar per category (stacked) or per category and series (grouped);
    /// returns the drawing's height.
    private func bars(into body: inout Body, top: Double) -> Double {
        let stacked = kind == .stackedBars
        let plotX = Self.margin + Self.labelWidth + 4
        let plotWidth = Self.width - plotX - Self.valueWidth - Self.margin
        let barHeight = stacked ? 16.0 : 12.0
        let groupHeight = stacked ? barHeight : Double(series.count) * barHeight + Double(series.count - 1) * 2
        let largest =
            stacked
            ? categories.indices.map { index in series.reduce(0) { $0 + max(0, value($1, index)) } }.max() ?? 0
            : series.flatMap { $0.values }.max() ?? 0
        let scale = Self.axis(for: largest)
        func length(_ value: Int) -> Double { Self.length(value, of: scale.maximum, across: plotWidth) }
        var y = top
        for (index, category) in categories.enumerated() {
            body.open("g", ["class": "category"])
            body.element("title", text: category)
            body.text(
                Self.truncated(category, to: Self.labelWidth), x: plotX - 4, y: y + groupHeight / 2 + 4, anchor: "end",
                size: Self.fontSize)
            if stacked {
                var x = plotX
                var total = 0
                for (number, series) in series.enumerated() {
                    let value = max(0, value(series, index))
                    total += value
                    body.bar(
                        x: x, y: y, width: length(value), height: barHeight, pattern: "\(id)-p\(number)",
                        title: "\(category) \(series.name)：\(value) \(unit)")
                    x += length(value)
                }
                body.text(String(total), x: x + 3, y: y + barHeight - 4, size: Self.smallFontSize)
            } else {
                for (number, series) in series.enumerated() {
                    let value = max(0, value(series, index))
                    let barY = y + Double(number) * (barHeight + 2)
                    body.bar(
                        x: plotX, y: barY, width: length(value), height: barHeight, pattern: "\(id)-p\(number)",
                        title: "\(category) \(series.name)：\(value) \(unit)")
                    body.text(
                        String(value), x: plotX + length(value) + 3, y: barY + barHeight - 2, size: Self.smallFontSize)
                }
            }
            body.close("g")
            y += groupHeight + 10
        }
        // The value axis: a base line, and ticks with their values under the bars.
        let bottom = y - 6
        body.line(x1: plotX, y1: top - 2, x2: plotX, y2: bottom, stroke: "#1d2733")
        for tick in scale.ticks {
            let x = plotX + length(tick)
            if tick > 0 { body.line(x1: x, y1: top - 2, x2: x, y2: bottom, stroke: "#c4ccd4", dashes: "2 2") }
            body.text(String(tick), x: x, y: bottom + 14, anchor: "middle", size: Self.smallFontSize)
        }
        body.text("单位：\(unit)", x: Self.margin, y: bottom + 14, size: Self.smallFontSize)
        return bottom + 22
    }

    // MARK: Lines

    static let plotHeight = 150.0
    /// The dash of each series' line, after the first's solid one.
    static let dashes = ["", "6 3", "2 3", "8 3 2 3", "4 4", "1 2"]

    /// Draws one line per series across the categories; returns the drawing's height.
    private func lines(into body: inout Body, top: Double) -> Double {
        let largest = series.flatMap { $0.values }.max() ?? 0
        let scale = Self.axis(for: largest)
        let tickWidth = scale.ticks.map { Self.textWidth(String($0), size: Self.smallFontSize) }.max() ?? 0
        // Category names under the axis, turned when they do not fit side by side; a turned
        // first name reaches left of its point, so the plot starts far enough in for it.
        let widest = categories.map { Self.textWidth($0, size: Self.smallFontSize) }.max() ?? 0
        var plotX = Self.margin + tickWidth + 6
        var step = (Self.width - plotX - Self.margin - 4) / Double(categories.count)
        let turned = widest > step - 2
        if turned, let first = categories.first {
            let reach = Self.textWidth(first, size: Self.smallFontSize) * 0.71 + 4
            plotX = max(plotX, Self.margin + reach - step / 2)
            step = (Self.width - plotX - Self.margin - 4) / Double(categories.count)
        }
        let plotWidth = step * Double(categories.count)
        let bottom = top + Self.plotHeight
        func x(_ index: Int) -> Double { plotX + (Double(index) + 0.5) * step }
        func y(_ value: Int) -> Double { bottom - Self.length(value, of: scale.maximum, across: Self.plotHeight) }
        for tick in scale.ticks {
            body.line(
                x1: plotX, y1: y(tick), x2: plotX + plotWidth, y2: y(tick), stroke: tick == 0 ? "#1d2733" : "#c4ccd4",
                dashes: tick == 0 ? "" : "2 2")
            body.text(String(tick), x: plotX - 4, y: y(tick) + 4, anchor: "end", size: Self.smallFontSize)
        }
        for (index, category) in categories.enumerated() {
            if turned {
                body.text(
                    category, x: x(index), y: bottom + 12, anchor: "end", size: Self.smallFontSize,
                    rotate: (x(index), bottom + 12))
            } else {
                body.text(category, x: x(index), y: bottom + 14, anchor: "middle", size: Self.smallFontSize)
            }
        }
        for (number, series) in series.enumerated() {
            let points = categories.indices.map { index in (x(index), y(max(0, value(series, index)))) }
            let colour = Self.palette[number % Self.palette.count]
            body.open("g", ["class": "series"])
            body.element("title", text: series.name)
            body.polyline(points, stroke: colour.ink, dashes: Self.dashes[number % Self.dashes.count])
            for (index, point) in points.enumerated() {
                body.marker(
                    number, at: point, stroke: colour.ink,
                    title: "\(series.name) \(categories[index])：\(max(0, value(series, index))) \(unit)")
            }
            if let last = points.last, let value = series.values.last {
                body.text(String(max(0, value)), x: last.0, y: last.1 - 7, anchor: "middle", size: Self.smallFontSize)
            }
            body.close("g")
        }
        let labelHeight = turned ? widest * 0.71 + 16 : 20
        return bottom + labelHeight
    }

    // MARK: Legend, patterns, scale

    /// The series' names with their pattern or line, wrapped across lines; returns where it ends.
    private func legend(into body: inout Body, top: Double) -> Double {
        var x = Self.margin
        var y = top
        for (number, series) in series.enumerated() {
            let width = 18 + Self.textWidth(series.name, size: Self.smallFontSize) + 12
            if x > Self.margin, x + width > Self.width - Self.margin {
                x = Self.margin
                y += 18
            }
            if kind == .lines {
                let colour = Self.palette[number % Self.palette.count]
                body.polyline(
                    [(x, y + 6), (x + 14, y + 6)], stroke: colour.ink, dashes: Self.dashes[number % Self.dashes.count])
                body.marker(number, at: (x + 7, y + 6), stroke: colour.ink, title: nil)
            } else {
                body.bar(x: x, y: y, width: 14, height: 12, pattern: "\(id)-p\(number)", title: nil)
            }
            body.text(series.name, x: x + 18, y: y + 10, size: Self.smallFontSize)
            x += width
        }
        return series.isEmpty ? top : y + 14
    }

    /// A colour and what is drawn over it, per series: a print in black and white tells the
    /// series apart by the marks alone.
    static let palette: [(fill: String, ink: String)] = [
        ("#2f5d8a", "#2f5d8a"), ("#f3d3b8", "#a34e12"), ("#d5ead5", "#2e6b2e"), ("#e6d6ee", "#6c3483"),
        ("#f6d5d2", "#a3261e"), ("#e1e5e8", "#4d5a66"),
    ]

    /// One fill pattern per series: solid, diagonal lines, dots, cross-hatching, horizontal and
    /// vertical lines, each over its colour.
    private var patterns: String {
        guard kind != .lines else { return "" }
        return series.indices.map { number in
            let colour = Self.palette[number % Self.palette.count]
            let id = HTMLEscaping.escape("\(self.id)-p\(number)")
            let marks: String
            switch number % Self.palette.count {
            case 0: marks = ""
            case 1: marks = #"<path d="M-1,1 l2,-2 M0,6 l6,-6 M5,7 l2,-2" stroke="\#(colour.ink)" stroke-width="1.5"/>"#
            case 2: marks = #"<circle cx="3" cy="3" r="1.4" fill="\#(colour.ink)"/>"#
            case 3: marks = #"<path d="M0,0 L6,6 M6,0 L0,6" stroke="\#(colour.ink)" stroke-width="1"/>"#
            case 4: marks = #"<path d="M0,3 H6" stroke="\#(colour.ink)" stroke-width="1.5"/>"#
            default: marks = #"<path d="M3,0 V6" stroke="\#(colour.ink)" stroke-width="1.5"/>"#
            }
            return #"<pattern id="\#(id)" width="6" height="6" patternUnits="userSpaceOnUse">"#
                + #"<rect width="6" height="6" fill="\#(colour.fill)"/>\#(marks)</pattern>"#
        }.joined()
    }

    private func value(_ series: Series, _ index: Int) -> Int {
        index < series.values.count ? series.values[index] : 0
    }

    /// The value axis: a round maximum at or above `largest` and at most five steps to it, each
    /// step 1, 2 or 5 times a power of ten.
    static func axis(for largest: Int) -> (maximum: Int, ticks: [Int]) {
        guard largest > 0 else { return (1, [0, 1]) }
        let least = (largest + 4) / 5
        var power = 1
        while power <= least / 10 { power *= 10 }
        let step = [1, 2, 5, 10].map { $0 * power }.first { $0 >= least } ?? 10 * power
        let maximum = (largest + step - 1) / step * step
        return (maximum, Array(stride(from: 0, through: maximum, by: step)))
    }

    /// How long a bar of `value` is when `maximum` spans `span` units.
    static func length(_ value: Int, of maximum: Int, across span: Double) -> Double {
        guard maximum > 0 else { return 0 }
        return Double(max(0, value)) / Double(maximum) * span
    }

    /// About how wide `text` is at `size`: Chinese characters are square, Latin letters and
    /// digits a little over half as wide.
    static func textWidth(_ text: String, size: Double) -> Double {
        text.unicodeScalars.reduce(0) { $0 + ($1.value < 0x2E80 ? 0.6 : 1.0) * size }
    }

    /// `text`, shortened with "…" to fit `width` at the usual size.
    static func truncated(_ text: String, to width: Double) -> String {
        guard textWidth(text, size: fontSize) > width else { return text }
        var shortened = text
        while !shortened.isEmpty, textWidth(shortened + "…", size: fontSize) > width { shortened.removeLast() }
        return shortened + "…"
    }

    /// A coordinate as SVG writes it: at most one decimal.
    static func number(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}

/// The elements of a chart as they are drawn, every text and attribute escaped.
private struct Body {
    var markup = ""

    mutating func open(_ name: String, _ attributes: [String: String] = [:]) {
        markup += "<\(name)"
        for (key, value) in attributes.sorted(by: { $0.key < $1.key }) {
            markup += " \(key)=\"\(HTMLEscaping.escape(value))\""
        }
        markup += ">"
    }

    mutating func close(_ name: String) { markup += "</\(name)>" }

    mutating func element(_ name: String, text: String) {
        markup += "<\(name)>\(HTMLEscaping.escape(text))</\(name)>"
    }

    mutating func text(
        _ text: String, x: Double, y: Double, anchor: String = "start", size: Double,
        rotate: (Double, Double)? = nil
    ) {
        let turn = rotate.map { " transform=\"rotate(-45 \(SVGChart.number($0.0)) \(SVGChart.number($0.1)))\"" } ?? ""
        markup += "<text x=\"\(SVGChart.number(x))\" y=\"\(SVGChart.number(y))\" text-anchor=\"\(anchor)\""
        markup += " font-size=\"\(SVGChart.number(size))\"\(turn)>\(HTMLEscaping.escape(text))</text>"
    }

    mutating func bar(x: Double, y: Double, width: Double, height: Double, pattern: String, title: String?) {
        markup += "<rect x=\"\(SVGChart.number(x))\" y=\"\(SVGChart.number(y))\" width=\"\(SVGChart.number(width))\""
        markup += " height=\"\(SVGChart.number(height))\" fill=\"url(#\(HTMLEscaping.escape(pattern)))\""
        markup += " stroke=\"#1d2733\" stroke-width=\"0.5\""
        if let title {
            markup += "><title>\(HTMLEscaping.escape(title))</title></rect>"
        } else {
            markup += "/>"
        }
    }

    mutating func line(x1: Double, y1: Double, x2: Double, y2: Double, stroke: String, dashes: String = "") {
        markup += "<line x1=\"\(SVGChart.number(x1))\" y1=\"\(SVGChart.number(y1))\" x2=\"\(SVGChart.number(x2))\""
        markup += " y2=\"\(SVGChart.number(y2))\" stroke=\"\(stroke)\" stroke-width=\"1\""
        markup += dashes.isEmpty ? "/>" : " stroke-dasharray=\"\(dashes)\"/>"
    }

    mutating func polyline(_ points: [(Double, Double)], stroke: String, dashes: String) {
        let list = points.map { "\(SVGChart.number($0.0)),\(SVGChart.number($0.1))" }.joined(separator: " ")
        markup += "<polyline points=\"\(list)\" fill=\"none\" stroke=\"\(stroke)\" stroke-width=\"2\""
        markup += dashes.isEmpty ? "/>" : " stroke-dasharray=\"\(dashes)\"/>"
    }

    /// The marker of series `number` at a point: a circle, a square, a triangle, a diamond…,
    /// hollow, so that overlapping series stay apart in black and white.
    mutating func marker(_ number: Int, at point: (Double, Double), stroke: String, title: String?) {
        let (x, y) = point
        let shape: String
        switch number % 4 {
        case 0: shape = "<circle cx=\"\(SVGChart.number(x))\" cy=\"\(SVGChart.number(y))\" r=\"3.5\""
        case 1:
            shape = "<rect x=\"\(SVGChart.number(x - 3.5))\" y=\"\(SVGChart.number(y - 3.5))\" width=\"7\" height=\"7\""
        case 2:
            shape =
                "<path d=\"M\(SVGChart.number(x)),\(SVGChart.number(y - 4.5)) l4,7.5 h-8 z\""
        default:
            shape = "<path d=\"M\(SVGChart.number(x)),\(SVGChart.number(y - 4.5)) l4.5,4.5 l-4.5,4.5 l-4.5,-4.5 z\""
        }
        markup += shape + " fill=\"#fff\" stroke=\"\(stroke)\" stroke-width=\"1.5\""
        if let title {
            markup += "><title>\(HTMLEscaping.escape(title))</title>"
            markup += shape.hasPrefix("<circle") ? "</circle>" : shape.hasPrefix("<rect") ? "</rect>" : "</path>"
        } else {
            markup += "/>"
        }
    }
}
