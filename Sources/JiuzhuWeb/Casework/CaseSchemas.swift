import JiuzhuDomain
import JiuzhuPolicy
import JiuzhuServices

/// The casework bodies as the API reads and writes them, for the OpenAPI document and the
/// guard's schema check; the services refuse the same things with the field named.
enum CaseSchemas {
    /// `321281001001-000012`: the node that took the application, and its number there.
    static let caseID = JSONSchema.string(pattern: "^[0-9]{6,12}-[0-9]{6,}$").described("案件编号")

    /// A mobile number: 11 digits, starting with 1.
    static let mobile = JSONSchema.string(pattern: "^1[0-9]{10}$").described("手机号码")

    static let applicant = JSONSchema.input(
        required: ["name": .plainText(maximum: 50), "citizenID": .citizenID], optional: ["phone": mobile])

    static let application = JSONSchema.input(
        required: [
            "applicant": applicant,
            "situation": JSONSchema.string(maxLength: CaseService.maximumSituationLength).described("申请人自述的情况"),
        ],
        optional: [
            "household": .householdID, "village": JSONSchema.villageCode.described("尚未登记的，所在村（居）代码"),
            "declared": CalculatorSchemas.situation, "programme": .codes(Programme.self),
            "emergency": JSONSchema.boolean.described("急难情形：可先行救助"),
        ])

    /// A registered person's application at this node's own first village, for the document.
    static func applicationExample(_ environment: OperatorEnvironment) -> JSONValue? {
        guard
            let village = environment.context.topology.nodes.first(where: {
                $0.role == .village && $0.code.isWithin(environment.node.code)
            })
        else { return nil }
        return .object([
            "applicant": .object(["name": .string("王建国"), "citizenID": .string(RegistrySchemas.exampleCitizenID)]),
            "situation": .string("本人患病，收入很少"), "village": .string(village.code.digits),
            "declared": .object([
                "registration": .string("urban"),
                "members": .array([
                    .object([
                        "birthDate": .string("1949-12-31"), "sex": .string("female"), "relation": .string("applicant"),
                    ])
                ]),
            ]),
        ])
    }

    static let opened = JSONSchema.output(required: [
        "caseID": caseID, "village": .villageCode, "villageName": .text, "routed": .boolean,
        "candidates": .array(.codes(Programme.self)), "message": .text,
    ])

    static let step = JSONSchema.input(
        required: [
            "after": JSONSchema.integer(0...Int64(1_000)).described("读取时的最后一步序号"),
            "kind": .codes(CaseActionKind.self),
        ],
        optional: [
            "reason": .plainText(maximum: CaseWorkflow.maximumReasonLength),
            "outcome": .codes(DecisionOutcome.self), "programme": .codes(Programme.self),
            "investigation": .input(
                required: [
                    "investigators": .array(.plainText(maximum: 50), count: 1...10),
                    "commitmentSigned": .boolean, "authorisationSigned": .boolean,
                ],
                optional: ["findings": .string(maxLength: CaseService.maximumSituationLength)]),
            "note": .plainText(maximum: CaseWorkflow.maximumReasonLength),
            "gradualExitMonths": .integer(1...Int64(TimeLimit.maximumCount)),
            "paidFirst": .fen,
        ])

    /// Base64 of up to six photos of 3 MiB, and the JSON around them.
    static let photoBodyBytes = (CasePhotos.maximumBytes * 4 / 3 + 16) * CasePhotos.maximumPerStep + 1024

    static let photos = JSONSchema.input(required: [
        "photos": .array(
            .string(minLength: 4, maxLength: CasePhotos.maximumBytes * 4 / 3 + 8).described("照片的 base64"),
            count: 1...CasePhotos.maximumPerStep)
    ])

    static let deadline = JSONSchema.output(required: [
        "dueOn": .date, "provisional": .boolean, "calendarVersions": .array(.text), "overdue": .boolean,
    ])

    static let caseView = JSONSchema.output(
        required: [
            "caseID": caseID, "kind": .text, "kindName": .text, "village": .text, "villageName": .text,
            "stage": .codes(CaseStage.self), "stageName": .text, "lastStep": .integer(), "applicant": .anyValue,
            "situation": .text, "channel": .text, "takenAt": .text, "takenBy": .text, "openedOn": .date,
            "emergency": .boolean, "policyVersion": .text, "candidates": .array(.anyValue),
            "timeline": .array(.anyValue), "waitingSteps": .integer(), "photos": .array(.anyValue),
            "escalations": .array(.anyValue), "allowedSteps": .array(.codes(CaseActionKind.self)),
        ],
        optional: [
            "programme": .text, "programmeName": .text, "holderLevel": .text, "decisionLevel": .text,
            "deadline": deadline, "decisionDeadline": deadline, "noticeEndsOn": .date, "household": .text,
        ])

    static let listItem = JSONSchema.output(
        required: [
            "caseID": caseID, "village": .text, "villageName": .text, "applicant": .text, "kindName": .text,
            "programmeName": .text, "stage": .codes(CaseStage.self), "stageName": .text, "overdue": .boolean,
            "escalated": .boolean, "provisional": .boolean, "openedOn": .date,
        ], optional: ["holderLevel": .text, "dueOn": .date])

    static let count = JSONSchema.output(required: [
        "division": .text, "name": .text, "open": .integer(), "overdue": .integer(),
    ])

    static let calendarPublication = JSONSchema.output(required: ["year": .text, "version": .text, "new": .text])
}
