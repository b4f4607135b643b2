import JiuzhuDomain
import JiuzhuPolicy
import JiuzhuRegistry

/// A deterministic, plausible population for a set of villages: households whose members
/// have valid citizen IDs (the county's region code, the member's own birth date, the sex
/// digit of their sex), ages, disability and illness in plausible proportions, incomes with a
/// realistic spread, assets, rigid spending and supporters, and enrolments that agree with the
/// policy calculator — except for a known number of deliberate inconsistencies, so that the
/// batch and the duplicate check have something to find.
///
/// It is the one generator of synthetic data: the demo's villages, the benchmarks (the
/// calculator's run over its households' situations) and the tests all draw from it.
///
/// The same seed, villages, size, policy and date give the same households, byte for byte.
public struct SyntheticPopulation {
    /// What was generated, with the deliberate inconsistencies counted.
    public struct Summary: Equatable, Sendable, CustomStringConvertible {
        public var households = 0
        public var persons = 0
        /// Households enrolled in at least one programme.
        public var recipientHouseholds = 0
        /// Persons in households the calculator places in a tier (1–3).
        public var monitoredPersons = 0
        /// Eligible for a bottom-line programme, deliberately not enrolled (应助未助).
        public var eligibleNotEnrolled = 0
        /// Enrolled in dibao, deliberately no longer eligible (不再符合).
        public var enrolledNoLongerEligible = 0
        /// A person deliberately registered in a second household of the same village.
        public var duplicateRegistrations = 0

        public var description: String {
            "\(households) 户 \(persons) 人；在保 \(recipientHouseholds) 户；纳入分层监测 \(monitoredPersons) 人；"
                + "故意设置：应助未助 \(eligibleNotEnrolled) 户，不再符合 \(enrolledNoLongerEligible) 户，重复登记 \(duplicateRegistrations) 人"
        }
    }

    /// Every how many households of a village each deliberate inconsistency is planted.
    public struct Intervals: Sendable {
        public var eligibleNotEnrolled: Int
        public var noLongerEligible: Int
        public var duplicate: Int

        public init(eligibleNotEnrolled: Int, noLongerEligible: Int, duplicate: Int) {
            self.eligibleNotEnrolled = eligibleNotEnrolled
            self.noLongerEligible = noLongerEligible
            self.duplicate = duplicate
        }

        /// Rare, as in a real register.
        public static let realistic = Intervals(eligibleNotEnrolled: 53, noLongerEligible: 59, duplicate: 97)
        /// Frequent enough that a small demo shows each kind.
        public static let demo = Intervals(eligibleNotEnrolled: 7, noLongerEligible: 9, duplicate: 11)
    }

    private let intervals: Intervals

    private var state: UInt64
    private let snapshot: PolicySnapshot
    private let today: CivilDate
    private var usedIDs: Set<String> = []
    public private(set) var summary = Summary()

    public init(seed: UInt64, snapshot: PolicySnapshot, today: CivilDate, intervals: Intervals = .realistic) {
        state = seed &* 0x9E37_79B9_7F4A_7C15 &+ 1
        self.intervals = intervals
        self.snapshot = snapshot
        self.today = today
    }

    /// `count` households for `village`, numbered `<village>-S000001`, ….
    public mutating func households(for village: DivisionCode, count: Int) -> [HouseholdRecord] {
        var result: [HouseholdRecord] = []
        result.reserveCapacity(count)
        for index in 1...max(1, count) where index <= count {
            var record = household(village: village, number: index)
            if index % intervals.duplicate == 0, let previous = result.last, let person = previous.members.last,
                person.relation != .applicant
            {
                var copy = person
                copy.relation = .other
                record.members.append(copy)
                summary.duplicateRegistrations += 1
            }
            record = enrol(record, index: index)
            summary.households += 1
            summary.persons += record.members.count
            result.append(record)
        }
        return result
    }

    // MARK: - One household

    private mutating func random(_ bound: Int) -> Int {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Int((state >> 33) % UInt64(max(1, bound)))
    }

    private mutating func chance(_ percent: Int) -> Bool { random(1000) < percent * 10 }

    private mutating func household(village: DivisionCode, number: Int) -> HouseholdRecord {
        let region = String(village.digits.prefix(6))
        let applicantAge = 25 + random(66)
        var members = [person(region: region, age: applicantAge, relation: .applicant)]
        let shape = random(100)
        if applicantAge >= 60 && shape < 30 {
            // An elderly person living alone.
        } else {
            if shape < 80 {
                members.append(person(region: region, age: max(18, applicantAge - 5 + random(11)), relation: .spouse))
            }
            let children = applicantAge < 70 ? random(3) : 0
            for _ in 0..<children {
                members.append(person(region: region, age: max(0, applicantAge - 22 - random(15)), relation: .child))
            }
            if applicantAge < 45 && chance(20) {
                members.append(person(region: region, age: min(95, applicantAge + 25 + random(10)), relation: .parent))
            }
        }
        // Per-capita income: a third very low, a fifth near the edge, the rest above.
        let band = random(100)
        let perCapita: Int =
            band < 32 ? random(70_000) : band < 52 ? 70_000 + random(80_000) : 150_000 + random(350_000)
        let earners = members.filter(\.ableToWork).count
        var incomes: [IncomeDeclaration] = []
        let total = Int64(perCapita * members.count)
        if total > 0 {
            let type: StoredIncomeType = earners > 0 ? (chance(70) ? .wages : .business) : .transfer
            incomes.append(IncomeDeclaration(type: type, monthly: Fen(total), irregular: chance(25), declaredOn: today))
        }
        if members.contains(where: { $0.birthDate.age(on: today) >= 60 }) && chance(60) {
            incomes.append(
                IncomeDeclaration(type: .pensionBase, monthly: Fen(Int64(20_000 + random(10_000))), declaredOn: today))
        }
        var expenditures: [StoredExpenditure] = []
        if members.contains(where: { $0.seriousIllness }) || chance(8) {
            expenditures.append(.init(type: .medical, last12Months: Fen(Int64(500_000 + random(6_000_000)))))
        }
        if members.contains(where: { $0.schooling != .none }) && chance(30) {
            expenditures.append(.init(type: .education, last12Months: Fen(Int64(100_000 + random(1_000_000)))))
        }
        let supporters: [SupporterRecord] =
            applicantAge >= 60 && members.count == 1 && chance(50)
            ? [SupporterRecord(name: "子女", relation: .child, ableToSupport: chance(40))] : []
        return HouseholdRecord(
            id: village.digits + "-S" + String(format: "%06d", number), village: village,
            address: "\(village.digits.suffix(3)) 组 \(1 + random(200)) 号", registration: chance(35) ? .urban : .rural,
            members: members, incomes: incomes,
            assets: .init(
                deposits: Fen(Int64(random(100) < 70 ? random(1_500_000) : random(20_000_000))),
                vehicles: chance(15) ? [.init(value: Fen(Int64(random(15_000_000))), exempt: chance(20))] : [],
                housingUnits: chance(95) ? 1 : 2),
            expenditures: expenditures, supporters: supporters, changedBy: "合成数据")
    }

    private static let surnames = Array("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗")
    private static let givenNames = [
        "建国", "秀英", "桂兰", "志强", "小丽", "海燕", "德明", "玉兰", "春生", "子涵", "浩然", "雨萱", "国华", "凤英",
    ]

    private mutating func person(region: String, age: Int, relation: Relation) -> PersonRecord {
        let month = 1 + random(12)
        var year = today.year - age
        // Not yet born this year: the birthday has to have come.
        if month * 100 + 28 > today.month * 100 + today.day { year -= 1 }
        let day = 1 + random(min(28, CivilDate.daysInMonth(year: year, month: month)))
        let female = chance(50)
        var id = ""
        repeat {
            let order = random(500) * 2 + (female ? 0 : 1)
            let body = region + String(format: "%04d%02d%02d%03d", year, month, day, order)
            id = body + String(CitizenID.checkCharacter(for: body.compactMap(\.wholeNumberValue)))
        } while usedIDs.contains(id)
        usedIDs.insert(id)
        let birth = (try? CivilDate(year: year, month: month, day: day)) ?? today
        let actualAge = birth.age(on: today)
        let disabled = chance(7)
        let grade = disabled ? [1, 2, 2, 3, 3, 3, 4, 4, 4, 4][random(10)] : nil
        let ill = chance(actualAge >= 60 ? 8 : 3)
        let able = actualAge >= 16 && actualAge < 60 && (grade ?? 4) > 2 && !ill
        let schooling: Schooling =
            actualAge < 6
            ? .none
            : actualAge < 12 ? .primary : actualAge < 15 ? .juniorSecondary : actualAge < 18 ? .seniorSecondary : .none
        return PersonRecord(
            citizenID: id,
            name: String(Self.surnames[random(Self.surnames.count)]) + Self.givenNames[random(Self.givenNames.count)],
            sex: female ? .female : .male, birthDate: birth, relation: relation,
            disability: grade.map {
                .init(category: [.physical, .visual, .intellectual, .hearing][random(4)], grade: $0)
            },
            seriousIllness: ill, ableToWork: able, selfCareItemsFailed: (grade ?? 4) <= 1 ? 4 + random(3) : 0,
            employment: able
                ? [.employed, .farming, .selfEmployed, .unemployed][random(4)] : actualAge >= 60 ? .retired : .none,
            schooling: schooling, leftBehind: actualAge < 16 && chance(12),
            phone: relation == .applicant ? "1\(3 + random(7))\(String(format: "%09d", random(1_000_000_000)))" : nil)
    }

    /// Enrols the household in what the calculator says it qualifies for, then plants the
    /// deliberate inconsistencies.
    private mutating func enrol(_ record: HouseholdRecord, index: Int) -> HouseholdRecord {
        var record = record
        // Synthetic amounts are small; an overflow (impossible here) would leave the household unenrolled.
        var result = try? snapshot.evaluate(CompactHousehold(record.situation))
        var enrolments = result?.eligible.programmes ?? []
        let bottomLine = enrolments.filter { [.dibao, .extremePoverty, .orphan, .unsupportedChild].contains($0) }
        if index % intervals.eligibleNotEnrolled == 0, let dropped = bottomLine.first {
            enrolments.removeAll { $0 == dropped }
            summary.eligibleNotEnrolled += 1
        } else if index % intervals.noLongerEligible == 0, let result, !result.eligible.contains(.dibao),
            !result.eligible.contains(.extremePoverty)
        {
            // Income has risen past the line but the enrolment was never ended.
            enrolments.append(.dibao)
            summary.enrolledNoLongerEligible += 1
        }
        record.enrolments = enrolments
        if !enrolments.isEmpty { summary.recipientHouseholds += 1 }
        result = try? snapshot.evaluate(CompactHousehold(record.situation))
        if let result, result.tier != .none { summary.monitoredPersons += record.members.count }
        return record
    }
}
