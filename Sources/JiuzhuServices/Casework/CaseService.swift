import Foundation
import JiuzhuDomain
import JiuzhuPolicy
import JiuzhuRegistry
import JiuzhuStorage

/// Applications and the steps on them: the one path every surface (pages, API, the phone
/// page, the benchmark) takes to open a case or act on one.
///
/// An application taken at a node that does not hold the household's village (the wrong
/// township, the county, the city) is written here, addressed to that village: the
/// federation carries it there, and the caller is told where it went.
///
/// ```swift
/// let opened = try await services.cases.apply(request, by: .operator(actor))
/// let file = try await services.cases.take(StepRequest(.accept, programme: .dibao), on: opened.caseID,
///                                          after: 0, by: actor)
/// ```
public struct CaseService: Sendable {
    /// Who takes an application.
    public enum Intake: Sendable {
        /// An operator at this node.
        case staff(CaseOperator)
        /// The applicant on the phone page, whose number was confirmed by a one-time code.
        case applicant(phone: String)
    }

    /// An application: identity and situation; the programme is optional (模糊申请).
    public struct ApplicationRequest: Sendable, Codable {
        public var applicant: CaseApplicant
        /// The situation in the applicant's words.
        public var situation: String
        /// The registered household, when known; otherwise it is found by the applicant's ID.
        public var household: String?
        /// The village the household lives in, when it is not registered.
        public var village: String?
        /// The household as declared, when it is not registered.
        public var declared: HouseholdSituation?
        public var programme: Programme?
        public var emergency: Bool

        enum CodingKeys: String, CodingKey {
            case applicant, situation, household, village, declared, programme, emergency
        }

        /// Decodes an application; `emergency` may be left out (no emergency).
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            applicant = try container.decode(CaseApplicant.self, forKey: .applicant)
            situation = try container.decode(String.self, forKey: .situation)
            household = try container.decodeIfPresent(String.self, forKey: .household)
            village = try container.decodeIfPresent(String.self, forKey: .village)
            declared = try container.decodeIfPresent(HouseholdSituation.self, forKey: .declared)
            programme = try container.decodeIfPresent(Programme.self, forKey: .programme)
            emergency = try container.decodeIfPresent(Bool.self, forKey: .emergency) ?? false
        }

        public init(
            applicant: CaseApplicant, situation: String, household: String? = nil, village: String? = nil,
            declared: HouseholdSituation? = nil, programme: Programme? = nil, emergency: Bool = false
        ) {
            self.applicant = applicant
            self.situation = situation
            self.household = household
            self.village = village
            self.declared = declared
            self.programme = programme
            self.emergency = emergency
        }
    }

    /// What opening did: the case, the village it belongs to, and whether it was routed there.
    public struct Opened: Sendable, Codable, Equatable {
        public let caseID: String
        public let village: String
        public let villageName: String
        /// True when the village is outside this node: the case travels there.
        public let routed: Bool
        public let candidates: [Programme]
        /// Where it went, in a sentence for the applicant and the operator.
        public let message: String
    }

    /// A step to take on a case.
    public struct StepRequest: Sendable {
        public var kind: CaseActionKind
        public var reason: String?
        public var outcome: DecisionOutcome?
        /// For an acceptance of a fuzzy application: the programme accepted.
        public var programme: Programme?
        public var investigation: InvestigationRecord?
        public var note: String?
        public var gradualExitMonths: Int?
        /// For a payment first: the amount, in fen.
        public var paidFirst: Fen?
        /// Photos to attach (the village only), as uploaded.
        public var photos: [Data]

        public init(
            _ kind: CaseActionKind, reason: String? = nil, outcome: DecisionOutcome? = nil, programme: Programme? = nil,
            investigation: InvestigationRecord? = nil, note: String? = nil, gradualExitMonths: Int? = nil,
            paidFirst: Fen? = nil, photos: [Data] = []
        ) {
            self.kind = kind
            self.reason = reason
            self.outcome = outcome
            self.programme = programme
            self.investigation = investigation
            self.note = note
            self.gradualExitMonths = gradualExitMonths
            self.paidFirst = paidFirst
            self.photos = photos
        }
    }

    public let store: any CaseworkRepository
    public let registry: any RegistryRepository
    public let rules: CaseworkRulesService
    public let delegation: ApprovalDelegation
    /// The villages of the city, by code, with their names: where an application may be sent.
    public let villages: [DivisionCode: String]
    /// Brought up to date after each write, so lists show it at once.
    public let indexer: CaseIndexer?

    public init(
        store: any CaseworkRepository, registry: any RegistryRepository, rules: CaseworkRulesService,
        delegation: ApprovalDelegation, villages: [DivisionCode: String], indexer: CaseIndexer?
    ) {
        self.store = store
        self.registry = registry
        self.rules = rules
        self.delegation = delegation
        self.villages = villages
        self.indexer = indexer
    }

    var node: DivisionCode { store.owner.code }
    var clock: NodeClock { store.wallClock }

    /// The longest situation text.
    public static let maximumSituationLength = 1_000

    // MARK: Applications

    /// Opens an application: validates identity and situation, finds the household, screens
    /// every programme and writes the case addressed to the household's village.
    public func apply(_ request: ApplicationRequest, by intake: Intake) async throws -> Opened {
        let today = clock.today()
        let applicant = try Self.validated(request.applicant, today: today, phoneRequired: isOnline(intake))
        let situationText = request.situation.trimmingCharacters(in: .whitespacesAndNewlines)
        guard situationText.count <= Self.maximumSituationLength else {
            throw InputError(field: "situation", "情况说明超过 \(Self.maximumSituationLength) 字")
        }
        let current = try await rules.current()
        let (village, householdKey, situation) = try await household(for: request, applicant: applicant)
        guard let villageName = villages[village] else {
            throw InputError(field: "village", "\(village) 不是本市的村（居）")
        }
        if request.emergency, request.programme != nil, request.programme != .temporaryAssistance {
            throw InputError(field: "emergency", "只有临时救助（急难型）可以先行救助")
        }
        let explanation: Explanation
        do { explanation = try current.policy.calculator.explain(situation, on: today) } catch {
            throw InputError(field: "household", "计算器无法计算该家庭：\(error.description)")
        }
        let candidates = explanation.programmes.map { programme in
            CaseCandidate(
                programme: programme.programme, eligible: programme.eligible, amount: programme.amount,
                period: programme.period, rule: programme.rule,
                conditions: programme.conditions.map { ($0.met ? "✓ " : "✗ ") + $0.text })
        }.sorted { ($0.eligible ? 0 : 1, $0.programme) < ($1.eligible ? 0 : 1, $1.programme) }
        let requirements = request.programme.map {
            current.rules.requirements(
                for: $0, decisionLevel: delegation.decisionLevel(for: $0, village: village),
                emergency: request.emergency)
        }
        let (channel, takenBy, role) = intakeChannel(intake)
        let node = self.node
        let now = clock.now()
        let number = try await store.openCase(
            audit: { number in
                AuditRecord(
                    actor: takenBy, role: role, action: "casework.apply", target: Self.caseID(node, number),
                    outcome: .allowed,
                    detail: "受理申请登记 \(Self.caseID(node, number))（\(applicant.name)，\(villageName)）")
            },
            build: { number in
                let record = CaseOpenedRecord(
                    caseID: Self.caseID(node, number), kind: .application, programme: request.programme,
                    village: village.digits, household: householdKey, applicant: applicant, situation: situationText,
                    declared: householdKey == nil ? situation : nil, emergency: request.emergency, channel: channel,
                    takenAt: node.digits, takenBy: takenBy, openedOn: today, openedAt: now,
                    requirements: requirements, candidates: candidates,
                    policyVersion: current.policy.published.label)
                return [
                    LocalChange(
                        channel: .casework, entity: RowOwnership.CaseworkEntity.caseOpened.rawValue,
                        key: record.caseID, jurisdiction: village,
                        payload: String(decoding: try JSONEncoder.rows.encode(record), as: UTF8.self))
                ]
            })
        let caseID = Self.caseID(node, number)
        try? await indexer?.catchUp()
        let routed = !village.isWithin(node)
        let eligible = candidates.filter(\.eligible).map(\.programme)
        let message =
            routed
            ? "申请已登记（编号 \(caseID)），已转至属地 \(villageName)（\(village)）办理，请等待当地工作人员联系。"
            : "申请已登记（编号 \(caseID)），由 \(villageName)（\(village)）办理。"
        return Opened(
            caseID: caseID, village: village.digits, villageName: villageName, routed: routed, candidates: eligible,
            message: message)
    }

    /// Who opens a task at the household's village.
    enum TaskOpener: Sendable {
        /// The node itself: a re-verification that came due, the end of a gradual exit.
        case system
        /// An operator at the village: a death recorded, a change reported, an exit.
        case staff(CaseOperator)
    }

    /// Opens a task the node sets itself at the household's village: a re-verification of a
    /// recipient household, a re-check after a death, a change. It starts at the home
    /// investigation, its clock running from today.
    public func openTask(_ kind: CaseKind, household key: String, programme: Programme, reason: String) async throws
        -> String
    {
        try await openTask(kind, household: key, programme: programme, reason: reason, by: .system)
    }

    /// Opens a task at the household's village, by the node or an operator there, with the
    /// deaths it re-checks (its decision is due within the re-check limit from the earliest),
    /// audited as `action`.
    func openTask(
        _ kind: CaseKind, household key: String, programme: Programme, reason: String, by opener: TaskOpener,
        deaths: [RecordedDeath]? = nil, action: String = "casework.task"
    ) async throws -> String {
        guard kind != .application else { throw InputError(field: "kind", "申请由申请人或工作人员登记") }
        let current = try await rules.current()
        guard let stored = try await registry.household(key),
            let record = try? HouseholdRecord(json: Data(stored.payload.utf8))
        else { throw InputError(field: "household", "本节点没有家庭 \(key) 的登记") }
        let village = record.village
        guard village == node else { throw InputError(field: "household", "任务由家庭所在村（居）生成") }
        let head = record.members.first { $0.relation == .applicant } ?? record.members.first
        let applicant = CaseApplicant(name: head?.name ?? "", citizenID: head?.citizenID ?? "")
        let requirements = current.rules.requirements(
            for: programme, decisionLevel: delegation.decisionLevel(for: programme, village: village), emergency: false)
        let (channel, takenBy, role): (IntakeChannel, String, String) =
            switch opener {
            case .system: (.system, "系统", "系统")
            case .staff(let staff): (.villageStation, staff.name, staff.actor.role.chineseName)
            }
        let verb = if case .system = opener { "生成" } else { "登记" }
        let today = clock.today()
        let now = clock.now()
        let node = self.node
        let policyVersion = current.policy.published.label
        let number = try await store.openCase(
            audit: { number in
                AuditRecord(
                    actor: takenBy, role: role, action: action, target: Self.caseID(node, number),
                    outcome: .allowed,
                    detail:
                        "\(verb)\(kind.chineseName) \(Self.caseID(node, number))（\(key)，\(programme.chineseName)，\(reason)）"
                )
            },
            build: { number in
                let record = CaseOpenedRecord(
                    caseID: Self.caseID(node, number), kind: kind, programme: programme, village: village.digits,
                    household: key, applicant: applicant, situation: reason, declared: nil, emergency: false,
                    channel: channel, takenAt: node.digits, takenBy: takenBy, openedOn: today, openedAt: now,
                    requirements: requirements, candidates: [], policyVersion: policyVersion, deaths: deaths)
                return [
                    LocalChange(
                        channel: .casework, entity: RowOwnership.CaseworkEntity.caseOpened.rawValue,
                        key: record.caseID, jurisdiction: village,
                        payload: String(decoding: try JSONEncoder.rows.encode(record), as: UTF8.self))
                ]
            })
        try? await indexer?.catchUp()
        return Self.caseID(node, number)
    }

    /// `321281001001-000012`: the node that took the case, and its number there.
    static func caseID(_ node: DivisionCode, _ number: Int64) -> String {
        let digits = String(number)
        return "\(node.digits)-\(String(repeating: "0", count: max(0, 6 - digits.count)))\(digits)"
    }

    private func isOnline(_ intake: Intake) -> Bool {
        if case .applicant = intake { return true }
        return false
    }

    private func intakeChannel(_ intake: Intake) -> (IntakeChannel, String, String) {
        switch intake {
        case .applicant(let phone):
            return (.online, "申请人本人（\(phone)）", "申请人")
        case .staff(let staff):
            let channel: IntakeChannel =
                switch staff.actor.node.level {
                case .village: .villageStation
                case .township: .townshipWindow
                case .county, .city: .otherOffice
                }
            return (channel, staff.name, staff.actor.role.chineseName)
        }
    }

    /// The village, registered household and situation an application is about.
    private func household(for request: ApplicationRequest, applicant: CaseApplicant) async throws
        -> (DivisionCode, String?, HouseholdSituation)
    {
        var key = request.household
        if key == nil { key = try await registry.households(of: applicant.citizenID).first }
        if let key {
            guard let stored = try await registry.household(key),
                let record = try? HouseholdRecord(json: Data(stored.payload.utf8))
            else {
                throw InputError(field: "household", "本节点没有家庭 \(key) 的登记；请填写所在村（居）和家庭情况")
            }
            return (record.village, key, record.situation)
        }
        guard let villageText = request.village, let village = try? DivisionCode(villageText), village.level == .village
        else {
            throw InputError(field: "village", "申请人尚未登记，请选择所在村（居）")
        }
        guard let declared = request.declared, !declared.members.isEmpty else {
            throw InputError(field: "declared", "申请人尚未登记，请申报家庭成员和收入")
        }
        return (village, nil, declared)
    }

    static func validated(_ applicant: CaseApplicant, today: CivilDate, phoneRequired: Bool) throws(InputError)
        -> CaseApplicant
    {
        let name = applicant.name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...50).contains(name.count) else { throw InputError(field: "applicant.name", "姓名应为 1 到 50 字") }
        let id: CitizenID
        do {
            id = try CitizenID(applicant.citizenID, today: (today.year, today.month, today.day))
        } catch {
            throw InputError(field: "applicant.citizenID", error.description)
        }
        var phone = applicant.phone?.trimmingCharacters(in: .whitespaces)
        if phone?.isEmpty == true { phone = nil }
        if let number = phone {
            phone = try mobile(number, field: "applicant.phone")
        } else if phoneRequired {
            throw InputError(field: "applicant.phone", "网上申请须填写手机号码")
        }
        return CaseApplicant(name: name, citizenID: id.normalized, phone: phone)
    }

    /// A mainland mobile number: 11 digits starting with 1, spaces around it dropped.
    static func mobile(_ phone: String, field: String) throws(InputError) -> String {
        let number = phone.trimmingCharacters(in: .whitespaces)
        guard number.count == 11, number.hasPrefix("1"), number.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw InputError(field: field, "手机号码应为 1 开头的 11 位数字")
        }
        return number
    }

    // MARK: Steps

    /// A case as this node holds it, replayed with the rules in force; nil when not held here.
    public func file(_ caseID: String) async throws -> CaseFile? {
        try await replay(caseID, rows: try await store.rows(ofCase: caseID))
    }

    /// `rows` replayed as a case with the rules in force; nil without rows.
    func replay(_ caseID: String, rows: [CaseRow]) async throws -> CaseFile? {
        guard !rows.isEmpty else { return nil }
        let current = try? await rules.current()
        return CaseFile(caseID: caseID, rows: rows) { village in
            current?.clocks(for: village) ?? CaseClocks(limits: [:], calendar: .weekdaysOnly)
        }
    }

    /// Takes a step on a case, if its last step is still `expectedLastStep`; returns the case
    /// as it stands after. Refused, with the reason, when the step does not fit the case's
    /// stage, the operator's role and level, or its own rules; nothing is written then.
    /// `shown` is the caller's own check on the case as read (a page shows only the cases of its
    /// jurisdiction), made before anything else.
    @discardableResult
    public func take(
        _ request: StepRequest, on caseID: String, after expectedLastStep: Int, by staff: CaseOperator,
        shown: @Sendable (CaseFile) throws -> Void = { _ in }
    ) async throws -> CaseFile {
        let held = try await store.rows(ofCase: caseID)
        guard let file = try await replay(caseID, rows: held) else { throw CaseNotFound(caseID: caseID) }
        try shown(file)
        guard file.lastStep == expectedLastStep else {
            throw CaseConflict(caseID: caseID, expected: expectedLastStep, current: file.lastStep)
        }
        let current = try await rules.current()
        let village = file.state.village
        let clocks = current.clocks(for: village)
        let today = clock.today()
        var action = CaseAction(request.kind, reason: Self.trimmed(request.reason), outcome: request.outcome)
        var step = CaseStepRecord(
            caseID: caseID, n: expectedLastStep + 1, action: action, actor: staff.actor, operatorName: staff.name,
            on: today, at: clock.now(), programme: nil, investigation: nil, enrolment: nil, paidFirst: nil, photos: [],
            note: Self.trimmed(request.note), policyVersion: current.policy.published.label,
            calendarVersions: current.calendarVersions)
        if let note = step.note, note.count > CaseWorkflow.maximumReasonLength {
            throw InputError(field: "note", "意见超过 \(CaseWorkflow.maximumReasonLength) 字")
        }
        if request.gradualExitMonths != nil, request.kind != .decide || request.outcome != .gradualExit {
            throw InputError(field: "gradualExitMonths", "只有“渐退”的决定填写渐退月数")
        }
        if request.kind == .accept {
            guard let programme = request.programme ?? file.opened.programme else {
                throw InputError(field: "programme", "受理时请选择救助项目")
            }
            if file.opened.emergency, programme != .temporaryAssistance {
                throw InputError(field: "programme", "急难型申请只能按临时救助受理")
            }
            step.programme = programme
            action.requirements = current.rules.requirements(
                for: programme, decisionLevel: delegation.decisionLevel(for: programme, village: village),
                emergency: file.opened.emergency)
        }
        // The same check every node will make when it replays the step, before the step's own details.
        let next = try CaseWorkflow.apply(action, by: staff.actor, on: today, to: file.state, clocks: clocks)
        switch request.kind {
        case .recordInvestigation:
            var investigation = try Self.validated(
                request.investigation, photosHeld: file.photos.filter(\.complete).count + request.photos.count)
            // The household as registered at the village now, members, income and property declared.
            let key = try await registry.households(of: file.opened.applicant.citizenID).first ?? file.opened.household
            if let key, let stored = try await registry.household(key) {
                investigation.household = key
                investigation.householdVersion = stored.sequence
            }
            step.investigation = investigation
        case .decide:
            step.enrolment = try await enrolment(request, file: file, current: current, today: today, clocks: clocks)
        case .payFirst:
            guard let amount = request.paidFirst, amount > .zero else {
                throw InputError(field: "paidFirst", "先行救助金额应大于 0")
            }
            let cap = Fen(try current.policy.calculator.snapshot(on: today).parameter(.emergencyCap).value)
            guard amount <= cap else {
                throw InputError(field: "paidFirst", "先行救助金额 \(amount) 元超过急难型临时救助上限 \(cap) 元")
            }
            step.paidFirst = amount
        default:
            break
        }
        guard request.photos.count <= CasePhotos.maximumPerStep else {
            throw InputError(field: "photos", "每次最多上传 \(CasePhotos.maximumPerStep) 张照片")
        }
        guard request.photos.isEmpty || node == village else {
            throw InputError(field: "photos", "照片由属地村（居）上传并保存")
        }
        let photos = try photoRows(request.photos, file: file)
        var rows = photos.rows
        step.photos = photos.hashes
        step.action = action
        rows.append(
            LocalChange(
                channel: .casework, entity: RowOwnership.CaseworkEntity.caseStep.rawValue,
                key: "\(node.digits)/\(caseID)/\(step.n)", jurisdiction: village,
                payload: String(decoding: try JSONEncoder.rows.encode(step), as: UTF8.self)))
        let audit = AuditRecord(
            actor: staff.name, role: staff.actor.role.chineseName, action: "casework.\(request.kind.rawValue)",
            target: caseID, outcome: .allowed,
            detail:
                "案件 \(caseID) 第 \(step.n) 步“\(request.kind.chineseName)”：\(file.state.stage.chineseName) → \(next.stage.chineseName)"
        )
        let written = try await store.appendRows(
            caseID: caseID, expectedLastStep: expectedLastStep, rows: rows, audit: audit
        ).compactMap(CaseRow.init)
        try? await indexer?.catchUp()
        // The case as it stands now: the rows read and the rows written, without reading again.
        let replaced = Set(written.map { "\($0.entity)/\($0.key)" })
        guard
            let after = try await replay(
                caseID, rows: held.filter { !replaced.contains("\($0.entity)/\($0.key)") } + written)
        else { throw CaseNotFound(caseID: caseID) }
        return after
    }

    /// Attaches photos of signed papers to an open case, at the household's village, by its
    /// livelihood specialist; a step that needs them (the investigation) finds them there.
    @discardableResult
    public func attachPhotos(_ photos: [Data], to caseID: String, by staff: CaseOperator) async throws -> [String] {
        guard let file = try await file(caseID) else { throw CaseNotFound(caseID: caseID) }
        let village = file.state.village
        guard node == village, staff.actor.node == village, staff.actor.role == .villageSpecialist else {
            throw InputError(field: "photos", "照片由属地村（居）的民生专员上传并保存")
        }
        guard !file.state.stage.isClosed else { throw CaseRefusal.closed(file.state.stage) }
        guard (1...CasePhotos.maximumPerStep).contains(photos.count) else {
            throw InputError(field: "photos", "每次上传 1 到 \(CasePhotos.maximumPerStep) 张照片")
        }
        let (rows, hashes) = try photoRows(photos, file: file)
        let audit = AuditRecord(
            actor: staff.name, role: staff.actor.role.chineseName, action: "casework.photo", target: caseID,
            outcome: .allowed, detail: "案件 \(caseID) 上传照片 \(photos.count) 张")
        if !rows.isEmpty {
            try await store.appendRows(caseID: caseID, expectedLastStep: nil, rows: rows, audit: audit)
            try? await indexer?.catchUp()
        }
        return hashes
    }

    /// The rows that store `photos` on a case (each checked, and cut into parts), leaving out
    /// any the case already holds whole, since parts are written once; and every photo's hash.
    private func photoRows(_ photos: [Data], file: CaseFile) throws(InputError) -> (
        rows: [LocalChange], hashes: [String]
    ) {
        let caseID = file.opened.caseID
        let held = Set(file.photos.filter(\.complete).map(\.sha256))
        var rows: [LocalChange] = []
        var hashes: [String] = []
        for (position, bytes) in photos.enumerated() {
            let parts = try CasePhotos.parts(of: bytes, caseID: caseID, position: position)
            hashes.append(parts[0].photo)
            guard !held.contains(parts[0].photo), !hashes.dropLast().contains(parts[0].photo) else { continue }
            for part in parts {
                let payload: Data
                do { payload = try JSONEncoder.rows.encode(part) } catch {
                    throw InputError(field: "photos[\(position)]", "照片无法保存：\(error)")
                }
                rows.append(
                    LocalChange(
                        channel: .casework, entity: RowOwnership.CaseworkEntity.casePhoto.rawValue,
                        key: "\(node.digits)/\(caseID)/p/\(part.photo)/\(part.part)", jurisdiction: file.state.village,
                        payload: String(decoding: payload, as: UTF8.self)))
            }
        }
        return (rows, hashes)
    }

    static func trimmed(_ text: String?) -> String? {
        let value = text?.trimmingCharacters(in: .whitespacesAndNewlines)
        return value?.isEmpty == false ? value : nil
    }

    static func validated(_ investigation: InvestigationRecord?, photosHeld: Int) throws(InputError)
        -> InvestigationRecord
    {
        guard var investigation else { throw InputError(field: "investigation", "请填写入户调查记录") }
        investigation.investigators = investigation.investigators.map {
            $0.trimmingCharacters(in: .whitespacesAndNewlines)
        }.filter { !$0.isEmpty }
        guard Set(investigation.investigators).count >= 2 else {
            throw InputError(field: "investigation.investigators", "入户调查至少应有两名调查人员")
        }
        guard investigation.investigators.allSatisfy({ $0.count <= 50 }), investigation.investigators.count <= 10 else {
            throw InputError(field: "investigation.investigators", "调查人员最多 10 名，每名姓名 50 字以内")
        }
        guard investigation.commitmentSigned else {
            throw InputError(field: "investigation.commitmentSigned", "申请人尚未签署诚信承诺书")
        }
        guard investigation.authorisationSigned else {
            throw InputError(field: "investigation.authorisationSigned", "申请人尚未签署家庭经济状况核对授权书")
        }
        guard photosHeld > 0 else {
            throw InputError(field: "photos", "请上传已签署的承诺书和授权书的照片")
        }
        investigation.findings = investigation.findings.trimmingCharacters(in: .whitespacesAndNewlines)
        guard investigation.findings.count <= maximumSituationLength else {
            throw InputError(field: "investigation.findings", "调查情况超过 \(maximumSituationLength) 字")
        }
        return investigation
    }

    /// What a decision enrols or continues: the programme's amount from the calculator on the
    /// household as it stands, with the policy version, paid from the month after.
    private func enrolment(
        _ request: StepRequest, file: CaseFile, current: CaseworkRulesService.Current, today: CivilDate,
        clocks: CaseClocks
    ) async throws -> EnrolmentRecord? {
        guard let outcome = request.outcome, !outcome.needsWrittenReasons else { return nil }
        guard let programme = file.programme else { throw InputError(field: "programme", "案件尚未确定救助项目") }
        let situation: HouseholdSituation
        if let key = file.household {
            guard let stored = try await registry.household(key),
                let record = try? HouseholdRecord(json: Data(stored.payload.utf8))
            else { throw InputError(field: "household", "本节点没有家庭 \(key) 的登记，无法计算金额") }
            situation = record.situation
        } else if let declared = file.opened.declared {
            situation = declared
        } else {
            throw InputError(field: "household", "案件没有家庭情况，无法计算金额")
        }
        let explanation: Explanation
        do { explanation = try current.policy.calculator.explain(situation, on: today) } catch {
            throw InputError(field: "household", "计算器无法计算该家庭：\(error.description)")
        }
        guard let result = explanation.programmes.first(where: { $0.programme == programme }) else {
            throw InputError(field: "programme", "计算器没有项目 \(programme.chineseName)")
        }
        var months: Int?
        switch outcome {
        case .enrol, .continueAssistance:
            guard result.eligible else {
                let why =
                    result.excludedBy.map { "与\($0.chineseName)互斥，优先适用后者" }
                    ?? result.conditions.filter { !$0.met }.map(\.text).joined(separator: "；")
                throw InputError(
                    field: "outcome",
                    "计算器认定不符合\(programme.chineseName)条件（\(why)），不能批准；请作出不予批准或停止救助的决定并说明理由")
            }
        case .gradualExit:
            let limit = clocks.limit(.gradualExit, on: today)?.count ?? 0
            guard let requested = request.gradualExitMonths, (1...max(1, limit)).contains(requested) else {
                throw InputError(field: "gradualExitMonths", "渐退期应为 1 到 \(limit) 个月")
            }
            months = requested
        case .refuse, .terminate:
            return nil
        }
        let next = today.firstOfMonth.adding(months: 1)
        return EnrolmentRecord(
            programme: programme, amount: result.amount, period: result.period,
            policyVersion: current.policy.published.label,
            paymentFrom: String(next.description.prefix(7)), gradualExitMonths: months,
            explanation: [result.rule] + result.conditions.map { ($0.met ? "✓ " : "✗ ") + $0.text }
                + (result.calculation.map { [$0] } ?? []))
    }
}

/// An operator acting on cases: the account's name, and its role at its node.
public struct CaseOperator: Sendable {
    public let name: String
    public let actor: CaseActor

    public init(name: String, role: OperatorRole, node: DivisionCode) {
        self.name = name
        self.actor = CaseActor(role: role, node: node)
    }
}
