import Foundation
import JiuzhuDomain
import JiuzhuPolicy
import JiuzhuRegistry
import Testing

/// Payloads of stored format version 1, as the release before the registry had its own stored
/// types wrote them (`StoredFormat/v1/*.json`, from `HouseholdRecord.json()` at commit
/// 726b167), still decode to the same households, re-encode to the same bytes, and evaluate
/// the same. Nodes of both releases replicate these payloads to each other, so a difference
/// in one byte would be a change in every node's stored records.
@Suite struct StoredFormatVersion1Tests {
    static let today = (try? CivilDate("2026-11-29")) ?? CivilDate.earliest

    /// The folder of version 1 payloads. They are never rewritten by a later release: they are
    /// what older nodes send.
    static let folder = URL(filePath: #filePath).deletingLastPathComponent().appending(path: "StoredFormat/v1")

    static func id(_ region: String, born: String, sequence: String) -> String {
        let body = region + born + sequence
        return body + String(CitizenID.checkCharacter(for: body.compactMap(\.wholeNumberValue)))
    }

    static func date(_ text: String) throws -> CivilDate { try CivilDate(text) }

    /// A rural household of four generations' worth of need: two members with disabilities, a
    /// son with a mental disability, a left-behind grandchild, every kind of rigid expenditure,
    /// two vehicles (one exempt), supporters with and without an ID number, and enrolments.
    static func ruralElders() throws -> HouseholdRecord {
        HouseholdRecord(
            id: "321281001001-0007", village: try DivisionCode("321281001001"), address: "陈堡镇唐庄村 3/12 号",
            registration: .rural,
            members: [
                PersonRecord(
                    citizenID: id("321281", born: "19580301", sequence: "011"), name: "王建国", sex: .male,
                    birthDate: try date("1958-03-01"), relation: .applicant,
                    disability: .init(category: .physical, grade: 2), seriousIllness: true, ableToWork: false,
                    selfCareItemsFailed: 2, employment: .farming, phone: "13812345678"),
                PersonRecord(
                    citizenID: id("321281", born: "19600715", sequence: "024"), name: "李秀英", sex: .female,
                    birthDate: try date("1960-07-15"), relation: .spouse,
                    disability: .init(category: .visual, grade: 1), ableToWork: false, selfCareItemsFailed: 5,
                    employment: .retired),
                PersonRecord(
                    citizenID: id("321281", born: "19851102", sequence: "033"), name: "王志强", sex: .male,
                    birthDate: try date("1985-11-02"), relation: .child,
                    disability: .init(category: .mental, grade: 3), employment: .unemployed, phone: "052383456789"),
                PersonRecord(
                    citizenID: id("321281", born: "20150901", sequence: "046"), name: "王子涵", sex: .female,
                    birthDate: try date("2015-09-01"), relation: .grandchild, ableToWork: false,
                    schooling: .primary, leftBehind: true),
            ],
            incomes: [
                IncomeDeclaration(
                    type: .wages, monthly: Fen(120_000), irregular: true, declaredOn: try date("2026-10-01")),
                IncomeDeclaration(type: .pensionBase, monthly: Fen(25_000), declaredOn: try date("2026-10-01")),
                IncomeDeclaration(type: .assistance, monthly: Fen(60_000), declaredOn: try date("2026-09-01")),
                IncomeDeclaration(type: .property, monthly: Fen(5_000), declaredOn: try date("2026-01-15")),
            ],
            assets: .init(
                deposits: Fen(1_234_567),
                vehicles: [.init(value: Fen(3_500_000)), .init(value: Fen(800_000), exempt: true)],
                housingUnits: 1),
            expenditures: [
                .init(type: .medical, last12Months: Fen(4_800_000)),
                .init(type: .education, last12Months: Fen(300_000)),
                .init(type: .rehabilitation, last12Months: Fen(1_200_000)),
            ],
            supporters: [
                SupporterRecord(
                    name: "王大明", citizenID: id("321281", born: "19830405", sequence: "051"), relation: .child,
                    ableToSupport: false),
                SupporterRecord(name: "王小红", relation: .child, ableToSupport: true),
            ],
            enrolments: [.dibao, .disabilityLiving, .severeDisabilityCare], changedBy: "villagespecialist")
    }

    /// An urban grandmother born on 29 February raising an orphan and a child nobody supports
    /// in fact: both child statuses, the remaining income types, two medical entries, an
    /// exempt vehicle worth nothing, no dwelling, quotation marks in the address.
    static func urbanGrandmother() throws -> HouseholdRecord {
        HouseholdRecord(
            id: "321202001002-0031", village: try DivisionCode("321202001002"), address: "海陵区“东风”小区 5 幢 \"东\" 单元",
            registration: .urban,
            members: [
                PersonRecord(
                    citizenID: id("321202", born: "19520229", sequence: "062"), name: "陈桂兰", sex: .female,
                    birthDate: try date("1952-02-29"), relation: .applicant,
                    disability: .init(category: .hearing, grade: 4), ableToWork: false, selfCareItemsFailed: 1,
                    employment: .retired, phone: "18952600001"),
                PersonRecord(
                    citizenID: id("321202", born: "20120618", sequence: "075"), name: "陈浩然", sex: .male,
                    birthDate: try date("2012-06-18"), relation: .grandchild,
                    disability: .init(category: .intellectual, grade: 2), ableToWork: false, childStatus: .orphan,
                    schooling: .juniorSecondary),
                PersonRecord(
                    citizenID: id("321202", born: "20191231", sequence: "080"), name: "陈雨萱", sex: .female,
                    birthDate: try date("2019-12-31"), relation: .grandchild, ableToWork: false,
                    childStatus: .unsupported, schooling: .preschool),
            ],
            incomes: [
                IncomeDeclaration(
                    type: .transfer, monthly: Fen(40_000), irregular: true, declaredOn: try date("2026-11-29")),
                IncomeDeclaration(type: .incentive, monthly: Fen(15_000), declaredOn: try date("2026-11-01")),
                IncomeDeclaration(
                    type: .other, monthly: Fen(8_000), irregular: true, declaredOn: try date("2026-06-30")),
                IncomeDeclaration(type: .business, monthly: Fen(30_000), declaredOn: try date("2025-12-31")),
            ],
            assets: .init(deposits: Fen(50_000), vehicles: [.init(value: .zero, exempt: true)], housingUnits: 0),
            expenditures: [
                .init(type: .medical, last12Months: Fen(90_000)),
                .init(type: .education, last12Months: Fen(250_000)),
                .init(type: .medical, last12Months: Fen(1_600_000)),
            ],
            supporters: [
                SupporterRecord(
                    name: "陈德明", citizenID: id("321202", born: "19760808", sequence: "097"), relation: .child,
                    ableToSupport: false),
                SupporterRecord(name: "陈海燕", relation: .child, ableToSupport: false),
            ],
            enrolments: [.orphan, .unsupportedChild, .temporaryAssistance, .dibaoEdge], changedBy: "陈主任")
    }

    /// A large rural household with every relation, the remaining disability categories,
    /// employments and kinds of schooling, three vehicles, a sibling as supporter.
    static func largeFamily() throws -> HouseholdRecord {
        HouseholdRecord(
            id: "321283100201-0102", village: try DivisionCode("321283100201"), address: "黄桥镇 1 组 57 号",
            registration: .rural,
            members: [
                PersonRecord(
                    citizenID: id("321283", born: "19800520", sequence: "115"), name: "张国华", sex: .male,
                    birthDate: try date("1980-05-20"), relation: .applicant, employment: .selfEmployed,
                    phone: "15861000002"),
                PersonRecord(
                    citizenID: id("321283", born: "19820808", sequence: "126"), name: "刘凤英", sex: .female,
                    birthDate: try date("1982-08-08"), relation: .spouse,
                    disability: .init(category: .speech, grade: 3), employment: .employed),
                PersonRecord(
                    citizenID: id("321283", born: "20050909", sequence: "148"), name: "张丽", sex: .female,
                    birthDate: try date("2005-09-09"), relation: .child, employment: .student, schooling: .higher),
                PersonRecord(
                    citizenID: id("321283", born: "20080115", sequence: "137"), name: "张浩", sex: .male,
                    birthDate: try date("2008-01-15"), relation: .child, employment: .student,
                    schooling: .vocational),
                PersonRecord(
                    citizenID: id("321283", born: "20100303", sequence: "159"), name: "张小强", sex: .male,
                    birthDate: try date("2010-03-03"), relation: .child, ableToWork: false,
                    schooling: .seniorSecondary),
                PersonRecord(
                    citizenID: id("321283", born: "19501010", sequence: "171"), name: "张德明", sex: .male,
                    birthDate: try date("1950-10-10"), relation: .parent,
                    disability: .init(category: .multiple, grade: 1), seriousIllness: true, ableToWork: false,
                    selfCareItemsFailed: 6, employment: .retired),
                PersonRecord(
                    citizenID: id("321283", born: "19300101", sequence: "182"), name: "周玉兰", sex: .female,
                    birthDate: try date("1930-01-01"), relation: .grandparent, ableToWork: false,
                    selfCareItemsFailed: 3),
                PersonRecord(
                    citizenID: id("321283", born: "19780404", sequence: "194"), name: "张玉兰", sex: .female,
                    birthDate: try date("1978-04-04"), relation: .sibling,
                    disability: .init(category: .physical, grade: 4), employment: .farming),
                PersonRecord(
                    citizenID: id("321283", born: "19901212", sequence: "205"), name: "高志强", sex: .male,
                    birthDate: try date("1990-12-12"), relation: .other, seriousIllness: true,
                    employment: .unemployed),
                PersonRecord(
                    citizenID: id("321283", born: "20240229", sequence: "216"), name: "张子涵", sex: .female,
                    birthDate: try date("2024-02-29"), relation: .grandchild, ableToWork: false),
            ],
            incomes: [
                IncomeDeclaration(type: .wages, monthly: Fen(350_000), declaredOn: try date("2026-11-15")),
                IncomeDeclaration(
                    type: .business, monthly: Fen(120_000), irregular: true, declaredOn: try date("2026-11-15")),
                IncomeDeclaration(type: .property, monthly: Fen(20_000), declaredOn: try date("2026-11-15")),
                IncomeDeclaration(type: .transfer, monthly: Fen(10_000), declaredOn: try date("2026-11-15")),
                IncomeDeclaration(type: .pensionBase, monthly: Fen(18_000), declaredOn: try date("2026-11-15")),
                IncomeDeclaration(type: .assistance, monthly: Fen(45_000), declaredOn: try date("2026-11-15")),
            ],
            assets: .init(
                deposits: Fen(98_765_432),
                vehicles: [
                    .init(value: Fen(12_000_000)), .init(value: Fen(450_000), exempt: true),
                    .init(value: Fen(2_600_000), exempt: false),
                ],
                housingUnits: 2),
            expenditures: [
                .init(type: .rehabilitation, last12Months: Fen(330_000)),
                .init(type: .medical, last12Months: Fen(7_700_000)),
            ],
            supporters: [
                SupporterRecord(
                    name: "张建军", citizenID: id("321283", born: "19760606", sequence: "229"), relation: .sibling,
                    ableToSupport: true)
            ],
            enrolments: [.extremePoverty, .rigidExpenditure], changedBy: "黄桥镇民政办")
    }

    /// One person and nothing else: every optional part absent, every list empty, so the
    /// payload shows what is written for what was not declared.
    static func livingAlone() throws -> HouseholdRecord {
        HouseholdRecord(
            id: "321281001002-0001", village: try DivisionCode("321281001002"), address: "昭阳街道 9 号",
            registration: .urban,
            members: [
                PersonRecord(
                    citizenID: id("321281", born: "19450417", sequence: "238"), name: "赵春生", sex: .female,
                    birthDate: try date("1945-04-17"), relation: .applicant)
            ])
    }

    /// Each fixture's file name and the household it was written from.
    static func households() throws -> [(name: String, record: HouseholdRecord)] {
        [
            ("rural-elders", try ruralElders()), ("urban-grandmother", try urbanGrandmother()),
            ("large-family", try largeFamily()), ("living-alone", try livingAlone()),
        ]
    }

    static func payload(_ name: String) throws -> Data {
        try Data(contentsOf: folder.appending(path: "\(name).json"))
    }

    @Test func theFixturesAreValidStoredRecords() throws {
        for (name, record) in try Self.households() {
            // Stored records have passed the registry's rules; these pass them unchanged.
            #expect(try record.validated(today: Self.today) == record, "\(name)")
        }
    }

    @Test func theFixturesHoldEveryCode() throws {
        // Every value of every code list is in some payload, so each is decoded and re-encoded.
        func all<Code: CaseIterable & Hashable>(_ codes: [Code]) -> Bool { Set(codes) == Set(Code.allCases) }
        let records = try Self.households().map(\.record)
        let members = records.flatMap(\.members)
        #expect(all(records.map(\.registration)))
        #expect(all(members.map(\.sex)))
        #expect(all(members.map(\.relation)))
        #expect(all(members.compactMap(\.disability?.category)))
        #expect(all(members.map(\.childStatus)))
        #expect(all(members.map(\.employment)))
        #expect(all(members.map(\.schooling)))
        #expect(all(records.flatMap(\.incomes).map(\.type)))
        #expect(all(records.flatMap(\.expenditures).map(\.type)))
        #expect(all(records.flatMap(\.enrolments)))
    }

    @Test func version1PayloadsDecodeToTheHouseholdsTheyWereWrittenFrom() throws {
        for (name, record) in try Self.households() {
            let decoded = try HouseholdRecord(json: try Self.payload(name))
            #expect(decoded == record, "\(name)")
        }
    }

    @Test func reEncodingAVersion1PayloadGivesTheSameBytes() throws {
        for (name, _) in try Self.households() {
            let payload = try Self.payload(name)
            let decoded = try HouseholdRecord(json: payload)
            #expect(Data(decoded.json().utf8) == payload, "\(name)")
        }
    }

    @Test func theCalculatorEvaluatesADecodedPayloadAsTheHouseholdItWasWrittenFrom() throws {
        let calculator = PolicyCalculator(document: try PolicyDocument.load(contentsOf: Self.policyFile))
        for (name, record) in try Self.households() {
            let decoded = try HouseholdRecord(json: try Self.payload(name))
            #expect(decoded.situation == record.situation, "\(name)")
            let expected = try calculator.evaluate(record.situation, on: Self.today)
            #expect(try calculator.evaluate(decoded.situation, on: Self.today) == expected, "\(name)")
            let read = try Self.calculatorReading(of: try Self.payload(name))
            #expect(try calculator.evaluate(read, on: Self.today) == expected, "\(name)")
            let figures = try calculator.snapshot(on: Self.today).figures(CompactHousehold(decoded.situation))
            #expect(figures == (try calculator.snapshot(on: Self.today).figures(CompactHousehold(record.situation))))
        }
    }

    /// The calculator's own reading of a version 1 payload: the parts it evaluates, decoded by
    /// its own decoders. Version 1 was written while the record held the calculator's types,
    /// so this is what `situation` gave then; the registry's mapping has to give the same.
    static func calculatorReading(of payload: Data) throws -> HouseholdSituation {
        let record = try #require(try JSONSerialization.jsonObject(with: payload) as? [String: Any])
        func list(_ key: String, keeping kept: Set<String>) -> [[String: Any]] {
            (record[key] as? [[String: Any]] ?? []).map { $0.filter { kept.contains($0.key) } }
        }
        var situation = record.filter {
            ["id", "registration", "assets", "expenditures", "enrolments"].contains($0.key)
        }
        situation["members"] = list(
            "members",
            keeping: [
                "birthDate", "sex", "relation", "disability", "seriousIllness", "ableToWork", "selfCareItemsFailed",
                "childStatus",
            ])
        situation["incomes"] = list("incomes", keeping: ["type", "monthly"])
        situation["supporters"] = list("supporters", keeping: ["relation", "ableToSupport"])
        return try HouseholdSituation(json: try JSONSerialization.data(withJSONObject: situation))
    }

    @Test func theRegistrysMappingGivesTheCalculatorWhatItReadsInThePayloadItself() throws {
        for (name, _) in try Self.households() {
            let payload = try Self.payload(name)
            #expect(
                try HouseholdRecord(json: payload).situation == (try Self.calculatorReading(of: payload)), "\(name)")
        }
    }

    static let policyFile = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appending(path: "policy/taizhou.yaml")
}
