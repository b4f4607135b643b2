import JiuzhuDomain
import JiuzhuPolicy
import JiuzhuRegistry

/// A warning a rule found, before it is raised: the fact (rule, household, source, period),
/// what it says and its evidence. Raising gives it its key, generation and deadline.
public struct WarningDraft: Sendable, Equatable, Codable {
    public var rule: WarningRule
    public var household: String
    public var village: String
    public var person: String?
    public var personName: String?
    public var source: String
    public var period: String
    public var summary: String
    public var evidence: WarningEvidence
    public var programmes: [Programme]
    public var action: WarningAction

    /// The warning's stable key at `owner`.
    public func key(owner: DivisionCode) -> String {
        WarningRecord.key(owner: owner, rule: rule, household: household, source: source, period: period)
    }
}

/// A registered household as the rules read it: its record and what it receives.
public struct HouseholdFacts: Sendable {
    public let record: HouseholdRecord
    public let received: [Programme]

    public init(record: HouseholdRecord, received: [Programme]) {
        self.record = record
        self.received = received
    }

    /// The facts every warning about the household shows.
    var facts: [WarningEvidence.Fact] {
        [
            .init("家庭", "\(record.id)（\(record.address)）"),
            .init("家庭人口", "\(record.members.count) 人"),
            .init("享受的救助", received.isEmpty ? "无" : received.map(\.chineseName).joined(separator: "、")),
        ]
    }

    func member(_ citizenID: String) -> PersonRecord? {
        record.members.first { $0.citizenID.uppercased() == citizenID.uppercased() }
    }
}

/// What the rules run with: the day, the node whose rules they are, the policy in force and
/// the warning section's switches.
public struct WarningContext: Sendable {
    public let today: CivilDate
    public let owner: DivisionCode
    public let settings: WarningSettings
    public let calculator: PolicyCalculator
    public let snapshot: PolicySnapshot

    public init(
        today: CivilDate, owner: DivisionCode, settings: WarningSettings, calculator: PolicyCalculator,
        snapshot: PolicySnapshot
    ) {
        self.today = today
        self.owner = owner
        self.settings = settings
        self.calculator = calculator
        self.snapshot = snapshot
    }

    public var policyVersion: String { calculator.version.id }

    /// Whether `rule` is on today.
    public func isOn(_ rule: WarningRule) -> Bool { settings.isEnabled(rule, on: today) }

    /// A parameter in force today.
    public func parameter(_ key: ParameterKey) -> ResolvedParameter { snapshot.parameter(key) }
}
