import JiuzhuDomain

/// The dashboard of one jurisdiction (辖区救助概况): a list of figures, each a table of counts
/// with the charts drawn from it.
///
/// **Adding a figure** (the warnings next: open warnings by type, division, status and age,
/// overdue warnings) is adding one ``DashboardFigure`` to ``figures``: write its aggregate query
/// beside the others (`JiuzhuStorage/Dashboard/DashboardFigures.swift`, on `DashboardRepository`),
/// build the figure in `DashboardService` (an `id` that is a file name, a title, a note on what
/// is counted, columns, rows, and the charts of its numbers) and append it in
/// ``DashboardService/dashboard(of:names:)``. Every surface shows every figure of the list with
/// nothing else to change: the page `/dashboard` draws each one's charts as inline SVG beside its
/// table, `/dashboard/<id>.csv` exports its table, and `GET /api/v1/dashboard` returns it (the
/// API's schema describes figures in general, so it stays the same).
///
/// ```swift
/// let dashboard = try await services.dashboard.dashboard(of: try DivisionCode("321281"), names: names)
/// dashboard.figures.map(\.id)   // ["households", "programmes", "trend", "casework"]
/// ```
public struct Dashboard: Sendable, Encodable {
    /// The jurisdiction the figures cover.
    public let division: DivisionCode
    public let name: String
    /// The day the figures were taken, in Asia/Shanghai.
    public let asOf: CivilDate
    /// The policy version whose tiers the figures use, if the node holds one.
    public let policyVersion: String?
    public let figures: [DashboardFigure]

    public init(
        division: DivisionCode, name: String, asOf: CivilDate, policyVersion: String?, figures: [DashboardFigure]
    ) {
        self.division = division
        self.name = name
        self.asOf = asOf
        self.policyVersion = policyVersion
        self.figures = figures
    }

    /// The figure named `id`.
    public func figure(_ id: String) -> DashboardFigure? { figures.first { $0.id == id } }

    private enum CodingKeys: String, CodingKey { case division, name, level, asOf, policyVersion, figures }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(division, forKey: .division)
        try container.encode(name, forKey: .name)
        try container.encode(division.level, forKey: .level)
        try container.encode(asOf, forKey: .asOf)
        try container.encodeIfPresent(policyVersion, forKey: .policyVersion)
        try container.encode(figures, forKey: .figures)
    }
}

/// One figure: a table of whole numbers with a title, a note saying what is counted and from
/// which source, and the charts that draw its numbers.
public struct DashboardFigure: Sendable, Encodable {
    /// A short name that is also the CSV's file name: `households` → `/dashboard/households.csv`.
    public let id: String
    public let title: String
    /// What is counted, from which source, and what is left out.
    public let note: String
    /// What the first column (the row labels) holds: 辖区, 月份.
    public let rowHeading: String
    public let columns: [DashboardColumn]
    public let rows: [DashboardRow]
    /// Drawings of the table's numbers; the API leaves them out, since the table has them all.
    public let charts: [DashboardChart]

    public init(
        id: String, title: String, note: String, rowHeading: String, columns: [DashboardColumn], rows: [DashboardRow],
        charts: [DashboardChart]
    ) {
        self.id = id
        self.title = title
        self.note = note
        self.rowHeading = rowHeading
        self.columns = columns
        self.rows = rows
        self.charts = charts
    }

    /// The column keyed `key`'s value in `row`, or 0.
    public func value(_ key: String, in row: DashboardRow) -> Int {
        columns.firstIndex { $0.key == key }.map { row.values[$0] } ?? 0
    }

    /// The row of the whole scope, if the figure has one.
    public var total: DashboardRow? { rows.first { $0.isTotal } }

    private enum CodingKeys: String, CodingKey { case id, title, note, rowHeading, columns, rows }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(title, forKey: .title)
        try container.encode(note, forKey: .note)
        try container.encode(rowHeading, forKey: .rowHeading)
        try container.encode(columns, forKey: .columns)
        try container.encode(rows, forKey: .rows)
    }
}

/// A column of counts: a stable key for programs (`tier1.households`) and its title.
public struct DashboardColumn: Sendable, Encodable, Equatable {
    public let key: String
    public let title: String

    public init(key: String, title: String) {
        self.key = key
        self.title = title
    }
}

/// A row: its label, the division it counts (which the page links to its own dashboard) and
/// one count per column.
public struct DashboardRow: Sendable, Encodable, Equatable {
    public let label: String
    /// The division the row counts; nil for a month or for the total.
    public let division: DivisionCode?
    /// Whether this is the whole scope's row (合计).
    public let isTotal: Bool
    public let values: [Int]

    /// What a row that names no division is about (a warning rule's code), for its link.
    public let code: String?

    public init(label: String, division: DivisionCode? = nil, code: String? = nil, isTotal: Bool = false, values: [Int])
    {
        self.label = label
        self.division = division
        self.code = code
        self.isTotal = isTotal
        self.values = values
    }

    private enum CodingKeys: String, CodingKey { case label, division, total, values }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(label, forKey: .label)
        try container.encodeIfPresent(division, forKey: .division)
        try container.encode(isTotal, forKey: .total)
        try container.encode(values, forKey: .values)
    }
}

/// A chart of some of a figure's numbers: what to draw, not how (the page draws it as SVG).
public struct DashboardChart: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// One bar per series for each category, side by side.
        case groupedBars
        /// The series of each category in one bar, end to end.
        case stackedBars
        /// One line per series across the categories (months).
        case lines
    }

    /// One series: its name and a value per category.
    public struct Series: Sendable, Equatable {
        public let name: String
        public let values: [Int]

        public init(name: String, values: [Int]) {
            self.name = name
            self.values = values
        }
    }

    public let kind: Kind
    /// A sentence for the chart's title (read by screen readers, shown on hover).
    public let title: String
    /// What the chart shows, in words, for those who cannot see it.
    public let description: String
    public let categories: [String]
    public let series: [Series]
    /// The unit of the values: 户, 人, 件.
    public let unit: String

    public init(kind: Kind, title: String, description: String, categories: [String], series: [Series], unit: String) {
        self.kind = kind
        self.title = title
        self.description = description
        self.categories = categories
        self.series = series
        self.unit = unit
    }
}
