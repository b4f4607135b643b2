import JiuzhuDomain
import JiuzhuPolicy
import JiuzhuRegistry

/// The registry's bodies as the API reads and writes them, for the route declarations in
/// `RegistryController`: the decoders (`HouseholdRecord+decoding`) and the validation
/// (`HouseholdRecord.validated`, `InputBounds`) say what is refused; these say the same.
enum RegistrySchemas {
    /// A household as `POST` and `PUT` take it, at `node`: a village can only register its own
    /// households, so `village` is its code.
    static func householdInput(village: DivisionCode?) -> JSONSchema {
        .input(
            required: [
                "village": village.map { .enumeration([$0.digits]) } ?? .villageCode,
                "address": .plainText(maximum: 120).described("地址，1–120 个字符，不含控制字符和格式字符，不以组合符号开头"),
                "registration": .codes(Registration.self),
                "members": .array(personInput, count: InputBounds.members).described("家庭成员，须有且只有一名申请人"),
            ],
            optional: [
                "id": .text.described("由登记系统编号，请求中的值不用"),
                "changedBy": .text.described("由登记系统填写，请求中的值不用"),
                "incomes": .array(incomeInput, count: InputBounds.listEntries),
                "assets": assetsInput,
                "expenditures": .array(expenditureInput, count: InputBounds.listEntries),
                "supporters": .array(supporterInput, count: InputBounds.listEntries),
                "enrolments": .array(.codes(Programme.self)),
            ])
    }

    static let personInput = JSONSchema.input(
        required: [
            "citizenID": .citizenID, "name": .plainText(maximum: 30).described("姓名，1–30 个字符，不含控制字符和格式字符，不以组合符号开头"),
            "sex": .codes(Sex.self).described("须与身份证号码第 17 位一致"),
            "birthDate": JSONSchema.date.described("须与身份证号码中的出生日期一致"), "relation": .codes(Relation.self),
        ],
        optional: [
            "disability": disabilityInput, "seriousIllness": .boolean, "ableToWork": .boolean,
            "selfCareItemsFailed": .integer(0...6), "childStatus": .codes(StoredChildStatus.self),
            "employment": .codes(Employment.self), "schooling": .codes(Schooling.self), "leftBehind": .boolean,
            "phone": JSONSchema.phone.described("7–12 位数字，可含空格和横线"),
        ])

    static let incomeInput = JSONSchema.input(
        required: [
            "type": .codes(StoredIncomeType.self), "monthly": .fen,
            "declaredOn": JSONSchema.date.described("申报日期，不晚于今天"),
        ],
        optional: ["irregular": .boolean])

    /// The registry's own parts of a household (``StoredAssets``, ``StoredExpenditure``,
    /// ``StoredDisability``), described here rather than borrowed from the calculator's schemas,
    /// so that the registry's API stays as it is when the calculator's request changes.
    static let disabilityInput = JSONSchema.input(required: [
        "category": .codes(DisabilityCategory.self), "grade": .integer(1...4).described("残疾等级，1 最重"),
    ])

    static let assetsInput = JSONSchema.input(
        required: [:],
        optional: [
            "deposits": .fen,
            "vehicles": .array(
                .input(required: ["value": .fen], optional: ["exempt": .boolean]), count: InputBounds.listEntries),
            "housingUnits": .integer(InputBounds.listEntries).described("住房套数"),
        ])

    static let expenditureInput = JSONSchema.input(required: [
        "type": .codes(StoredExpenditureType.self), "last12Months": .fen,
    ])

    static let supporterInput = JSONSchema.input(
        required: [
            "name": .plainText(maximum: 30), "relation": .codes(Relation.self), "ableToSupport": .boolean,
        ],
        optional: ["citizenID": .citizenID])

    /// A household as the API shows it; citizen IDs masked for roles without full IDs.
    static let householdOutput = JSONSchema.output(
        required: [
            "id": .householdID, "village": .villageCode, "address": .text, "registration": .codes(Registration.self),
            "members": .array(personOutput), "incomes": .array(incomeOutput),
            "assets": .output(required: [
                "deposits": .fenValue,
                "vehicles": .array(.output(required: ["value": .fenValue, "exempt": .boolean])),
                "housingUnits": .integer(),
            ]),
            "expenditures": .array(
                .output(required: ["type": .codes(StoredExpenditureType.self), "last12Months": .fenValue])),
            "supporters": .array(
                .output(
                    required: ["name": .text, "relation": .codes(Relation.self), "ableToSupport": .boolean],
                    optional: ["citizenID": .text])),
            "enrolments": .array(.codes(Programme.self)),
        ],
        optional: ["changedBy": .text])

    static let personOutput = JSONSchema.output(
        required: [
            "citizenID": JSONSchema.text.described("完整号码，或对无权查看者打码"), "name": .text, "sex": .codes(Sex.self),
            "birthDate": .date, "relation": .codes(Relation.self), "seriousIllness": .boolean, "ableToWork": .boolean,
            "selfCareItemsFailed": .integer(), "childStatus": .codes(StoredChildStatus.self),
            "employment": .codes(Employment.self), "schooling": .codes(Schooling.self), "leftBehind": .boolean,
        ],
        optional: [
            "disability": .output(required: ["category": .codes(DisabilityCategory.self), "grade": .integer()]),
            "phone": .text,
        ])

    static let incomeOutput = JSONSchema.output(required: [
        "type": .codes(StoredIncomeType.self), "monthly": .fenValue, "irregular": .boolean, "declaredOn": .date,
    ])

    static let saved = JSONSchema.output(required: ["id": .householdID, "version": .integer(1...Int64.max)])

    static let duplicate = JSONSchema.output(required: ["citizenID": .text, "households": .array(.householdID)])

    static let householdView = JSONSchema.output(
        required: [
            "id": .householdID, "version": .integer(1...Int64.max), "owner": .divisionCode,
            "household": householdOutput, "alsoRegisteredIn": .array(duplicate),
        ],
        optional: [
            "profile": .output(required: [
                "perCapitaIncome": .fenValue,
                "tags": .array(
                    .output(required: ["tag": .codes(ProfileTag.self), "name": .text, "reason": .text])),
                "policyVersion": CalculatorSchemas.policyVersion,
            ])
        ])

    static let history = JSONSchema.array(
        .output(
            required: ["version": .integer(1...Int64.max), "node": .divisionCode, "writtenAt": .text],
            optional: ["changedBy": .text, "household": householdOutput]))

    static let person = JSONSchema.output(required: [
        "citizenID": .text, "households": .array(.householdID),
        "assistance": .array(
            .output(required: [
                "household": .householdID, "version": .integer(1...Int64.max), "writtenAt": .text,
                "programmes": .array(.codes(Programme.self)),
            ])),
    ])

    static let searchResult = JSONSchema.output(required: [
        "total": .integer(0...Int64.max), "page": .integer(1...Int64.max), "pageSize": .integer(1...500),
        "households": .array(
            .output(required: [
                "id": .householdID, "village": .villageCode, "applicant": .text, "memberCount": .integer(),
                "perCapitaIncome": .fenValue, "programmes": .array(.text), "tags": .array(.text),
            ])),
    ])

    /// GB 11643's own example number: a woman born 1949-12-31.
    static let exampleCitizenID = "11010519491231002X"

    /// An example household that passes every rule, so schemathesis sends one that is stored.
    static func householdExample(village: DivisionCode) -> JSONValue {
        [
            "village": .string(village.digits), "address": "幸福路 1 号", "registration": "rural",
            "members": [
                [
                    "citizenID": .string(exampleCitizenID), "name": "王芳", "sex": "female", "birthDate": "1949-12-31",
                    "relation": "applicant",
                ]
            ],
            "incomes": [["type": "pensionBase", "monthly": 20000, "declaredOn": "2026-01-05"]],
        ]
    }
}
