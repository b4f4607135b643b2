/// An assistance programme the calculator decides on, by its code name.
///
/// The raw value is the code used in policy files, enrolments and JSON ("dibao"); the Chinese
/// name is what users read.
///
/// ```swift
/// Programme(rawValue: "dibaoEdge")?.chineseName  // "低保边缘家庭"
/// ```
public enum Programme: String, CaseIterable, Sendable, Codable, Hashable, Comparable {
    /// 最低生活保障 (低保): monthly top-up to the standard.
    case dibao
    /// 特困人员救助供养: basic living plus care, for people with no work ability, income or supporter.
    case extremePoverty
    /// 孤儿基本生活费.
    case orphan
    /// 事实无人抚养儿童基本生活补贴.
    case unsupportedChild
    /// 低保边缘家庭: per-capita income between the standard and a multiple of it.
    case dibaoEdge
    /// 刚性支出困难家庭 (支出型贫困).
    case rigidExpenditure
    /// 临时救助: one-off emergency or expenditure assistance.
    case temporaryAssistance
    /// 困难残疾人生活补贴.
    case disabilityLiving
    /// 重度残疾人护理补贴.
    case severeDisabilityCare

    /// The programme's position in ``ProgrammeSet`` bitmasks and in result arrays.
    @inlinable
    public var index: Int {
        switch self {
        case .dibao: 0
        case .extremePoverty: 1
        case .orphan: 2
        case .unsupportedChild: 3
        case .dibaoEdge: 4
        case .rigidExpenditure: 5
        case .temporaryAssistance: 6
        case .disabilityLiving: 7
        case .severeDisabilityCare: 8
        }
    }

    /// The programme's name as users read it.
    public var chineseName: String {
        switch self {
        case .dibao: "最低生活保障（低保）"
        case .extremePoverty: "特困人员救助供养"
        case .orphan: "孤儿基本生活保障"
        case .unsupportedChild: "事实无人抚养儿童基本生活补贴"
        case .dibaoEdge: "低保边缘家庭"
        case .rigidExpenditure: "刚性支出困难家庭（支出型贫困）"
        case .temporaryAssistance: "临时救助"
        case .disabilityLiving: "困难残疾人生活补贴"
        case .severeDisabilityCare: "重度残疾人护理补贴"
        }
    }

    /// Whether the amount is paid once (临时救助) rather than every month.
    public var isOneOff: Bool { self == .temporaryAssistance }

    /// Whether the programme is decided for each person (特困, the children's allowances, the
    /// two disability subsidies) rather than for the household as a whole.
    ///
    /// Exclusive groups apply to each person for these: a person supported by one is not
    /// supported by a later one in its group, and is not counted in the household programmes
    /// listed after it (a person supported as 特困 is not counted again in 低保).
    public var isPerPerson: Bool {
        switch self {
        case .extremePoverty, .orphan, .unsupportedChild, .disabilityLiving, .severeDisabilityCare: true
        case .dibao, .dibaoEdge, .rigidExpenditure, .temporaryAssistance: false
        }
    }

    /// Programmes in index order.
    public static let ordered: [Programme] = allCases.sorted { $0.index < $1.index }

    public static func < (lhs: Programme, rhs: Programme) -> Bool { lhs.index < rhs.index }

    /// Decodes a programme code, refusing an unknown one with the list of codes.
    public init(from decoder: any Decoder) throws { self = try decoder.decodeCode(Self.self) }
}

/// A set of programmes as a bitmask, cheap to build and compare in the batch loop.
///
/// ```swift
/// let set: ProgrammeSet = [.dibao, .disabilityLiving]
/// set.contains(.dibao)  // true
/// ```
public struct ProgrammeSet: OptionSet, Hashable, Sendable, Codable {
    /// One bit per ``Programme/index``.
    public var rawValue: UInt16

    @inlinable
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// The set holding one programme.
    @inlinable
    public init(_ programme: Programme) { self.rawValue = 1 << UInt16(programme.index) }

    /// Whether `programme` is in the set.
    @inlinable
    public func contains(_ programme: Programme) -> Bool { rawValue & (1 << UInt16(programme.index)) != 0 }

    /// 最低生活保障.
    public static let dibao = ProgrammeSet(.dibao)
    /// 特困人员救助供养.
    public static let extremePoverty = ProgrammeSet(.extremePoverty)
    /// 孤儿基本生活保障.
    public static let orphan = ProgrammeSet(.orphan)
    /// 事实无人抚养儿童基本生活补贴.
    public static let unsupportedChild = ProgrammeSet(.unsupportedChild)
    /// 低保边缘家庭.
    public static let dibaoEdge = ProgrammeSet(.dibaoEdge)
    /// 刚性支出困难家庭.
    public static let rigidExpenditure = ProgrammeSet(.rigidExpenditure)
    /// 临时救助.
    public static let temporaryAssistance = ProgrammeSet(.temporaryAssistance)
    /// 困难残疾人生活补贴.
    public static let disabilityLiving = ProgrammeSet(.disabilityLiving)
    /// 重度残疾人护理补贴.
    public static let severeDisabilityCare = ProgrammeSet(.severeDisabilityCare)

    /// The programmes in the set, in index order.
    public var programmes: [Programme] { Programme.ordered.filter { contains($0) } }

    /// Encodes as a list of programme codes.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(programmes)
    }

    /// Decodes a list of programme codes.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let list = try container.decode([Programme].self)
        self.init(list)
    }

    /// The set of the listed programmes.
    public init(_ programmes: some Sequence<Programme>) {
        self.rawValue = 0
        for programme in programmes { rawValue |= ProgrammeSet(programme).rawValue }
    }
}

/// The tier (分层) a household falls in, from the programmes it qualifies for and its situation.
public enum Tier: Int, Sendable, Codable, Hashable, Comparable, CaseIterable {
    /// 兜底保障: dibao, extreme poverty, orphans, de-facto unsupported children.
    case bottomLine = 1
    /// 专项救助: dibao-edge and rigid-expenditure hardship.
    case special = 2
    /// 监测预警: emergency hardship, income under the monitoring line, high medical spending.
    case monitoring = 3
    /// No tier: the household is not in assistance or at risk.
    case none = 9

    /// The tier's name as users read it.
    public var chineseName: String {
        switch self {
        case .bottomLine: "第一层 兜底保障"
        case .special: "第二层 专项救助"
        case .monitoring: "第三层 监测预警"
        case .none: "未分层"
        }
    }

    public static func < (lhs: Tier, rhs: Tier) -> Bool { lhs.rawValue < rhs.rawValue }
}
