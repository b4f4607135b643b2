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

    /// Opens every re-verification that has come due and is not open yet; returns their IDs.
    @discardableResult
    public func schedule() async throws -> [String] {
        let village = cases.node
        guard village.level == .village, let current = try? await cases.rules.current() else { return [] }
        let clocks = current.clocks(for: village)
        let today = cases.clock.today()
        let decided = try await cases.store.continuingDecisions(village: village)
        let open = try await cases.store.summaries(CaseQuery(within: village, limit: 100_000))
        let busy = Set(open.compactMap { summary in summary.household.map { "\($0)|\(summary.programme)" } })
        // The latest continuing decision of each household and programme.
        var latest: [String: CaseSummaryRow] = [:]
        for summary in decided {
            guard let household = summary.household, let on = summary.decidedOn else { continue }
            let key = "\(household)|\(summary.programme)"
            if let known = latest[key]?.decidedOn, known >= on { continue }
            latest[key] = summary
        }
        var opened: [String] = []
        for (key, summary) in latest.sorted(by: { $0.key < $1.key }) where !busy.contains(key) {
            guard let household = summary.household, let decidedOn = summary.decidedOn,
                let programme = Programme(rawValue: summary.programme)
            else { continue }
            let irregular = try await isIrregular(household) && programme != .extremePoverty
            let limitKey: CaseTimeLimitKey = irregular ? .reverificationIrregular : .reverificationStable
            guard let limit = clocks.limit(limitKey, on: decidedOn) else { continue }
            let due =
                limit.unit == .months ? decidedOn.adding(months: limit.count) : decidedOn.adding(days: limit.count)
            guard today >= due else { continue }
            let reason = "\(irregular ? "收入不稳定、有劳动能力，每半年" : "每年")复核（上次决定 \(decidedOn)，案件 \(summary.caseID)）"
            opened.append(
                try await cases.openTask(.reverification, household: household, programme: programme, reason: reason))
        }
        return opened
    }

    /// Whether the household's income is irregular and a member can work.
    private func isIrregular(_ key: String) async throws -> Bool {
        guard let stored = try await cases.registry.household(key),
            let record = try? HouseholdRecord(json: Data(stored.payload.utf8))
        else { return false }
        return record.incomes.contains(where: \.irregular) && record.members.contains(where: \.ableToWork)
    }
}
