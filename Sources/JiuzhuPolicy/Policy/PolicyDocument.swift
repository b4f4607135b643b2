import JiuzhuDomain

/// A policy file as loaded and validated: dated parameters, income and expenditure rules,
/// programme settings and mutually exclusive groups.
///
/// Load one with ``PolicyDocument/load(yaml:file:)``; compute with a ``PolicyCalculator``.
///
/// ```swift
/// let document = try PolicyDocument.load(yaml: text, file: "taizhou.yaml")
/// document.version.id  // "2026.1"
/// ```
public struct PolicyDocument: Sendable {
    /// The version identifier and the content hash of the file.
    public var version: PolicyVersion
    /// The policy's title, e.g. "泰州市社会救助政策".
    public var title: String
    /// The division code of the region the policy is for, if given.
    public var region: String?
    /// Every parameter's dated values, in date order.
    public var parameters: [ParameterKey: [DatedValue]]
    /// Income types not counted (不计入家庭收入).
    public var incomeNotCounted: Set<IncomeType>
    /// Rigid expenditure types deducted from income for dibao and dibao-edge.
    public var deductibleExpenditures: Set<ExpenditureType>
    /// Each programme's settings.
    public var programmes: [Programme: ProgrammeSettings]
    /// Groups of mutually exclusive programmes; in each, the first eligible one listed wins.
    public var exclusiveGroups: [[Programme]]
    /// Time limits and steps of casework; nil in a file written before casework existed, on
    /// which no case can be opened.
    public var casework: CaseworkRules?
    /// The warning platform's rules and verification limit; nil in a file written before
    /// warnings existed, under which no warning is raised.
    public var warnings: WarningSettings?

    /// One dated value of a parameter: in force from `from` until the next value's date.
    public struct DatedValue: Sendable, Hashable {
        /// First day the value is in force.
        public var from: CivilDate
        /// How the value is given.
        public var definition: Definition
        /// The line in the policy file, for messages.
        public var line: Int
    }

    /// How a parameter value is given in the file.
    public enum Definition: Sendable, Hashable {
        /// A fixed amount.
        case yuan(Fen)
        /// A multiple of another money parameter, scaled by ``PolicyDocument/scale`` ("1.3" is 13000).
        case multiple(Int64, of: ParameterKey)
        /// A whole number.
        case count(Int64)
        /// A decimal share scaled by ``PolicyDocument/scale`` ("0.5" is 5000).
        case ratio(Int64)
    }

    /// Multiples and ratios are exact decimals with up to four places, stored times 10,000.
    public static let scale: Int64 = 10_000

    /// Settings of one programme that are not dated values.
    public struct ProgrammeSettings: Sendable, Hashable {
        /// The tier eligibility for this programme puts a household in, or nil for none.
        public var tier: Tier?
        /// For ``Programme/rigidExpenditure``: which rule applies.
        public var rigidFormula: RigidExpenditureFormula?
    }
}

/// The two rules for rigid-expenditure hardship, chosen by the policy file.
public enum RigidExpenditureFormula: String, CaseIterable, Sendable, Codable, Hashable {
    /// The city's rule: per-capita (income − rigid expenditure) below the dibao standard.
    case city
    /// 刚性支出困难家庭认定办法 (2025): income below last year's per-capita disposable income and
    /// 12-month rigid spending over a share of annual income.
    case national2025
}

/// A policy version: an identifier people use and the hash of the exact file content, so a
/// determination can record which rules produced it.
///
/// ```swift
/// PolicyVersion(id: "2026.1", contentHash: "9f86d0…")
/// ```
public struct PolicyVersion: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The identifier given in the file, e.g. "2026.1".
    public var id: String
    /// SHA-256 of the file's bytes, lowercase hex (the same as `sha256sum`).
    public var contentHash: String

    /// Creates a version record.
    public init(id: String, contentHash: String) {
        self.id = id
        self.contentHash = contentHash
    }

    public var description: String { "\(id) (\(contentHash.prefix(12)))" }
}

/// A policy file that was refused: the file, the line and what is wrong, in Chinese.
///
/// ```swift
/// // taizhou.yaml 第 14 行：未知参数“dibao.standrd”
/// ```
public struct PolicyFileError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The file's name as given to the loader.
    public var file: String
    /// The 1-based line, or 0 when the problem concerns the whole file.
    public var line: Int
    /// What is wrong, in Chinese.
    public var message: String

    /// Creates an error record.
    public init(file: String, line: Int, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String {
        line > 0 ? "\(file) 第 \(line) 行：\(message)" : "\(file)：\(message)"
    }
}
