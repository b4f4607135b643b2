import JiuzhuDomain

/// Deterministic synthetic households with a plausible spread, for benchmarks and load tests.
///
/// Household sizes 1–5, ages 0–95, per-capita income mostly 0–6× the dibao standard, about 8 %
/// of members disabled, some medical spending, vehicles, second homes, able supporters and
/// emergencies. The same seed gives the same households on every machine.
///
/// ```swift
/// var generator = SyntheticHouseholds(seed: 42, standard: Fen(71000), date: try CivilDate("2026-07-01"))
/// let household = generator.next()
/// ```
public struct SyntheticHouseholds: Sendable {
    var source: SplitMix64
    let standard: Int64
    let year: Int

    /// A generator; `standard` scales incomes, `date` places birth dates.
    public init(seed: UInt64, standard: Fen, date: CivilDate) {
        source = SplitMix64(seed: seed)
        self.standard = standard.rawValue
        year = date.year
    }

    mutating func random() -> UInt64 { source.next() }

    mutating func below(_ bound: Int) -> Int { Int(random() % UInt64(bound)) }

    mutating func chance(_ percent: Int) -> Bool { below(1000) < percent * 10 }

    /// The next household.
    public mutating func next() -> HouseholdSituation {
        let sizeRoll = below(100)
        let size = sizeRoll < 30 ? 1 : sizeRoll < 60 ? 2 : sizeRoll < 80 ? 3 : sizeRoll < 92 ? 4 : 5
        var members: [HouseholdSituation.Member] = []
        var elders = 0
        for position in 0..<size {
            let age = position < 2 ? 18 + below(78) : below(18)
            if age >= 60 { elders += 1 }
            let birth = CivilDate(uncheckedYear: year - age, month: 1 + below(12), day: 1 + below(28))
            var disability: HouseholdSituation.Disability?
            if chance(8) {
                disability = .init(category: DisabilityCategory.allCases[below(7)], grade: 1 + below(4))
            }
            let items = age >= 75 || disability != nil ? below(7) : 0
            let status: ChildStatus = age < 18 && chance(2) ? (chance(50) ? .orphan : .unsupported) : .none
            members.append(
                .init(
                    birthDate: birth, sex: chance(50) ? .male : .female,
                    relation: position == 0 ? .applicant : position == 1 ? .spouse : .child, disability: disability,
                    seriousIllness: chance(3), ableToWork: !chance(10), selfCareItemsFailed: items, childStatus: status)
            )
        }
        // Per-capita income: 15 % under the standard, 15 % between 1× and 2×, the rest 2–6×.
        let band = below(100)
        let perCapita =
            band < 15
            ? Int64(below(Int(standard)))
            : band < 30
                ? standard + Int64(below(Int(standard)))
                : standard * 2
                    + Int64(below(Int(standard * 4)))
        var incomes = [HouseholdSituation.Income(type: .wages, monthly: Fen(perCapita * Int64(size)))]
        if elders > 0 { incomes.append(.init(type: .pensionBase, monthly: Fen(Int64(elders) * 20000))) }
        if chance(10) { incomes.append(.init(type: .assistance, monthly: Fen(Int64(below(50000))))) }
        var expenditures: [HouseholdSituation.Expenditure] = []
        if chance(30) { expenditures.append(.init(type: .medical, last12Months: Fen(Int64(below(6_000_000))))) }
        if chance(10) { expenditures.append(.init(type: .education, last12Months: Fen(Int64(below(2_000_000))))) }
        let assets = HouseholdSituation.Assets(
            deposits: Fen(Int64(below(10_000_000))),
            vehicles: chance(20) ? [.init(value: Fen(Int64(below(20_000_000))), exempt: chance(10))] : [],
            housingUnits: chance(10) ? 2 : 1)
        return HouseholdSituation(
            id: nil, registration: chance(40) ? .rural : .urban, members: members, incomes: incomes, assets: assets,
            expenditures: expenditures,
            supporters: chance(50) ? [.init(relation: .child, ableToSupport: chance(60))] : [],
            enrolments: [], emergency: chance(1) ? .init(kind: .illness, need: Fen(Int64(below(1_000_000)))) : nil)
    }

    /// `count` compact households whose enrolments are what `snapshot` decides, with about 3 %
    /// of them disturbed (a programme added or dropped), so the batch has findings to list.
    public static func compact(count: Int, seed: UInt64, snapshot: PolicySnapshot) -> [CompactHousehold] {
        var generator = SyntheticHouseholds(
            seed: seed, standard: Fen(snapshot.parameter(.dibaoStandard).value), date: snapshot.date)
        var households: [CompactHousehold] = []
        households.reserveCapacity(count)
        for _ in 0..<count {
            // Synthetic amounts are small, so neither step can overflow; an empty household stands in if one did.
            var household = (try? CompactHousehold(generator.next())) ?? CompactHousehold(members: [])
            var enrolled = (try? snapshot.evaluate(household))?.eligible.rawValue ?? 0
            if generator.chance(3) { enrolled ^= 1 << UInt16(generator.below(Programme.allCases.count)) }
            household.enrolments = ProgrammeSet(rawValue: enrolled)
            households.append(household)
        }
        return households
    }
}
