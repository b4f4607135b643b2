import Foundation
import JiuzhuDomain
import JiuzhuPolicy
import JiuzhuRegistry
import JiuzhuStorage

extension CaseService {
    /// A death in a registered household (死亡登记): which member, by citizen ID, and the day.
    public struct DeathReport: Sendable, Codable {
        /// The member's citizen ID, as the household record holds it.
        public var citizenID: String
        /// The day of death, "YYYY-MM-DD": not after today, not before the member's birth.
        public var diedOn: String
        /// What the operator adds (the death certificate's number, who reported it).
        public var note: String?

        public init(citizenID: String, diedOn: String, note: String? = nil) {
            self.citizenID = citizenID
            self.diedOn = diedOn
            self.note = note
        }
    }

    /// What recording a death did: for each programme the household receives, the re-check
    /// opened or the open case the death was added to, and when the re-check is due.
    public struct DeathRecorded: Sendable, Codable, Equatable {
        /// One programme's re-check.
        public struct Recheck: Sendable, Codable, Equatable {
            public let caseID: String
            public let programme: Programme
            public let kind: CaseKind
            /// False when the death was added to a case already open for the household and programme.
            public let opened: Bool
        }

        public let household: String
        public let rechecks: [Recheck]
        /// The last day of the re-check, counted from the death with the policy's `deathRecheck` limit.
        public let dueOn: CivilDate?
        /// Whether that day has passed: the death was recorded late and the re-check is overdue.
        public let overdue: Bool
        /// What was done, in a sentence for the operator.
        public let message: String
    }

    /// Records a member's death in a household that receives assistance, at its village: each
    /// programme it receives gets a death re-check (`deathRecheck`) due within the policy's
    /// limit counted from the day of death. Where a task (re-check, re-verification, change) is
    /// already open for the household and programme, the death is added to it instead, and its
    /// decision becomes due within the same limit. A death recorded late still opens the
    /// re-check: it is overdue, and the answer says so.
    ///
    /// Refused, naming the field and writing nothing: at any node but the household's village,
    /// a member the household record does not hold, a day after today or before the member's
    /// birth, a household that receives nothing, a death already recorded on the open case.
    ///
    /// ```swift
    /// let recorded = try await services.cases.recordDeath(
    ///     .init(citizenID: "321281194001010012", diedOn: "2026-03-01"), in: "321281001001-000001", by: specialist)
    /// ```
    public func recordDeath(_ report: DeathReport, in key: String, by staff: CaseOperator) async throws
        -> DeathRecorded
    {
        let today = clock.today()
        let record = try await villageHousehold(key, by: staff)
        let text = report.citizenID.trimmingCharacters(in: .whitespaces)
        let normalized: String
        do {
            normalized = try CitizenID(text, today: (today.year, today.month, today.day)).normalized
        } catch {
            throw InputError(field: "citizenID", error.description)
        }
        guard let member = record.members.first(where: { $0.citizenID.uppercased() == normalized }) else {
            throw InputError(field: "citizenID", "家庭 \(key) 登记的成员中没有公民身份号码为 \(text) 的人")
        }
        let diedOn: CivilDate
        do { diedOn = try CivilDate(report.diedOn.trimmingCharacters(in: .whitespaces)) } catch {
            throw InputError(field: "diedOn", "死亡日期“\(report.diedOn)”无效：应为 YYYY-MM-DD 格式的日期")
        }
        guard diedOn <= today else {
            throw InputError(field: "diedOn", "死亡日期 \(diedOn) 晚于今天（\(today)）")
        }
        guard diedOn >= member.birthDate else {
            throw InputError(field: "diedOn", "死亡日期 \(diedOn) 早于\(member.name)的出生日期 \(member.birthDate)")
        }
        let note = Self.trimmed(report.note)
        if let note, note.count > CaseWorkflow.maximumReasonLength {
            throw InputError(field: "note", "说明超过 \(CaseWorkflow.maximumReasonLength) 字")
        }
        let received = try await receivedProgrammes(of: key)
        guard !received.isEmpty else {
            throw InputError(
                field: "household",
                "家庭 \(key) 目前没有享受救助（没有批准纳入、继续享受或渐退中的决定），不需要死亡复查；家庭成员的变化请在家庭登记中修改")
        }
        let clocks = try await rules.current().clocks(for: record.village)
        let due = clocks.deadline(.deathRecheck, after: diedOn)
        let limit = clocks.limit(.deathRecheck, on: diedOn)
        let death = RecordedDeath(
            citizenID: member.citizenID, name: member.name, relation: member.relation.chineseName, diedOn: diedOn,
            note: note, recordedBy: staff.name, recordedOn: today)
        let who = "家庭成员\(member.name)（\(death.relation)）于 \(diedOn) 死亡"
        let dueText = due.map { "，应于 \($0.dueOn) 前复查完毕" } ?? ""

        // Every open case found, and every refusal made, before anything is written.
        let open = try await openCasesByHousehold()
        var joined: [Programme: CaseFile] = [:]
        for programme in received {
            guard let summary = open[HouseholdProgramme(household: key, programme: programme)],
                let file = try await file(summary.caseID), file.opened.kind != .application,
                file.opened.takenAt == node.digits, !file.state.stage.isClosed
            else { continue }
            if file.opened.deaths?.contains(where: { $0.citizenID == member.citizenID }) == true {
                throw InputError(field: "citizenID", "\(member.name)的死亡已登记在案件 \(file.opened.caseID) 中")
            }
            joined[programme] = file
        }

        var rechecks: [DeathRecorded.Recheck] = []
        for programme in received {
            if let file = joined[programme] {
                try await add(death, to: file, saying: "\(today) 登记：\(who)\(dueText)", by: staff)
                rechecks.append(
                    .init(caseID: file.opened.caseID, programme: programme, kind: file.opened.kind, opened: false))
            } else {
                let caseID = try await openTask(
                    .deathRecheck, household: key, programme: programme,
                    reason: "\(who)\(dueText)" + (note.map { "（\($0)）" } ?? ""), by: .staff(staff), deaths: [death],
                    action: "casework.death")
                rechecks.append(.init(caseID: caseID, programme: programme, kind: .deathRecheck, opened: true))
            }
        }
        try? await indexer?.catchUp()

        let overdue = due.map { $0.dueOn < today } ?? false
        var parts = rechecks.map { recheck in
            recheck.opened
                ? "已生成\(recheck.programme.chineseName)的死亡复查 \(recheck.caseID)"
                : "已记入\(recheck.programme.chineseName)正在办理的\(recheck.kind.chineseName) \(recheck.caseID)"
        }
        parts.insert("已登记\(who)", at: 0)
        var message = parts.joined(separator: "；") + (due.map { "。复查应于 \($0.dueOn) 前办结" } ?? "") + "。"
        if overdue, let limit {
            message += "死亡日期距今已超过复查时限（\(limit.chineseDescription)），复查已逾期，请尽快办理。"
        }
        return DeathRecorded(
            household: key, rechecks: rechecks, dueOn: due?.dueOn, overdue: overdue, message: message)
    }

    /// Adds a death to an open task this village opened: a new version of its opening with the
    /// death, and `words` added to its reason, audited.
    private func add(_ death: RecordedDeath, to file: CaseFile, saying words: String, by staff: CaseOperator)
        async throws
    {
        let caseID = file.opened.caseID
        let rows = try await store.rows(ofCase: caseID)
        guard
            let held = rows.first(where: {
                $0.entity == RowOwnership.CaseworkEntity.caseOpened.rawValue && $0.key == caseID
            })
        else { throw CaseNotFound(caseID: caseID) }
        var opened = file.opened
        opened.deaths = (opened.deaths ?? []) + [death]
        opened.situation += "；" + words
        let row = LocalChange(
            channel: .casework, entity: RowOwnership.CaseworkEntity.caseOpened.rawValue, key: caseID,
            jurisdiction: file.state.village,
            payload: String(decoding: try JSONEncoder.rows.encode(opened), as: UTF8.self))
        let audit = AuditRecord(
            actor: staff.name, role: staff.actor.role.chineseName, action: "casework.death", target: caseID,
            outcome: .allowed,
            detail: "案件 \(caseID)（\(file.opened.kind.chineseName)）记入：\(words)")
        try await store.reviseOpening(caseID: caseID, expected: held.payload, row: row, audit: audit)
    }
}
