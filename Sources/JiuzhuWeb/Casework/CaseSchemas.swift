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
            "deaths": .array(
                .output(
                    required: [
                        "name": .text, "citizenID": .text, "relation": .text, "diedOn": .date, "recordedBy": .text,
                        "recordedOn": .date,
                    ], optional: ["note": .text])),
        ])

    static let listItem = JSONSchema.output(
        required: [
            "caseID": caseID, "village": .text, "villageName": .text, "applicant": .text, "kindName": .text,
            "programmeName": .text, "stage": .codes(CaseStage.self), "stageName": .text, "overdue": .boolean,
            "escalated": .boolean, "provisional": .boolean, "openedOn": .date,
        ], optional: ["holderLevel": .text, "dueOn": .date])

    /// A member's death in a recipient household.
    static let death = JSONSchema.input(
        required: [
            "citizenID": JSONSchema.citizenID.described("死亡成员的公民身份号码（须为该户登记的成员）"),
            "diedOn": JSONSchema.date.described("死亡日期：不晚于今天，不早于该成员的出生日期"),
        ],
        optional: ["note": JSONSchema.plainText(maximum: CaseWorkflow.maximumReasonLength).described("说明（如死亡证明编号）")])

    static let deathRecorded = JSONSchema.output(
        required: [
            "household": .householdID,
            "rechecks": .array(
                .output(required: [
                    "caseID": caseID, "programme": .codes(Programme.self), "kind": .codes(CaseKind.self),
                    "opened": JSONSchema.boolean.described("true：新生成的死亡复查；false：记入该项目正在办理的案件"),
                ])),
            "overdue": JSONSchema.boolean.described("死亡日期距今已超过复查时限：复查已逾期"),
            "message": .text,
        ],
        optional: ["dueOn": JSONSchema.date.described("复查应办结的最后一天（自死亡日期起按政策的复查时限计算）")])

    /// A change in a recipient household, or its exit.
    static let change = JSONSchema.input(
        required: [
            "programme": JSONSchema.codes(Programme.self).described("该户正在享受的救助项目"),
            "reason": JSONSchema.plainText(maximum: CaseService.maximumSituationLength).described("变化情况或退出理由"),
        ],
        optional: ["exit": JSONSchema.boolean.described("true：退出（主动退出或停止救助）；缺省为家庭情况变化")])

    static let taskOpened = JSONSchema.output(required: [
        "caseID": caseID, "kind": .codes(CaseKind.self), "programme": .codes(Programme.self), "household": .householdID,
        "message": .text,
    ])

    static let count = JSONSchema.output(required: [
        "division": .text, "name": .text, "open": .integer(), "overdue": .integer(),
    ])

    static let calendarPublication = JSONSchema.output(required: ["year": .text, "version": .text, "new": .text])
}
