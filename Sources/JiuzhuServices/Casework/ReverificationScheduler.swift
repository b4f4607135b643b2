import Foundation
import JiuzhuDomain
import JiuzhuPolicy
import JiuzhuRegistry
import JiuzhuStorage
import Logging
import ServiceLifecycle

/// Dynamic management at a village: every household receiving assistance is re-verified on
/// schedule — yearly when its income is stable (and for extreme poverty), half-yearly when its
/// income is irregular and a member can work — by a `reverification` case the village opens
/// itself, counted from the last decision to enrol or continue. The intervals are the policy's
/// `reverificationStable` and `reverificationIrregular`.
///
/// A gradual exit is followed up, not re-verified: on the last day of its last month paid the
/// village opens a `change` case (an exit: stop the assistance, or continue it where income
/// fell again), and no re-verification is scheduled from it. A termination ends both. Each
/// household and programme has at most one task open at a time.
public final class ReverificationScheduler: Service, Sendable {
    let cases: CaseService
    let interval: Duration
    let logger: Logger

    public init(cases: CaseService, interval: Duration = .seconds(60), logger: Logger) {
        self.cases = cases
        self.interval = interval
        self.logger = logger
    }

    /// Schedules every `interval` until the node shuts down; at a node that is not a village it
    /// only waits (returning would end the node's other services).
    public func run() async throws {
        guard cases.node.level == .village else {
            try await gracefulShutdown()
            return
        }
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do { try await self.schedule() } catch is CancellationError { return } catch {
                    self.logger.error("re-verification scheduling failed; retrying", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: self.interval)
            }
        }
    }

    /// Opens every re-verification and gradual-exit follow-up that has come due and is not open
    /// yet; returns their IDs.
    @discardableResult
    public func schedule() async throws -> [String] {
        let village = cases.node
        guard village.level == .village, let current = try? await cases.rules.current() else { return [] }
        let clocks = current.clocks(for: village)
        let today = cases.clock.today()
        let latest = try await cases.latestDecisions()
        let busy = try await cases.openCasesByHousehold()
        var opened: [String] = []
        for (key, summary) in latest.sorted(by: { $0.key < $1.key }) where busy[key] == nil {
            guard let decidedOn = summary.decidedOn, let outcome = summary.outcome.flatMap(DecisionOutcome.init)
            else { continue }
            switch outcome {
            case .gradualExit:
                let months =
                    try await gradualExitMonths(summary.caseID) ?? clocks.limit(.gradualExit, on: decidedOn)?.count ?? 1
                let period = GradualExit(decidedOn: decidedOn, months: months)
                guard today >= period.lastDay else { continue }
                let reason =
                    "渐退期满（\(months) 个月，\(String(period.firstMonth.description.prefix(7))) 起发放，至 \(period.lastDay) 止；决定见案件 \(summary.caseID)），请核实后决定停止救助或继续享受"
                opened.append(
                    try await cases.openTask(
                        .change, household: key.household, programme: key.programme, reason: reason))
            case .enrol, .continueAssistance:
                let irregular = try await isIrregular(key.household) && key.programme != .extremePoverty
                let limitKey: CaseTimeLimitKey = irregular ? .reverificationIrregular : .reverificationStable
                guard let limit = clocks.limit(limitKey, on: decidedOn) else { continue }
                let due =
                    limit.unit == .months ? decidedOn.adding(months: limit.count) : decidedOn.adding(days: limit.count)
                guard today >= due else { continue }
                let reason =
                    "\(irregular ? "收入不稳定、有劳动能力，每半年" : "每年")复核（上次决定 \(decidedOn)，案件 \(summary.caseID)）"
                opened.append(
                    try await cases.openTask(
                        .reverification, household: key.household, programme: key.programme, reason: reason))
            case .terminate, .refuse:
                continue
            }
        }
        return opened
    }

    /// The months of the gradual exit the case decided, as its decision recorded them; nil when
    /// the case is not held here or its decision did not record them.
    private func gradualExitMonths(_ caseID: String) async throws -> Int? {
        try await cases.file(caseID)?.timeline.last { $0.effective && $0.step.action.kind == .decide }?.step
            .enrolment?.gradualExitMonths
    }

    /// Whether the household's income is irregular and a member can work.
    private func isIrregular(_ key: String) async throws -> Bool {
        guard let stored = try await cases.registry.household(key),
            let record = try? HouseholdRecord(json: Data(stored.payload.utf8))
        else { return false }
        return record.incomes.contains(where: \.irregular) && record.members.contains(where: \.ableToWork)
    }
}
