import Foundation
import JiuzhuDomain
import JiuzhuPolicy
import JiuzhuRegistry
import JiuzhuStorage

extension WarningService {
    /// A warning as the pages and the API show it: the record, its state, and the locality's
    /// answer to its current raising when there is one.
    public struct WarningView: Sendable, Codable {
        public var warning: WarningRecord
        /// `open`, `confirmed` or `dismissed`.
        public let status: String
        public let verification: WarningVerificationRecord?
        /// Whether it is open past its deadline.
        public let overdue: Bool
    }

    /// The warning `key` as this node holds it.
    public func view(_ key: String) async throws -> WarningView? {
        guard let held = try await store.warning(key),
            let record = try? JSONDecoder().decode(WarningRecord.self, from: Data(held.payload.utf8))
        else { return nil }
        let verificationKey = WarningVerificationRecord.key(
            village: record.village, warning: key, generation: record.generation)
        let verification = try await store.verification(verificationKey).flatMap {
            try? JSONDecoder().decode(WarningVerificationRecord.self, from: Data($0.utf8))
        }
        let overdue = held.state.status == "open" && (held.state.dueOn.map { $0 < clock.today().ordinal } ?? false)
        return WarningView(warning: record, status: held.state.status, verification: verification, overdue: overdue)
    }

    /// Warnings within this node's jurisdiction as `query` asks (open and overdue first).
    public func list(_ query: WarningQuery) async throws -> [WarningIndexRow] {
        guard query.within.isWithin(node) else {
            throw InputError(field: "division", "\(query.within) 不在本节点的辖区内")
        }
        return try await store.list(query)
    }

    /// The village's answer to a warning.
    public struct VerificationRequest: Sendable, Codable {
        public var outcome: WarningVerificationRecord.Outcome
        /// Required when dismissing.
        public var reason: DismissalReason?
        /// Required with the reason `other`; at most 200 characters.
        public var note: String?
        /// The raising the operator saw: a warning raised again meanwhile is refused.
        public var generation: Int?

        public init(
            outcome: WarningVerificationRecord.Outcome, reason: DismissalReason? = nil, note: String? = nil,
            generation: Int? = nil
        ) {
            self.outcome = outcome
            self.reason = reason
            self.note = note
            self.generation = generation
        }
    }

    /// What verifying did: the cases opened or joined, in a sentence.
    public struct Verified: Sendable, Codable, Equatable {
        public let warning: String
        public let outcome: WarningVerificationRecord.Outcome
        public let caseIDs: [String]
        public let message: String
    }

    /// The longest note on a verification.
    public static let maximumNoteLength = 200

    /// The village verifies a warning about one of its households. Confirming opens what the
    /// rule calls for — a death re-check of every programme received (the household's next
    /// payment is suspended until it ends), a change case per programme concerned (one already
    /// open is named instead), or an application for the household screened on every programme
    /// — and then records the answer; dismissing records the reason code. The answer is the
    /// village's own row and flows up.
    ///
    /// Refused, writing nothing: at any node but the warning's village, by an operator who does
    /// not handle cases, a warning not open or raised again since (``WarningChanged``), a
    /// dismissal without a reason (or `other` without a note).
    public func verify(_ key: String, _ request: VerificationRequest, by staff: CaseOperator) async throws -> Verified {
        guard node.level == .village, staff.actor.node == node, AccessPolicy.allows(staff.actor.role, .handleCases)
        else { throw InputError(field: "warning", "预警由家庭所在村（居）的民生专员核实") }
        guard let view = try await view(key), view.warning.village == node.digits else {
            throw InputError(field: "warning", "本村（居）没有编号为 \(key) 的预警")
        }
        let warning = view.warning
        guard view.status == "open" else {
            throw InputError(
                field: "warning", "预警 \(key) 已核实（\(view.status == "confirmed" ? "属实" : "不属实或无需处理")），不能再次核实")
        }
        if let generation = request.generation, generation != warning.generation {
            throw WarningChanged(key: key)
        }
        let note = request.note?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
        if let note, note.count > Self.maximumNoteLength {
            throw InputError(field: "note", "说明超过 \(Self.maximumNoteLength) 字")
        }
        var caseIDs: [String] = []
        var done: [String] = []
        switch request.outcome {
        case .dismissed:
            guard let reason = request.reason else { throw InputError(field: "reason", "请选择核实不属实或无需处理的原因") }
            if reason == .other, note == nil { throw InputError(field: "note", "原因为“其他”时请写明说明") }
        case .confirmed:
            guard request.reason == nil else { throw InputError(field: "reason", "核实属实时不填原因") }
            (caseIDs, done) = try await act(on: warning, note: note, by: staff)
        }
        let today = clock.today()
        let record = WarningVerificationRecord(
            warning: key, generation: warning.generation, village: node.digits, outcome: request.outcome,
            reason: request.outcome == .dismissed ? request.reason : nil, note: note, caseIDs: caseIDs,
            verifiedOn: today, verifiedBy: staff.name)
        let row = LocalChange(
            channel: .warnings, entity: RowOwnership.WarningsEntity.warningVerification.rawValue,
            key: WarningVerificationRecord.key(village: node.digits, warning: key, generation: warning.generation),
            jurisdiction: node, payload: String(decoding: try JSONEncoder.rows.encode(record), as: UTF8.self))
        let words =
            request.outcome == .confirmed
            ? "核实属实。" + done.joined(separator: "；")
            : "核实结果：\(request.reason?.chineseName ?? "")" + (note.map { "（\($0)）" } ?? "")
        let audit = AuditRecord(
            actor: staff.name, role: staff.actor.role.chineseName, action: "warnings.verify", target: key,
            outcome: .allowed, detail: "预警 \(key)（\(warning.rule.chineseName)，家庭 \(warning.household)）：\(words)")
        try await store.verify(key, generation: warning.generation, row: row, audit: audit)
        return Verified(warning: key, outcome: request.outcome, caseIDs: caseIDs, message: words)
    }

    /// Opens what confirming `warning` calls for; returns the cases and what was done.
    func act(on warning: WarningRecord, note: String?, by staff: CaseOperator) async throws
        -> (caseIDs: [String], done: [String])
    {
        let reason =
            "预警 \(warning.warningID)（\(warning.rule.chineseName)）：\(warning.summary)" + (note.map { "。\($0)" } ?? "")
        switch warning.action {
        case .deathRecheck:
            guard let person = warning.person,
                let death = warning.evidence.records.first(where: { $0.feed == .deaths })
            else { throw InputError(field: "warning", "预警没有死亡记录，不能据此登记死亡") }
            let recorded = try await cases.recordDeath(
                .init(
                    citizenID: person, diedOn: death.date.description,
                    note: "据预警 \(warning.warningID)，暂停发放下月救助金，待复查办结"),
                in: warning.household, by: staff)
            return (recorded.rechecks.map(\.caseID), [recorded.message, "该户下月救助金暂停发放，待死亡复查办结后按复查结果处理"])
        case .change:
            var ids: [String] = []
            var done: [String] = []
            let received = Set(try await cases.receivedProgrammes(of: warning.household))
            for programme in warning.programmes where received.contains(programme) {
                do {
                    let opened = try await cases.openChange(
                        .init(programme: programme, reason: String(reason.prefix(CaseService.maximumSituationLength))),
                        in: warning.household, by: staff)
                    ids.append(opened.caseID)
                    done.append(opened.message)
                } catch let open as CaseAlreadyOpen {
                    ids.append(open.caseID)
                    done.append("\(programme.chineseName)已有正在办理的案件 \(open.caseID)，在该案件中一并核查")
                }
            }
            guard !ids.isEmpty else {
                throw InputError(field: "warning", "家庭 \(warning.household) 已不再享受预警涉及的救助项目，请以“不影响救助资格”核销")
            }
            return (ids, done)
        case .application:
            guard let stored = try await registry.household(warning.household),
                let record = try? HouseholdRecord(json: Data(stored.payload.utf8))
            else { throw InputError(field: "warning", "本村（居）没有家庭 \(warning.household)") }
            let named = record.members.first { $0.citizenID == warning.person }
            let person = named ?? record.members.first { $0.relation == .applicant } ?? record.members[0]
            let opened = try await cases.apply(
                .init(
                    applicant: CaseApplicant(name: person.name, citizenID: person.citizenID, phone: person.phone),
                    situation: String(("主动发现，" + reason).prefix(CaseService.maximumSituationLength)),
                    household: warning.household, emergency: warning.rule == .disaster),
                by: .staff(staff))
            return ([opened.caseID], [opened.message])
        case .overdueCase:
            let caseID = warning.source.hasPrefix("case:") ? String(warning.source.dropFirst(5)) : ""
            return ([caseID], ["请尽快办理逾期的复核案件 \(caseID)"])
        }
    }

    // MARK: Outcomes

    /// One rule's verified warnings in one month: confirmed and dismissed.
    public struct RuleOutcomes: Sendable, Codable, Equatable {
        public let rule: WarningRule
        /// "YYYY-MM".
        public let month: String
        public let confirmed: Int
        public let dismissed: Int

        /// Confirmed over all verified, as a percentage.
        public var confirmedShare: Int {
            confirmed + dismissed == 0 ? 0 : confirmed * 100 / (confirmed + dismissed)
        }
    }

    /// Each rule's confirmed and dismissed warnings per month of verification within this node.
    public func outcomes() async throws -> [RuleOutcomes] {
        try await store.outcomes(within: node).compactMap { row in
            guard let rule = WarningRule(rawValue: row.rule) else { return nil }
            let month = String(format: "%04d-%02d", row.month / 100, row.month % 100)
            return RuleOutcomes(rule: rule, month: month, confirmed: row.confirmed, dismissed: row.dismissed)
        }
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
