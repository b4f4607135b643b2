/// The four working levels of the assistance system, top to bottom.
///
/// A node's role is the level of its division: the city bureau (市社会救助服务局),
/// a county centre (县级社会救助服务中心), a township window (乡镇窗口) and a
/// village station (村居服务站).
public enum DivisionLevel: String, CaseIterable, Codable, Comparable, Sendable {
    case city
    case county
    case township
    case village

    /// The level directly below this one, if any.
    public var childLevel: DivisionLevel? {
        switch self {
        case .city: .county
        case .county: .township
        case .township: .village
        case .village: nil
        }
    }

    /// The Chinese name of the role a node at this level plays.
    public var chineseName: String {
        switch self {
        case .city: "市级（社会救助服务局）"
        case .county: "县级（社会救助服务中心）"
        case .township: "乡镇（街道）窗口"
        case .village: "村（居）服务站"
        }
    }

    /// A short Chinese label for tables and messages.
    public var shortName: String {
        switch self {
        case .city: "市"
        case .county: "县"
        case .township: "乡镇"
        case .village: "村"
        }
    }

    private var depth: Int { Self.allCases.firstIndex(of: self) ?? 0 }

    public static func < (lhs: DivisionLevel, rhs: DivisionLevel) -> Bool { lhs.depth < rhs.depth }
}

/// The role a node plays is the level of the division it serves.
public typealias NodeRole = DivisionLevel
