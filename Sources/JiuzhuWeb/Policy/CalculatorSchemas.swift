import JiuzhuDomain
import JiuzhuPolicy

/// The calculator's and the policy's bodies as the API reads and writes them, for the route
/// declarations in `CalculatorController` and `PolicyController`. The strict decoders of
/// `HouseholdSituation` and `InputBounds` say what is refused; these say the same.
enum CalculatorSchemas {
    /// `{"household": …, "date": …}`.
    static let whatIf = JSONSchema.input(
        required: ["household": situation], optional: ["date": .policyDate])

    static let situation = JSONSchema.input(
        required: [
            "registration": .codes(Registration.self),
            "members": .array(memberInput, count: InputBounds.members),
        ],
        optional: [
            "id": .text, "incomes": .array(incomeInput, count: InputBounds.listEntries), "assets": assetsInput,
            "expenditures": .array(expenditureInput, count: InputBounds.listEntries),
            "supporters": .array(
                .input(required: ["relation": .codes(Relation.self), "ableToSupport": .boolean]),
                count: InputBounds.listEntries),
            "enrolments": .array(.codes(Programme.self)),
            "emergency": .input(required: ["kind": .codes(EmergencyKind.self), "need": .fen]),
        ])

    static let memberInput = JSONSchema.input(
        required: ["birthDate": .date, "sex": .codes(Sex.self), "relation": .codes(Relation.self)],
        optional: [
            "disability": disabilityInput, "seriousIllness": .boolean, "ableToWork": .boolean,
            "selfCareItemsFailed": .integer(0...6).described("生活自理能力评估失能项数"),
            "childStatus": .codes(ChildStatus.self),
        ])

    static let disabilityInput = JSONSchema.input(required: [
        "category": .codes(DisabilityCategory.self), "grade": .integer(1...4).described("残疾等级，1 最重"),
    ])

    static let incomeInput = JSONSchema.input(required: ["type": .codes(IncomeType.self), "monthly": .fen])

    static let assetsInput = JSONSchema.input(
        required: [:],
        optional: [
            "deposits": .fen,
            "vehicles": .array(
                .input(required: ["value": .fen], optional: ["exempt": .boolean]), count: InputBounds.listEntries),
            "housingUnits": .integer(InputBounds.listEntries).described("住房套数"),
        ])

    static let expenditureInput = JSONSchema.input(required: [
        "type": .codes(ExpenditureType.self), "last12Months": .fen,
    ])

    static let policyVersion = JSONSchema.output(required: ["id": .text, "contentHash": .text])

    /// What `Explanation.json()` writes.
    static let explanation = JSONSchema.output(required: [
        "policyVersion": policyVersion, "date": .date,
        "figures": .array(.output(required: ["name": .text, "value": .text])),
        "programmes": .array(
            .output(
                required: [
                    "programme": .codes(Programme.self), "name": .text, "eligible": .boolean, "amount": .fenValue,
                    "period": .text, "rule": .text,
                    "conditions": .array(.output(required: ["text": .text, "met": .boolean])),
                    "parameters": .array(
                        .output(
                            required: [
                                "key": .text, "name": .text, "value": .integer().described("金额以分计，数目照写，比例为万分之几"),
                                "effectiveFrom": .date, "valueText": .text,
                            ], optional: ["definitionText": .text])),
                ],
                optional: ["calculation": .text, "excludedBy": .codes(Programme.self)])),
        "tier": .integer(1...9).described("分层：1、2、3，9 为不在分层内"), "tierText": .text,
    ])

    static let publishedVersion = JSONSchema.output(required: [
        "id": .text, "contentHash": .text, "label": .text, "publishedAt": .text, "publishedBy": .text,
    ])

    static let policyState = JSONSchema.output(
        required: ["versions": .array(publishedVersion), "canPublish": .boolean],
        optional: ["current": publishedVersion, "parentNewest": .text, "upToDate": .boolean])

    static let publication = JSONSchema.output(required: [
        "id": .text, "contentHash": .text, "new": .enumeration(["true", "false"]),
    ])

    /// A household the calculator computes for, so schemathesis sends one that works.
    static let example: JSONValue = [
        "household": [
            "registration": "urban",
            "members": [["birthDate": "1950-05-01", "sex": "female", "relation": "applicant"]],
            "incomes": [["type": "wages", "monthly": 30000]],
        ],
        "date": "2026-07-01",
    ]
}
