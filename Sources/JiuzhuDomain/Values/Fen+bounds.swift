extension Fen {
    /// Why this amount cannot be a real one, or nil when it lies in ``InputBounds/amountFen``.
    ///
    /// Every entry point (calculator JSON, registry validation, CSV import, page forms) asks
    /// this one question, so they refuse the same amounts with the same words.
    ///
    /// ```swift
    /// Fen(-1).implausibility                      // "金额不能为负"
    /// Fen(5_000_000_000_000_000_000).implausibility  // "金额不能超过 100000000.00元"
    /// ```
    public var implausibility: String? {
        if rawValue < InputBounds.amountFen.lowerBound { return "金额不能为负" }
        if rawValue > InputBounds.amountFen.upperBound {
            return "金额不能超过 \(Fen(InputBounds.amountFen.upperBound))"
        }
        return nil
    }
}

extension InputBounds {
    /// Why a list of `count` entries is too long, or nil within ``InputBounds/listEntries``.
    ///
    /// ```swift
    /// InputBounds.listProblem(51)  // "至多 50 项，实际 51 项"
    /// ```
    public static func listProblem(_ count: Int) -> String? {
        listEntries.contains(count) ? nil : "至多 \(listEntries.upperBound) 项，实际 \(count) 项"
    }
}
