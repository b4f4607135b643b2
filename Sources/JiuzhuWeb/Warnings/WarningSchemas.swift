import JiuzhuDomain
import JiuzhuPolicy
import JiuzhuServices

/// The warning platform's bodies as the API reads and writes them.
enum WarningSchemas {
    /// `321200-W3f2a9c1d7b4e8a06`: the node whose rule fired, and 16 hex digits of the fact.
    static let key = JSONSchema.string(pattern: "^[0-9]{6,12}-W[0-9a-f]{16}$").described("预警编号")

    static let date = JSONSchema.date

    static let listItem = JSONSchema.output(
        required: [
            "key": key, "rule": .codes(WarningRule.self), "ruleName": .text, "household": .householdID,
            "village": .villageCode, "villageName": .text, "status": .enumeration(["open", "confirmed", "dismissed"]),
            "statusName": .text, "raisedOn": date, "overdue": .boolean,
            "escalation": .enumeration(["village", "township", "county"]), "escalationName": .text,
        ], optional: ["dueOn": date])

    static let parameter = JSONSchema.output(
        required: [
            "key": .text, "name": .text, "value": .integer(), "effectiveFrom": date, "valueText": .text,
        ], optional: ["definitionText": .text])

    static let evidence = JSONSchema.output(
        required: [
            "records": JSONSchema.array(.anyValue).described("部门报送的原始记录"),
            "facts": .array(.output(required: ["name": .text, "value": .text])), "condition": .text,
            "parameters": .array(parameter),
        ])

    static let warning = JSONSchema.output(
        required: [
            "warningID": key, "rule": .codes(WarningRule.self), "household": .householdID, "village": .villageCode,
            "source": .text, "period": .text, "generation": .integer(1...Int64(1_000_000)), "raisedOn": date,
            "dueProvisional": .boolean, "escalation": .codes(DivisionLevel.self), "summary": .text,
            "evidence": evidence, "evidenceHash": .text, "programmes": .array(.codes(Programme.self)),
            "action": .codes(WarningAction.self), "policyVersion": .text,
        ], optional: ["person": .text, "personName": .text, "dueOn": date])

    static let verificationRecord = JSONSchema.output(
        required: [
            "warning": key, "generation": .integer(), "village": .villageCode,
            "outcome": .enumeration(["confirmed", "dismissed"]), "caseIDs": .array(.text), "verifiedOn": date,
            "verifiedBy": .text,
        ], optional: ["reason": .codes(DismissalReason.self), "note": .text])

    static let view = JSONSchema.output(
        required: [
            "warning": warning, "status": .enumeration(["open", "confirmed", "dismissed"]), "overdue": .boolean,
        ], optional: ["verification": verificationRecord])

    static let verification = JSONSchema.input(
        required: ["outcome": .enumeration(["confirmed", "dismissed"])],
        optional: [
            "reason": .codes(DismissalReason.self),
            "note": .plainText(maximum: WarningService.maximumNoteLength),
            "generation": JSONSchema.integer(1...Int64(1_000_000)).described("读取时的下发次数；其间重新下发的拒绝"),
        ])

    static let verified = JSONSchema.output(required: [
        "warning": key, "outcome": .enumeration(["confirmed", "dismissed"]), "caseIDs": .array(.text),
        "message": .text,
    ])

    static let outcome = JSONSchema.output(required: [
        "rule": .codes(WarningRule.self), "month": .text, "confirmed": .integer(), "dismissed": .integer(),
    ])

    static let rule = JSONSchema.output(
        required: [
            "rule": .codes(WarningRule.self), "name": .text, "source": .text, "enabled": .boolean,
            "outcomes": .array(outcome),
        ], optional: ["since": date])

    static let draft = JSONSchema.output(
        required: [
            "rule": .codes(WarningRule.self), "household": .householdID, "village": .villageCode, "source": .text,
            "period": .text, "summary": .text, "evidence": evidence, "programmes": .array(.codes(Programme.self)),
            "action": .codes(WarningAction.self),
        ], optional: ["person": .text, "personName": .text])

    static let dryRun = JSONSchema.output(required: [
        "rule": .codes(WarningRule.self), "enabled": .boolean, "total": .integer(), "new": .integer(),
        "byCounty": .map(.integer()), "sample": .array(draft),
    ])
}
