import Foundation

/// Which node owns each replicated row, and how the row itself says so: the one rule every
/// node applies to what it writes, what a child pushes or repairs, and what a parent restores.
///
/// Every replicated row has exactly one owner, and only the owner changes it:
///
/// | channel | entity | owner | jurisdiction | payload names the owner in | kept |
/// | --- | --- | --- | --- | --- | --- |
/// | registry | `household` | the village at the start of the key (`321281001001-000002`) | the owner | `village` | versions, deletable |
/// | registry | `benchmark-change` | the node at the start of the key | the owner | — | versions, deletable |
/// | audit | `audit` | the node at the start of the key (`321281001001/000000000007`) | the owner | `node` | written once |
/// | security | `security_event` | the node at the start of the key | the owner | `node` | written once |
/// | policy | `policyVersion`, `workingCalendar` | the city in the jurisdiction | the whole city | — | written once |
/// | casework | `caseOpened` | the node that took the application, at the start of the key | the household's village, anywhere: an application taken at the wrong window is routed to it | — | versions |
/// | casework | `caseStep`, `caseEscalation`, `casePhoto` | the node that acted, at the start of the key | inside the owner's | — | written once |
/// | warnings | `warning` | the node whose rule fired (the city), at the start of the key | the household's village | — | versions |
/// | warnings | `warningVerification` | the village that verified, at the start of the key | inside the owner's | — | written once |
///
/// A change is admitted only from the owner (`origin`). Higher levels never edit a lower
/// level's row: they write their own rows (a review, a decision, a warning) that refer to it.
///
/// ```swift
/// try RowOwnership.check(change)          // throws OwnershipViolation, naming the rule
/// let owner = try RowOwnership.owner(of: change)
/// ```
public enum RowOwnership {
    /// How a kind of row names its owner and what else it promises.
    public struct Rule: Sendable {
        public enum Owner: Sendable {
            /// The division code before the first `-` or `/` of the key.
            case namedInKey
            /// The row's jurisdiction, which must be a city: rows the city publishes for everyone.
            case cityJurisdiction
        }

        public let owner: Owner
        /// The payload's top-level field that must name the owner too, when the payload says where it belongs.
        public let payloadOwnerField: String?
        /// Rows that are written once and never changed or deleted (audit entries, security events, policy versions).
        public let writtenOnce: Bool
        /// The level the owner must have, when only one level may own such rows.
        public let ownerLevel: DivisionLevel?
        /// Rows a node writes for a village outside its own jurisdiction (an application taken
        /// at the wrong window, routed to the household's village); the jurisdiction must be a village.
        public let addressedToAnyVillage: Bool

        init(
            owner: Owner, payloadOwnerField: String?, writtenOnce: Bool, ownerLevel: DivisionLevel?,
            addressedToAnyVillage: Bool = false
        ) {
            self.owner = owner
            self.payloadOwnerField = payloadOwnerField
            self.writtenOnce = writtenOnce
            self.ownerLevel = ownerLevel
            self.addressedToAnyVillage = addressedToAnyVillage
        }
    }

    /// The casework rows and what each is.
    public enum CaseworkEntity: String, CaseIterable, Sendable {
        /// An application or a task opened by the system: the case itself.
        case caseOpened
        /// One step taken on a case.
        case caseStep
        /// An overdue step escalated to the level above.
        case caseEscalation
        /// A part of a photo of signed papers, uploaded at the owning village.
        case casePhoto
    }

    /// The warning platform's rows.
    public enum WarningsEntity: String, CaseIterable, Sendable {
        /// A warning raised by a rule, with its evidence: new versions as its evidence changes,
        /// it is raised again or escalated.
        case warning
        /// The locality's answer to one raising of a warning: confirmed or dismissed.
        case warningVerification
    }

    /// The rule for `entity` on `channel`, or nil when no such row may be replicated.
    public static func rule(channel: ReplicationChannel, entity: String) -> Rule? {
        switch (channel, entity) {
        case (.registry, "household"):
            Rule(owner: .namedInKey, payloadOwnerField: "village", writtenOnce: false, ownerLevel: .village)
        case (.registry, "benchmark-change"):
            Rule(owner: .namedInKey, payloadOwnerField: nil, writtenOnce: false, ownerLevel: nil)
        case (.audit, "audit"), (.security, "security_event"):
            Rule(owner: .namedInKey, payloadOwnerField: "node", writtenOnce: true, ownerLevel: nil)
        case (.policy, "policyVersion"), (.policy, "workingCalendar"):
            Rule(owner: .cityJurisdiction, payloadOwnerField: nil, writtenOnce: true, ownerLevel: .city)
        case (.casework, CaseworkEntity.caseOpened.rawValue):
            Rule(
                owner: .namedInKey, payloadOwnerField: nil, writtenOnce: false, ownerLevel: nil,
                addressedToAnyVillage: true)
        case (.casework, _) where CaseworkEntity(rawValue: entity) != nil:
            Rule(owner: .namedInKey, payloadOwnerField: nil, writtenOnce: true, ownerLevel: nil)
        case (.warnings, WarningsEntity.warning.rawValue):
            Rule(owner: .namedInKey, payloadOwnerField: nil, writtenOnce: false, ownerLevel: nil)
        case (.warnings, WarningsEntity.warningVerification.rawValue):
            Rule(owner: .namedInKey, payloadOwnerField: nil, writtenOnce: true, ownerLevel: .village)
        default:
            nil
        }
    }

    /// Whether `change` may lie outside its writer's jurisdiction: a row its rule lets a node
    /// address to any village (``Rule/addressedToAnyVillage``).
    public static func isAddressedToAnyVillage(_ change: Change) -> Bool {
        rule(channel: change.channel, entity: change.entity)?.addressedToAnyVillage ?? false
    }

    /// The owner of the row `change` writes, as the row says.
    public static func owner(of change: Change) throws(OwnershipViolation) -> DivisionCode {
        try owner(of: change, rule: rule(for: change))
    }

    /// Checks that `change` comes from its row's owner and that its jurisdiction and payload
    /// agree with that owner. Says nothing about whether the sender may relay it.
    public static func check(_ change: Change) throws(OwnershipViolation) {
        let rule = try rule(for: change)
        let owner = try owner(of: change, rule: rule)
        guard change.origin == owner else {
            throw .notTheOwner(entity: change.entity, key: change.key, owner: owner, origin: change.origin)
        }
        if let level = rule.ownerLevel, owner.level != level {
            throw .wrongOwnerLevel(entity: change.entity, key: change.key, owner: owner, expected: level)
        }
        guard
            rule.addressedToAnyVillage ? change.jurisdiction.level == .village : change.jurisdiction.isWithin(owner)
        else {
            throw .jurisdictionDisagrees(
                entity: change.entity, key: change.key, owner: owner, jurisdiction: change.jurisdiction)
        }
        if rule.writtenOnce, change.payload == nil {
            throw .deletesWrittenOnce(entity: change.entity, key: change.key)
        }
        if let field = rule.payloadOwnerField, let payload = change.payload {
            let named = namedOwner(in: payload, field: field)
            guard named == owner.digits else {
                throw .payloadDisagrees(
                    entity: change.entity, key: change.key, field: field, owner: owner, named: named)
            }
        }
    }

    private static func rule(for change: Change) throws(OwnershipViolation) -> Rule {
        guard let rule = rule(channel: change.channel, entity: change.entity) else {
            throw .unknownEntity(channel: change.channel, entity: change.entity)
        }
        return rule
    }

    private static func owner(of change: Change, rule: Rule) throws(OwnershipViolation) -> DivisionCode {
        switch rule.owner {
        case .cityJurisdiction:
            return change.jurisdiction
        case .namedInKey:
            // Bytes, not Characters: every replicated change is checked at every hop.
            let key = change.key
            guard let end = key.utf8.firstIndex(where: { $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "/") }),
                let code = try? DivisionCode(String(key[..<end]))
            else {
                throw .ownerNotInKey(entity: change.entity, key: change.key)
            }
            return code
        }
    }

    /// The payload's top-level string `field`, or nil when it is missing or the payload is not an object.
    private static func namedOwner(in payload: String, field: String) -> String? {
        struct Named: Decodable {
            let value: String?
            struct Key: CodingKey {
                var stringValue: String
                var intValue: Int? { nil }
                init(stringValue: String) { self.stringValue = stringValue }
                init?(intValue: Int) { nil }
            }
            init(from decoder: any Decoder) throws {
                let field = decoder.userInfo[Named.fieldKey] as? String ?? ""
                let container = try decoder.container(keyedBy: Key.self)
                value = try container.decodeIfPresent(String.self, forKey: Key(stringValue: field))
            }
            static let fieldKey = CodingUserInfoKey(rawValue: "jiuzhu.ownerField")!
        }
        let decoder = JSONDecoder()
        decoder.userInfo[Named.fieldKey] = field
        return (try? decoder.decode(Named.self, from: Data(payload.utf8)))?.value
    }
}

/// Why a change may not write its row: each names the row and the rule it breaks.
public enum OwnershipViolation: Error, Equatable, Sendable, CustomStringConvertible {
    case unknownEntity(channel: ReplicationChannel, entity: String)
    case ownerNotInKey(entity: String, key: String)
    case notTheOwner(entity: String, key: String, owner: DivisionCode, origin: DivisionCode)
    case wrongOwnerLevel(entity: String, key: String, owner: DivisionCode, expected: DivisionLevel)
    case jurisdictionDisagrees(entity: String, key: String, owner: DivisionCode, jurisdiction: DivisionCode)
    case payloadDisagrees(entity: String, key: String, field: String, owner: DivisionCode, named: String?)
    case deletesWrittenOnce(entity: String, key: String)
    /// A row that already exists and may be written only once, or is held from another origin.
    case rewritesHeldRow(entity: String, key: String, holder: DivisionCode, origin: DivisionCode)

    public var description: String {
        switch self {
        case .unknownEntity(let channel, let entity):
            "\(channel.chineseName)通道没有“\(entity)”这类数据"
        case .ownerNotInKey(let entity, let key):
            "\(entity)/\(key) 的键未以所属节点的区划代码开头"
        case .notTheOwner(let entity, let key, let owner, let origin):
            "\(entity)/\(key) 属于节点 \(owner)，节点 \(origin) 无权修改"
        case .wrongOwnerLevel(let entity, let key, let owner, let expected):
            "\(entity)/\(key) 只能由\(expected.shortName)级节点所有，\(owner) 不是"
        case .jurisdictionDisagrees(let entity, let key, let owner, let jurisdiction):
            "\(entity)/\(key) 属于节点 \(owner)，辖区却写为 \(jurisdiction)"
        case .payloadDisagrees(let entity, let key, let field, let owner, let named):
            "\(entity)/\(key) 属于节点 \(owner)，内容的 \(field) 却是 \(named ?? "空")"
        case .deletesWrittenOnce(let entity, let key):
            "\(entity)/\(key) 只能写入一次，不能删除"
        case .rewritesHeldRow(let entity, let key, let holder, let origin):
            "\(entity)/\(key) 已由节点 \(holder) 写入，节点 \(origin) 不能改写"
        }
    }
}
