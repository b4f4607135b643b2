import JiuzhuDomain
import JiuzhuPolicy

/// Rigid expenditure (刚性支出) of one type over the last 12 months, as the registry stores it:
/// `{"last12Months":…,"type":…}`.
///
/// The registry's own type, not the calculator's `HouseholdSituation.Expenditure`, so that
/// the stored payload (version 1, ``HouseholdRecord/storedFormatVersion``) stays as it is when
/// the calculator's request format changes.
public struct StoredExpenditure: Codable, Hashable, Sendable {
    /// 支出类型.
    public var type: StoredExpenditureType
    /// Total over the last 12 months, in fen.
    public var last12Months: Fen

    /// Creates an expenditure record.
    public init(type: StoredExpenditureType, last12Months: Fen) {
        self.type = type
        self.last12Months = last12Months
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case type, last12Months }

    /// Decodes strictly, refusing a negative amount.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
        type = try c.decode(StoredExpenditureType.self, forKey: .type)
        last12Months = try c.decode(Fen.self, forKey: .last12Months)
        try c.require(last12Months >= .zero, forKey: .last12Months, "金额不能为负")
    }
}
