import JiuzhuDomain

/// Compares every household a node holds with the policy: who is eligible but not enrolled
/// (应助未助) and who is enrolled but no longer eligible (不再符合).
///
/// The loop keeps only indexes and bitmasks; explanations are produced on demand for the
/// findings someone opens.
///
/// ```swift
/// let batch = PolicyBatch(households: compacts, snapshot: try calculator.snapshot(on: date))
/// let report = batch.run()
/// for finding in report.eligibleNotEnrolled.prefix(10) {
///     print(try batch.explain(finding).text)
/// }
/// ```
public struct PolicyBatch: Sendable {
    /// The households, compact.
    public let households: [CompactHousehold]
    /// The policy resolved for the comparison date.
    public let snapshot: PolicySnapshot

    /// Prepares a comparison.
    public init(households: [CompactHousehold], snapshot: PolicySnapshot) {
        self.households = households
        self.snapshot = snapshot
    }

    /// One household with programmes to act on.
    public struct Finding: Sendable, Hashable {
        /// The household's position in ``PolicyBatch/households``.
        public var index: Int
        /// The programmes concerned.
        public var programmes: ProgrammeSet

        /// Creates a finding.
        public init(index: Int, programmes: ProgrammeSet) {
            self.index = index
            self.programmes = programmes
        }
    }

    /// The two lists.
    public struct Report: Sendable, Hashable {
        /// 应助未助: eligible for programmes the household is not enrolled in.
        public var eligibleNotEnrolled: [Finding] = []
        /// 不再符合: enrolled in programmes the household is no longer eligible for.
        public var enrolledNoLongerEligible: [Finding] = []
        /// Households evaluated.
        public var evaluated = 0
        /// Positions of the households whose amounts overflow the arithmetic (no real
        /// household's do): left out of both lists rather than stopping the comparison.
        public var notComputable: [Int] = []

        /// An empty report, before any household is evaluated.
        public init() {}
    }

    /// Evaluates every household and lists the differences with its enrolments.
    public func run() -> Report {
        var report = Report()
        report.evaluated = households.count
        for index in households.indices {
            let household = households[index]
            let eligible: UInt16
            do { eligible = try snapshot.evaluate(household).eligible.rawValue } catch {
                report.notComputable.append(index)
                continue
            }
            let enrolled = household.enrolments.rawValue
            let missing = eligible & ~enrolled
            let lapsed = enrolled & ~eligible
            if missing != 0 {
                report.eligibleNotEnrolled.append(Finding(index: index, programmes: ProgrammeSet(rawValue: missing)))
            }
            if lapsed != 0 {
                report.enrolledNoLongerEligible.append(
                    Finding(index: index, programmes: ProgrammeSet(rawValue: lapsed)))
            }
        }
        return report
    }

    /// The explanation behind a finding, produced when someone asks for it.
    public func explain(_ finding: Finding) throws(AmountOverflowError) -> Explanation {
        try snapshot.explain(households[finding.index])
    }
}
