import Foundation
import JiuzhuDomain
import JiuzhuStorage
import Logging
import ServiceLifecycle

/// Keeps every case's summary current: each casework row the node logs (its own, or
/// replicated from above or below) has its case replayed and summarised for lists, queues,
/// counts and the sweeper. When the policy or the working-day calendar changes, every open
/// case's deadline is recomputed, and each that moved is audited.
public final class CaseIndexer: Service, Sendable {
    let store: any CaseworkRepository
    let rules: CaseworkRulesService
    let logger: Logger

    public init(store: any CaseworkRepository, rules: CaseworkRulesService, logger: Logger) {
        self.store = store
        self.rules = rules
        self.logger = logger
    }

    public func run() async throws {
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                let seen = self.store.signal.generation(of: .casework)
                let read: Int
                do { read = try await self.catchUp() } catch is CancellationError { return } catch {
                    self.logger.error("case indexing failed; retrying", metadata: ["error": "\(error)"])
                    read = 0
                }
                if read == 0 {
                    _ = await self.store.signal.wait(for: .casework, after: seen, timeout: .seconds(1))
                }
            }
        }
    }

    /// Summarises the cases changed since the last run, after recomputing every open case if
    /// the rules changed; returns how many cases it summarised.
    @discardableResult
    public func catchUp(batch: Int = 500) async throws -> Int {
        let current = try? await rules.current()
        let state = try await store.indexState()
        var done = 0
        if let current, current.fingerprint != state.rules {
            done += try await recomputeOpenCases(current, previous: state.rules)
        }
        let changed = try await store.changedCases(after: state.position, limit: batch)
        guard let through = changed.through else { return done }
        let summaries = try await summarise(changed.caseIDs, current)
        try await store.saveSummaries(summaries.map(\.row), through: through, rules: nil, audits: [])
        return done + max(summaries.count, 1)
    }

    /// Every open case's deadline recounted with the rules now in force, from the state its
    /// summary keeps (steps already taken stand as they were taken); a deadline that moved is
    /// audited with the old and new day. A summary written before states were kept is replayed.
    func recomputeOpenCases(_ current: CaseworkRulesService.Current, previous: String) async throws -> Int {
        let open = try await store.openCaseDeadlines()
        var audits: [AuditRecord] = []
        func audit(_ caseID: String, stage: String, from before: CivilDate?, to after: CivilDate?) {
            guard before != after, !previous.isEmpty else { return }
            audits.append(
                AuditRecord(
                    actor: "系统", role: "系统", action: "casework.deadlineMoved", target: caseID, outcome: .allowed,
                    detail:
                        "政策或工作日历更新（\(current.fingerprint.suffix(40))），案件 \(caseID) “\(stage)”的期限由 \(before?.description ?? "无") 改为 \(after?.description ?? "无")"
                ))
        }
        var moved: [CaseDeadlineRow] = []
        var unkept: [CaseDeadlineRow] = []
        for var row in open {
            guard let state = row.state else {
                unkept.append(row)
                continue
            }
            let deadline = state.currentDeadline(clocks: current.clocks(for: state.village))
            let provisional = deadline?.provisional ?? false
            guard
                deadline?.dueOn != row.dueOn || deadline?.overdueFromMilliseconds != row.overdueFrom
                    || provisional != row.provisional
            else { continue }
            audit(row.caseID, stage: row.stage, from: row.dueOn, to: deadline?.dueOn)
            row.dueOn = deadline?.dueOn
            row.overdueFrom = deadline?.overdueFromMilliseconds
            row.provisional = provisional
            moved.append(row)
        }
        var replayed: [CaseSummaryRow] = []
        for start in stride(from: 0, to: unkept.count, by: 500) {
            let slice = unkept[start..<min(start + 500, unkept.count)]
            let before = Dictionary(slice.map { ($0.caseID, $0) }, uniquingKeysWith: { first, _ in first })
            for (summary, _) in try await summarise(slice.map(\.caseID), current) {
                audit(summary.caseID, stage: summary.stage, from: before[summary.caseID]?.dueOn, to: summary.dueOn)
                replayed.append(summary)
            }
        }
        // The replayed summaries first: the rules are marked as applied only with the last write.
        try await store.saveSummaries(replayed, through: nil, rules: nil, audits: [])
        try await store.saveDeadlines(moved, rules: current.fingerprint, audits: audits)
        return open.count
    }

    /// Replays each case and summarises it.
    func summarise(_ caseIDs: [String], _ current: CaseworkRulesService.Current?) async throws
        -> [(row: CaseSummaryRow, file: CaseFile)]
    {
        guard !caseIDs.isEmpty else { return [] }
        let rowsByCase = try await store.rows(ofCases: caseIDs)
        let now = store.wallClock.now()
        var result: [(row: CaseSummaryRow, file: CaseFile)] = []
        for caseID in caseIDs {
            guard let rows = rowsByCase[caseID],
                let file = CaseFile(
                    caseID: caseID, rows: rows,
                    clocks: { current?.clocks(for: $0) ?? CaseClocks(limits: [:], calendar: .weekdaysOnly) })
            else { continue }
            let clocks = current?.clocks(for: file.state.village) ?? CaseClocks(limits: [:], calendar: .weekdaysOnly)
            let deadline = file.state.currentDeadline(clocks: clocks)
            let takenAt = (try? DivisionCode(file.opened.takenAt)) ?? file.state.village
            result.append(
                (
                    CaseSummaryRow(
                        caseID: caseID, village: file.state.village, kind: file.opened.kind.rawValue,
                        programme: file.programme?.rawValue ?? "", stage: file.state.stage.rawValue,
                        holderLevel: file.holderLevel, closed: file.state.stage.isClosed, dueOn: deadline?.dueOn,
                        overdueFrom: deadline?.overdueFromMilliseconds, provisional: deadline?.provisional ?? false,
                        escalated: file.isEscalated, lastStep: file.lastStep, openedOn: file.opened.openedOn,
                        applicant: file.opened.applicant.name, household: file.household, takenAt: takenAt,
                        updatedAt: now, outcome: file.state.outcome?.rawValue, decidedOn: file.state.decidedOn,
                        state: file.state), file
                ))
        }
        return result
    }
}
