import JiuzhuDomain

/// The policy calculator (救助政策计算器): one loaded policy, every programme decided and
/// explained for a household on a date.
///
/// All the periods in which parameter values stay the same are resolved once, when the
/// calculator is made; asking for a date is then a binary search.
///
/// ```swift
/// let calculator = PolicyCalculator(document: try PolicyDocument.load(yaml: text, file: "taizhou.yaml"))
/// let date = try CivilDate("2026-07-01")
/// let result = try calculator.evaluate(household, on: date)
/// let why = try calculator.explain(household, on: date)
/// ```
public struct PolicyCalculator: Sendable {
    /// The policy the calculator computes with.
    public let document: PolicyDocument
    /// One snapshot per period, in date order.
    let snapshots: [PolicySnapshot]

    /// The version determinations should record.
    public var version: PolicyVersion { document.version }

    /// The first date on which every parameter is in force, if any.
    public var firstDate: CivilDate? { snapshots.first?.validFrom }

    /// Resolves every period of the document.
    public init(document: PolicyDocument) {
        self.document = document
        let dates = Set(document.parameters.values.flatMap { $0.map(\.from) }).sorted()
        var snapshots: [PolicySnapshot] = []
        for (position, date) in dates.enumerated() {
            let next = position + 1 < dates.count ? dates[position + 1] : nil
            if let snapshot = PolicySnapshot(document: document, on: date, validUntil: next) {
                snapshots.append(snapshot)
            }
        }
        self.snapshots = snapshots
    }

    /// The policy resolved for `date`, carrying `date` and the date in its month ages are counted on.
    public func snapshot(on date: CivilDate) throws(PolicyNotInForceError) -> PolicySnapshot {
        var low = 0
        var high = snapshots.count
        while low < high {
            let middle = (low + high) / 2
            if snapshots[middle].validFrom <= date { low = middle + 1 } else { high = middle }
        }
        guard low > 0 else { throw PolicyNotInForceError(date: date, firstDate: firstDate) }
        var snapshot = snapshots[low - 1]
        snapshot.move(to: date)
        return snapshot
    }

    /// Decides every programme for `household` on `date`.
    public func evaluate(_ household: HouseholdSituation, on date: CivilDate) throws(CalculationError)
        -> HouseholdResult
    {
        let snapshot: PolicySnapshot
        do { snapshot = try self.snapshot(on: date) } catch { throw .notInForce(error) }
        do { return try snapshot.evaluate(CompactHousehold(household)) } catch { throw .overflow(error) }
    }

    /// Explains every decision for `household` on `date`.
    public func explain(_ household: HouseholdSituation, on date: CivilDate) throws(CalculationError)
        -> Explanation
    {
        let snapshot: PolicySnapshot
        do { snapshot = try self.snapshot(on: date) } catch { throw .notInForce(error) }
        do { return try snapshot.explain(CompactHousehold(household)) } catch { throw .overflow(error) }
    }
}

/// Why the calculator gave no answer: the date is before the policy, or the household's
/// amounts do not fit the arithmetic (``AmountOverflowError``).
///
/// ```swift
/// do { _ = try calculator.explain(household, on: date) } catch { print(error) }
/// ```
public enum CalculationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The date is before every parameter is in force.
    case notInForce(PolicyNotInForceError)
    /// A sum or product of the household's amounts left `Int64`.
    case overflow(AmountOverflowError)

    /// The field the refusal is about: `date`, or the overflowing field or figure.
    public var field: String {
        switch self {
        case .notInForce: "date"
        case .overflow(let error): error.field
        }
    }

    /// What is wrong, without the field.
    public var message: String {
        switch self {
        case .notInForce(let error): error.description
        case .overflow(let error): error.message
        }
    }

    public var description: String {
        switch self {
        case .notInForce(let error): error.description
        case .overflow(let error): error.description
        }
    }
}

/// A date before the policy's parameters are all in force.
public struct PolicyNotInForceError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The date asked for.
    public var date: CivilDate
    /// The first date the policy can compute, if any.
    public var firstDate: CivilDate?

    public var description: String {
        if let firstDate { return "政策自 \(firstDate) 起施行，无法计算 \(date)" }
        return "政策没有完整施行的日期，无法计算 \(date)"
    }
}
