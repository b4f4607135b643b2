import Crypto
import Foundation
import JiuzhuDomain
import JiuzhuPolicy
import JiuzhuRegistry

/// What confirming a warning opens at the village.
public enum WarningAction: String, Codable, Sendable, CaseIterable {
    /// A death re-check of every programme the household receives (the death is recorded,
    /// and the household's next payment is suspended until the re-check ends).
    case deathRecheck
    /// A change case for each programme concerned: the household's situation is re-examined
    /// and the decision may continue, adjust or end the assistance.
    case change
    /// An application opened for the household (active discovery), screened on every programme.
    case application
    /// Nothing new: the overdue case the warning names is to be taken.
    case overdueCase

    public var chineseName: String {
        switch self {
        case .deathRecheck: "死亡复查（暂停发放，待复查办结）"
        case .change: "家庭情况变化（调整或退出）"
        case .application: "主动发现，代为申请（纳入）"
        case .overdueCase: "督办逾期的复核案件"
        }
    }
}

/// The evidence a warning carries: the department records, the registry facts, the rule in
/// words and the parameters it used with their values.
public struct WarningEvidence: Codable, Sendable, Equatable {
    /// A fact and its value as operators read it.
    public struct Fact: Codable, Sendable, Equatable {
        public var name: String
        public var value: String

        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    /// The department records the rule read.
    public var records: [FeedRecord]
    /// The facts of the household and the figures the rule computed.
    public var facts: [Fact]
    /// The rule's condition with the figures filled in.
    public var condition: String
    /// The parameters the rule used, with their values and effective dates.
    public var parameters: [ResolvedParameter]

    public init(records: [FeedRecord] = [], facts: [Fact], condition: String, parameters: [ResolvedParameter]) {
        self.records = records
        self.facts = facts
        self.condition = condition
        self.parameters = parameters
    }

    /// The evidence as a warning's row holds it (``JSONEncoder/rows``: sorted keys, slashes as
    /// they are) and its hash, from one encoding. The hash tells a change of facts from the same
    /// facts found again; it is SHA-256 of `JSONEncoder`'s text with sorted keys and each slash
    /// written `\/`, as warnings have always carried it. In JSON a slash stands only inside a
    /// string, so escaping the slashes of the row's text gives the same bytes.
    func encodedWithHash() throws -> (json: [UInt8], hash: String) {
        let json = hasControlCharacter ? Array(try JSONEncoder.rows.encode(self)) : written()
        var hashed: [UInt8] = []
        hashed.reserveCapacity(json.count + 64)
        for byte in json {
            if byte == UInt8(ascii: "/") { hashed.append(UInt8(ascii: "\\")) }
            hashed.append(byte)
        }
        return (json, SHA256.hash(data: hashed).lowercaseHex)
    }

    /// ``JSONEncoder/rows``'s text, written field by field with the records' canonical JSON:
    /// an import raises thousands of warnings, and `JSONEncoder` took a tenth of a millisecond
    /// for each one's evidence. `JSONEncoder` escapes control characters another way, so
    /// evidence holding one is left to it (``encodedWithHash()``).
    private func written() -> [UInt8] {
        var json = JSONWriter(capacity: 4_096)
        json.beginObject()
        json.field("condition", condition)
        json.key("facts")
        json.beginArray()
        for fact in facts {
            json.beginObject()
            json.field("name", fact.name)
            json.field("value", fact.value)
            json.endObject()
        }
        json.endArray()
        json.key("parameters")
        json.beginArray()
        for parameter in parameters {
            json.beginObject()
            json.field("definitionText", parameter.definitionText)
            json.field("effectiveFrom", parameter.effectiveFrom.description)
            json.field("key", parameter.key.rawValue)
            json.field("name", parameter.name)
            json.field("value", parameter.value)
            json.field("valueText", parameter.valueText)
            json.endObject()
        }
        json.endArray()
        json.key("records")
        json.beginArray()
        for record in records { json.element(json: record.canonicalJSON().utf8) }
        json.endArray()
        json.endObject()
        return json.bytes
    }

    private var hasControlCharacter: Bool {
        let texts =
            [condition] + facts.flatMap { [$0.name, $0.value] }
            + parameters.flatMap { [$0.name, $0.valueText, $0.definitionText ?? ""] }
        return texts.contains { $0.utf8.contains { $0 < 0x20 } }
    }
}

/// A warning as it is replicated: owned by the node whose rule fired (the city), addressed to
/// the household's village, with a stable key made from the fact (rule, household, source,
/// period) so that the same fact is always the same warning.
public struct WarningRecord: Codable, Sendable, Equatable {
    public var warningID: String
    public var rule: WarningRule
    public var household: String
    public var village: String
    /// The person it is about, when one is: citizen ID and name.
    public var person: String?
    public var personName: String?
    /// Where the fact comes from (a department record, the registry, a case).
    public var source: String
    /// The period the fact is about, empty when it happens once.
    public var period: String
    /// 1 when first raised; one more each time a dismissed warning's evidence changes.
    public var generation: Int
    public var raisedOn: CivilDate
    /// The last day to verify, on the working-day calendar.
    public var dueOn: CivilDate?
    /// Counted over a provisional calendar year (暂定).
    public var dueProvisional: Bool
    /// The level that must act: the village, or the level an overdue warning went up to.
    public var escalation: DivisionLevel
    /// The fact in a sentence.
    public var summary: String
    public var evidence: WarningEvidence
    public var evidenceHash: String
    /// The programmes the household receives that the fact concerns (none for active discovery).
    public var programmes: [Programme]
    public var action: WarningAction
    /// The policy version the rule ran under.
    public var policyVersion: String

    /// The warning as its row holds it: ``JSONEncoder/rows``'s text, the evidence spliced in
    /// already encoded (``WarningEvidence/encodedWithHash()``). Written field by field, keys in
    /// order: an import writes thousands of warnings, and encoding each whole again was a third
    /// of writing them.
    func rowJSON(evidence: [UInt8]) -> String {
        var json = JSONWriter(capacity: evidence.count + 1_024)
        json.beginObject()
        json.field("action", action.rawValue)
        json.field("dueOn", dueOn?.description)
        json.field("dueProvisional", dueProvisional)
        json.field("escalation", escalation.rawValue)
        json.field("evidence", json: evidence)
        json.field("evidenceHash", evidenceHash)
        json.field("generation", Int64(generation))
        json.field("household", household)
        json.field("period", period)
        json.field("person", person)
        json.field("personName", personName)
        json.field("policyVersion", policyVersion)
        json.key("programmes")
        json.beginArray()
        for programme in programmes { json.element(programme.rawValue) }
        json.endArray()
        json.field("raisedOn", raisedOn.description)
        json.field("rule", rule.rawValue)
        json.field("source", source)
        json.field("summary", summary)
        json.field("village", village)
        json.field("warningID", warningID)
        json.endObject()
        return String(decoding: json.bytes, as: UTF8.self)
    }

    /// The warning's key: `<owner>-W<16 hex digits of the fact's hash>`, e.g.
    /// `321200-W3f2a9c1d7b4e8a06` (no `/`, so that it stands in a URL as it is).
    public static func key(
        owner: DivisionCode, rule: WarningRule, household: String, source: String, period: String
    ) -> String {
        let fact = [rule.rawValue, household, source, period].joined(separator: "\u{1F}")
        return "\(owner.digits)-W" + SHA256.hash(data: Data(fact.utf8)).lowercaseHex.prefix(16)
    }
}

/// Why the locality dismissed a warning.
public enum DismissalReason: String, Codable, Sendable, CaseIterable {
    /// The fact is not true (the department's record is wrong).
    case notTrue
    /// The fact is true but does not change the household's assistance.
    case noEffect
    /// The person is not the household's member (a mismatched record).
    case wrongPerson
    /// Already being handled in a case.
    case alreadyHandled
    /// Another reason, written in the note.
    case other

    public var chineseName: String {
        switch self {
        case .notTrue: "经核实情况不属实"
        case .noEffect: "情况属实，但不影响救助资格"
        case .wrongPerson: "人员信息不符，非本户成员"
        case .alreadyHandled: "已在办理的案件中处理"
        case .other: "其他原因（见说明）"
        }
    }
}

/// The locality's answer to one raising of a warning, owned by the village.
public struct WarningVerificationRecord: Codable, Sendable, Equatable {
    public enum Outcome: String, Codable, Sendable {
        case confirmed, dismissed

        public var chineseName: String { self == .confirmed ? "核实属实" : "核实不属实或无需处理" }
    }

    public var warning: String
    public var generation: Int
    public var village: String
    public var outcome: Outcome
    public var reason: DismissalReason?
    public var note: String?
    /// The cases confirming opened or joined.
    public var caseIDs: [String]
    public var verifiedOn: CivilDate
    public var verifiedBy: String

    /// The row's key: `<village>/<warning key>/<generation>`.
    public static func key(village: String, warning: String, generation: Int) -> String {
        "\(village)/\(warning)/\(generation)"
    }
}
