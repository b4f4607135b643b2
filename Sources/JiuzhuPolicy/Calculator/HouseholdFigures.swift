import JiuzhuDomain

/// The calculator's figures for one household on one date, beside its decision.
///
/// The one source of household figures: the registry's profile (画像), its search index and,
/// later, warnings read them here rather than adding up incomes themselves, so a tag can never
/// disagree with the decision the calculator gives for the same household.
///
/// ```swift
/// let figures = try snapshot.figures(CompactHousehold(record.situation))
/// figures.result.eligible.contains(.dibaoEdge)   // the same answer `evaluate` gives
/// figures.perCapitaCountedIncome                  // 812.50元
/// ```
public struct HouseholdFigures: Sendable, Hashable {
    /// What `evaluate` decides for the household.
    public let result: HouseholdResult
    /// Counted income a month, income types the policy excludes left out.
    public let countedIncome: Fen
    /// Counted income less the rigid spending the policy lets be deducted, a month: what the
    /// dibao and edge lines are compared with.
    public let netIncome: Fen
    /// Counted income a month per member (rounded down to the fen).
    public let perCapitaCountedIncome: Fen
    /// Net income a month per member (rounded down to the fen).
    public let perCapitaNetIncome: Fen
    /// Medical out-of-pocket spending over the last 12 months.
    public let medicalSpending12: Fen
    /// Whether the year's counted income is under the monitoring line for the household.
    public let belowMonitoringLine: Bool
    /// Whether medical spending reached the warning line.
    public let medicalOverLine: Bool
}

extension PolicySnapshot {
    /// The decision for one household with the figures behind it, from the same assessment
    /// ``evaluate(_:)`` makes. A figure that leaves `Int64` is an error naming it.
    public func figures(_ household: CompactHousehold) throws(AmountOverflowError) -> HouseholdFigures {
        let a = assess(household)
        if let figure = a.overflow { throw AmountOverflowError(field: figure.chineseName) }
        let members = Int(a.members)
        return HouseholdFigures(
            result: a.result, countedIncome: Fen(a.countedIncome), netIncome: Fen(a.netIncome),
            perCapitaCountedIncome: Fen(a.countedIncome).perCapita(members),
            perCapitaNetIncome: Fen(a.netIncome).perCapita(members), medicalSpending12: Fen(a.medical12),
            belowMonitoringLine: a.belowMonitoringLine, medicalOverLine: a.medicalOverLine)
    }
}
