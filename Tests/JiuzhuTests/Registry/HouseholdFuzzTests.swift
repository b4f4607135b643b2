import Foundation
import JiuzhuDomain
import JiuzhuPolicy
import JiuzhuRegistry
import Testing

@testable import JiuzhuServices
@testable import JiuzhuWeb

/// Random and extreme households through every path input takes: the calculator's JSON
/// (`HouseholdSituation`, `WhatIfRequest`), the registry's strict JSON and validation, the
/// calculator itself (evaluate and explain with `policy/taizhou.yaml`) and the indexer's
/// decode-and-profile step that a replicated record goes through. Each case must end in a
/// result or a refusal naming a field; a trap would end the test process.
///
/// 100,000 cases run in the suite; `JIUZHU_FUZZ_CASES=10000000 swift test --filter HouseholdFuzzTests`
/// runs more, and `JIUZHU_FUZZ_SEED` picks another sequence.
@Suite struct HouseholdFuzzTests {
    static let cases = ProcessInfo.processInfo.environment["JIUZHU_FUZZ_CASES"].flatMap(Int.init) ?? 100_000
    static let seed = ProcessInfo.processInfo.environment["JIUZHU_FUZZ_SEED"].flatMap(UInt64.init) ?? 20_261_204

    @Test func randomAndExtremeHouseholdsGiveAResultOrANamedRefusal() async throws {
        let calculator = PolicyCalculator(document: try PolicyDocument.load(contentsOf: OperatorFixture.policyFile))
        let date = try CivilDate("2026-07-01")
        let snapshot = try calculator.snapshot(on: date)
        let rules: RegistryIndexer.Rules = (snapshot, calculator.version)
        // Both cores, each with its own deterministic sequence.
        let workers = max(1, min(4, ProcessInfo.processInfo.activeProcessorCount))
        let tallies = await withTaskGroup(of: FuzzTally.self) { group in
            for worker in 0..<workers {
                group.addTask {
                    var fuzzer = HouseholdFuzzer(seed: Self.seed &+ UInt64(worker), calculator: calculator, date: date)
                    var tally = FuzzTally()
                    let share = Self.cases / workers + (worker < Self.cases % workers ? 1 : 0)
                    for index in 0..<share {
                        fuzzer.runCase(rules: rules, into: &tally)
                        // Both cores' cooperative threads are ours; other suites' in-process
                        // listeners must get a turn, or their clients time out.
                        if index % 256 == 255 { await Task.yield() }
                    }
                    return tally
                }
            }
            return await group.reduce(into: FuzzTally()) { $0.merge($1) }
        }
        print("fuzz: \(tallies.summary)")
        #expect(tallies.cases == Self.cases)
        #expect(tallies.unnamed.isEmpty, "refusals that name no field: \(tallies.unnamed.prefix(5))")
        #expect(tallies.wrong.isEmpty, "\(tallies.wrong.prefix(5))")
        // The generator reaches every outcome, or it tests less than it claims.
        #expect(tallies.computed > 0 && tallies.decodeRefusals > 0 && tallies.overflows > 0)
        #expect(tallies.validationRefusals > 0 && tallies.setAside > 0 && tallies.indexed > 0)
    }
}

/// What the cases came to.
struct FuzzTally: Sendable {
    var cases = 0
    var computed = 0
    var decodeRefusals = 0
    var validationRefusals = 0
    var overflows = 0
    var indexed = 0
    var setAside = 0
    /// Refusals without a field, with the input.
    var unnamed: [String] = []
    /// Outcomes that break a promise (a decoded, bounded household that overflows).
    var wrong: [String] = []

    mutating func merge(_ other: FuzzTally) {
        cases += other.cases
        computed += other.computed
        decodeRefusals += other.decodeRefusals
        validationRefusals += other.validationRefusals
        overflows += other.overflows
        indexed += other.indexed
        setAside += other.setAside
        unnamed += other.unnamed.prefix(20)
        wrong += other.wrong.prefix(20)
    }

    var summary: String {
        "\(cases) cases: \(computed) computed, \(decodeRefusals) refused on decoding, "
            + "\(validationRefusals) refused by validation, \(overflows) overflows reported, "
            + "\(indexed) indexed, \(setAside) set aside; \(unnamed.count) unnamed, \(wrong.count) wrong"
    }
}

/// A JSON value the fuzzer builds and mutates; numbers are kept as text so that ones no
/// `Int64` holds (2⁶³, 1e400, -0) can be written.
indirect enum FuzzJSON {
    case null
    case bool(Bool)
    case number(String)
    case string(String)
    case array([FuzzJSON])
    case object([(String, FuzzJSON)])

    func write(into text: inout String) {
        switch self {
        case .null: text += "null"
        case .bool(let value): text += value ? "true" : "false"
        case .number(let digits): text += digits
        case .string(let value):
            text += "\""
            for scalar in value.unicodeScalars {
                switch scalar {
                case "\"": text += "\\\""
                case "\\": text += "\\\\"
                case _ where scalar.value < 0x20: text += "\\u" + String(format: "%04x", scalar.value)
                default: text.unicodeScalars.append(scalar)
                }
            }
            text += "\""
        case .array(let items):
            text += "["
            for (index, item) in items.enumerated() {
                if index > 0 { text += "," }
                item.write(into: &text)
            }
            text += "]"
        case .object(let fields):
            text += "{"
            for (index, (key, value)) in fields.enumerated() {
                if index > 0 { text += "," }
                FuzzJSON.string(key).write(into: &text)
                text += ":"
                value.write(into: &text)
            }
            text += "}"
        }
    }

    var text: String {
        var text = ""
        write(into: &text)
        return text
    }
}

/// Builds one case at a time and checks its outcome.
struct HouseholdFuzzer {
    var random: SplitMix64
    let calculator: PolicyCalculator
    let date: CivilDate
    let today: CivilDate

    init(seed: UInt64, calculator: PolicyCalculator, date: CivilDate) {
        random = SplitMix64(seed: seed)
        self.calculator = calculator
        self.date = date
        today = (try? CivilDate("2026-11-29")) ?? date
    }

    mutating func below(_ bound: Int) -> Int { Int(random.next() % UInt64(max(1, bound))) }
    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

    static let extremeNumbers = [
        "0", "1", "-1", "-0", "9223372036854775807", "-9223372036854775808", "9223372036854775808",
        "5000000000000000000", "10000000000", "10000000001", "9007199254740993", "1e3", "1.5", "-1e400", "1e400",
        "123456789012345678901234567890", "4611686018427387904", "768614336404564650",
    ]

    static let oddStrings = [
        "", " ", "王建国", "\u{0301}王", "王\u{200B}国", "\u{202E}abc", "\u{0600}<b>", "\u{0000}", "\u{FEFF}",
        "\u{1F600}\u{1F468}\u{200D}\u{1F469}", "a\u{0308}\u{0308}\u{0308}", String(repeating: "长", count: 400),
        "\u{2028}", "\u{E000}", "\"<script>", "1950-02-29", "2026-07-01", "9999-12-31", "0000-01-01", "urban",
        "dibao", "wages", "applicant", "male",
    ]

    mutating func number() -> FuzzJSON {
        chance(50) ? .number(pick(Self.extremeNumbers)) : .number(String(Int64(bitPattern: random.next()) >> below(64)))
    }

    mutating func amount() -> FuzzJSON {
        chance(93) ? .number(String(below(2_000_000))) : number()
    }

    mutating func birthDate() -> FuzzJSON {
        chance(95)
            ? .string(String(format: "%04d-%02d-%02d", 1900 + below(127), 1 + below(12), 1 + below(28)))
            : .string(pick(Self.oddStrings))
    }

    mutating func list(_ make: (inout HouseholdFuzzer) -> FuzzJSON) -> FuzzJSON {
        let count = chance(3) ? 40 + below(30) : chance(10) ? 0 : 1 + below(3)
        return .array((0..<count).map { _ in make(&self) })
    }

    mutating func code<T: RawRepresentable & CaseIterable>(_ type: T.Type) -> FuzzJSON where T.RawValue == String {
        chance(95) ? .string(pick(T.allCases.map(\.rawValue))) : .string(pick(Self.oddStrings))
    }

    mutating func assets() -> FuzzJSON {
        .object([
            ("deposits", amount()),
            ("vehicles", list { .object([("value", $0.amount()), ("exempt", .bool($0.chance(50)))]) }),
            ("housingUnits", chance(90) ? .number(String(below(3))) : number()),
        ])
    }

    mutating func situation() -> FuzzJSON {
        var fields: [(String, FuzzJSON)] = [
            ("registration", code(Registration.self)),
            (
                "members",
                list {
                    .object([
                        ("birthDate", $0.birthDate()), ("sex", $0.code(Sex.self)),
                        ("relation", $0.code(Relation.self)),
                        ("selfCareItemsFailed", .number(String($0.chance(95) ? $0.below(7) : 7))),
                    ])
                }
            ),
            ("incomes", list { .object([("type", $0.code(IncomeType.self)), ("monthly", $0.amount())]) }),
            ("assets", assets()),
            (
                "expenditures",
                list { .object([("type", $0.code(ExpenditureType.self)), ("last12Months", $0.amount())]) }
            ),
        ]
        if chance(20) {
            fields.append(("emergency", .object([("kind", code(EmergencyKind.self)), ("need", amount())])))
        }
        if chance(30) { fields.append(("enrolments", list { $0.code(Programme.self) })) }
        return .object(fields)
    }

    mutating func citizenID() -> String {
        let body =
            "321281" + String(format: "%04d%02d%02d", 1900 + below(127), 1 + below(12), 1 + below(28))
            + String(format: "%03d", below(1000))
        let id = body + String(CitizenID.checkCharacter(for: body.compactMap(\.wholeNumberValue)))
        return chance(95) ? id : pick([String(id.dropLast()) + "0", "11010518800101002" + "5", "abc"])
    }

    mutating func name() -> FuzzJSON {
        chance(80) ? .string(pick(["王建国", "李梅", "Zoe\u{0308}", "赵四"])) : .string(pick(Self.oddStrings))
    }

    mutating func record() -> FuzzJSON {
        .object([
            ("village", .string(chance(95) ? "321281001001" : pick(["321281", "3212810010019", "x"]))),
            ("address", chance(80) ? .string("海池社区 8 号") : .string(pick(Self.oddStrings))),
            ("registration", code(Registration.self)),
            (
                "members",
                list {
                    let id = $0.citizenID()
                    let digits = Array(id)
                    let birth =
                        digits.count == 18
                        ? "\(String(digits[6..<10]))-\(String(digits[10..<12]))-\(String(digits[12..<14]))"
                        : "1950-01-01"
                    let male = digits.count == 18 && (digits[16].wholeNumberValue ?? 0) % 2 == 1
                    return .object([
                        ("citizenID", .string(id)), ("name", $0.name()), ("sex", .string(male ? "male" : "female")),
                        ("birthDate", $0.chance(90) ? .string(birth) : $0.birthDate()),
                        ("relation", .string($0.chance(60) ? "applicant" : "child")),
                    ])
                }
            ),
            (
                "incomes",
                list {
                    .object([
                        ("type", $0.code(IncomeType.self)), ("monthly", $0.amount()),
                        ("declaredOn", .string("2026-11-01")),
                    ])
                }
            ),
            ("assets", assets()),
            (
                "expenditures",
                list { .object([("type", $0.code(ExpenditureType.self)), ("last12Months", $0.amount())]) }
            ),
            (
                "supporters",
                list { .object([("name", $0.name()), ("relation", .string("child")), ("ableToSupport", .bool(true))]) }
            ),
        ])
    }

    /// Replaces, removes or adds something somewhere in `value`.
    mutating func mutate(_ value: FuzzJSON, depth: Int = 0) -> FuzzJSON {
        switch value {
        case .object(var fields) where !fields.isEmpty && depth < 6:
            let index = below(fields.count)
            switch below(10) {
            case 0: fields.remove(at: index)
            case 1: fields.append((pick(["membres", "salary", "__proto__", fields[index].0]), number()))
            case 2, 3: fields[index].1 = replacement()
            default: fields[index].1 = mutate(fields[index].1, depth: depth + 1)
            }
            return .object(fields)
        case .array(var items) where !items.isEmpty && depth < 6:
            let index = below(items.count)
            switch below(6) {
            case 0: items.remove(at: index)
            case 1: items += Array(repeating: items[index], count: 1 + below(60))
            case 2: items[index] = replacement()
            default: items[index] = mutate(items[index], depth: depth + 1)
            }
            return .array(items)
        default:
            return replacement()
        }
    }

    mutating func replacement() -> FuzzJSON {
        switch below(7) {
        case 0: .null
        case 1: .bool(chance(50))
        case 2, 3: number()
        case 4: .string(pick(Self.oddStrings))
        case 5: .array([])
        default: .object([])
        }
    }

    /// One case: which path, built how, and whether the outcome keeps the promise.
    mutating func runCase(rules: RegistryIndexer.Rules, into tally: inout FuzzTally) {
        tally.cases += 1
        switch below(10) {
        case 0...3: compactCase(rules.snapshot, into: &tally)
        case 4...6: situationCase(into: &tally)
        default: recordCase(rules: rules, into: &tally)
        }
    }

    mutating func extremeLane() -> Int64 {
        pick([
            Int64.min, Int64.max, 0, -1, 1, 5_000_000_000_000_000_000, Int64.max / 12 + 1, Int64(below(10_000_000)),
            Int64(bitPattern: random.next()),
        ])
    }

    /// The calculator on compact households no decoder would let through.
    mutating func compactCase(_ snapshot: PolicySnapshot, into tally: inout FuzzTally) {
        var income = SIMD8<Int64>.zero
        for lane in 0..<8 where chance(40) { income[lane] = extremeLane() }
        var rigid = SIMD4<Int64>.zero
        for lane in 0..<4 where chance(40) { rigid[lane] = extremeLane() }
        let members = (0..<(chance(5) ? 200 : below(6))).map { _ in
            CompactMember(
                birth: chance(80) ? Int32(19_000_101 + below(1_270_000)) : Int32(truncatingIfNeeded: random.next()),
                disabilityGrade: UInt8(truncatingIfNeeded: chance(70) ? 0 : random.next()),
                disabilityCategory: UInt8(truncatingIfNeeded: random.next()),
                relation: UInt8(truncatingIfNeeded: random.next()),
                selfCareItemsFailed: UInt8(truncatingIfNeeded: chance(70) ? below(7) : Int(random.next() % 256)),
                flags: UInt8(truncatingIfNeeded: random.next()))
        }
        let household = CompactHousehold(
            members: members, income: income, rigidExpenditure: rigid, deposits: chance(50) ? extremeLane() : 0,
            nonExemptVehicles: Int32(truncatingIfNeeded: random.next()),
            housingUnits: Int32(truncatingIfNeeded: random.next()), hasAbleSupporter: chance(50),
            hasEmergency: chance(30), emergencyNeed: extremeLane(),
            enrolments: ProgrammeSet(rawValue: UInt16(truncatingIfNeeded: random.next())))
        do {
            let result = try snapshot.evaluate(household)
            if chance(10) {
                let explanation = try snapshot.explain(household)
                if explanation.tier != result.tier { tally.wrong.append("explain disagrees: \(household)") }
            }
            tally.computed += 1
        } catch {
            tally.overflows += 1
            if error.field.isEmpty { tally.unnamed.append("\(household)") }
        }
    }

    /// The calculator's JSON, decoded strictly, then computed.
    mutating func situationCase(into tally: inout FuzzTally) {
        var value = situation()
        for _ in 0..<(chance(40) ? 0 : 1 + below(3)) { value = mutate(value) }
        let text = value.text
        let household: HouseholdSituation
        do {
            household =
                chance(50)
                ? try HouseholdSituation(json: Data(text.utf8))
                : try WhatIfRequest(json: Data(#"{"household":\#(text),"date":"2026-07-01"}"#.utf8)).household
        } catch {
            tally.decodeRefusals += 1
            if error.path.isEmpty { tally.unnamed.append("situation \(error): \(text)") }
            return
        }
        do {
            _ = try calculator.evaluate(household, on: date)
            if chance(10) { _ = try calculator.explain(household, on: date) }
            tally.computed += 1
        } catch {
            // Decoded input is inside InputBounds, so its arithmetic must fit.
            tally.wrong.append("a decoded household overflowed (\(error)): \(text)")
        }
    }

    /// The registry's JSON: strict decoding, validation, and the indexer's path for the same
    /// bytes arriving from a child without validation.
    mutating func recordCase(rules: RegistryIndexer.Rules, into tally: inout FuzzTally) {
        var value = record()
        for _ in 0..<below(4) { value = mutate(value) }
        if chance(10) {
            // Amounts no validation lets through, as a child's database could still hold them.
            value = mutate(value)
            let poison = FuzzJSON.object([
                ("type", .string("business")), ("monthly", .number("5000000000000000000")),
                ("declaredOn", .string("2026-11-01")),
            ])
            if case .object(var fields) = value, let index = fields.firstIndex(where: { $0.0 == "incomes" }) {
                fields[index].1 = .array([poison, poison])
                value = .object(fields)
            }
        }
        let text = value.text
        do {
            let record = try HouseholdRecord(json: Data(text.utf8))
            do {
                _ = try record.validated(today: today)
            } catch {
                tally.validationRefusals += 1
                if error.field.isEmpty { tally.unnamed.append("validation \(error): \(text)") }
            }
        } catch {
            tally.decodeRefusals += 1
            if error.field.isEmpty || error.field == "household" && !text.hasPrefix("{") {
                tally.unnamed.append("record \(error): \(text)")
            }
        }
        switch RegistryIndexer.entry(
            for: "321281001001-000001", payload: text, rules: chance(90) ? rules : nil, today: today)
        {
        case .success: tally.indexed += 1
        case .failure(let refusal):
            tally.setAside += 1
            if !refusal.reason.contains("字段 ") { tally.unnamed.append("set aside \(refusal.reason): \(text)") }
        }
    }
}
