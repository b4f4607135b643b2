import JiuzhuDomain

/// Which programmes each county delegates to its townships for approval (受委托审批), as the
/// topology declares them: a delegated programme is decided at the township, every other at
/// the county.
///
/// ```swift
/// let delegation = ApprovalDelegation(byCounty: [county: [.dibao, .temporaryAssistance]])
/// delegation.decisionLevel(for: .dibao, village: village)           // .township
/// delegation.decisionLevel(for: .extremePoverty, village: village)  // .county
/// ```
public struct ApprovalDelegation: Sendable, Hashable {
    /// The programmes each county delegates.
    public let byCounty: [DivisionCode: Set<Programme>]

    public init(byCounty: [DivisionCode: Set<Programme>]) {
        self.byCounty = byCounty
    }

    /// No delegation: the counties decide everything.
    public static let none = ApprovalDelegation(byCounty: [:])

    /// The level that decides `programme` for a household in `village`.
    public func decisionLevel(for programme: Programme, village: DivisionCode) -> DivisionLevel {
        let delegated = byCounty.contains { county, programmes in
            village.isWithin(county) && programmes.contains(programme)
        }
        return delegated ? .township : .county
    }
}
