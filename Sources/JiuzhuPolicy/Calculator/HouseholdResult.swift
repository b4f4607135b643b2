import JiuzhuDomain

/// The calculator's answer for one household on one date: which programmes it is eligible
/// for, each amount, and its tier. No strings: see ``Explanation`` for the reasons.
///
/// ```swift
/// let result = try calculator.evaluate(household, on: date)
/// if result.eligible.contains(.dibao) { print(result.amount(.dibao)) }  // 930.00元
/// ```
public struct HouseholdResult: Sendable, Hashable {
    /// Programmes the household is eligible for, after mutually exclusive groups are applied.
    public var eligible: ProgrammeSet
    /// Programmes that met their own conditions but lost to another in an exclusive group.
    public var excluded: ProgrammeSet
    /// Amounts in fen by ``Programme/index``: monthly, or once for one-off programmes; zero
    /// for programmes not eligible.
    public var amounts: SIMD16<Int64>
    /// The household's tier.
    public var tier: Tier
    /// Why the tier was chosen.
    public var tierReason: TierReason

    /// The amount of one programme.
    @inlinable
    public func amount(_ programme: Programme) -> Fen { Fen(amounts[programme.index]) }

    /// The total of all monthly amounts (one-off programmes left out).
    public var monthlyTotal: Fen {
        var total: Int64 = 0
        for programme in Programme.ordered where !programme.isOneOff { total += amounts[programme.index] }
        return Fen(total)
    }
}

/// Why a household is in its tier.
public enum TierReason: UInt8, Sendable, Hashable, Codable {
    /// An eligible programme belongs to the tier.
    case programme
    /// Per-capita income is under the monitoring line.
    case belowMonitoringLine
    /// Medical out-of-pocket spending reached the warning line.
    case medicalWarning
    /// No programme and no warning applies.
    case none
}
