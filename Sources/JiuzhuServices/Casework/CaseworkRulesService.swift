import Foundation
import JiuzhuDomain
import JiuzhuPolicy
import JiuzhuStorage
import Synchronization

/// The rules casework counts with: the casework section of the policy in force and the
/// working-day calendars the city published, parsed once and kept until either changes.
public final class CaseworkRulesService: Sendable {
    /// The rules in force.
    public struct Current: Sendable {
        public let rules: CaseworkRules
        public let calendar: WorkingCalendar
        public let policy: PolicyService.Current
        /// Identifies the policy and calendars together: summaries computed with other rules
        /// are recomputed.
        public let fingerprint: String

        /// The clocks for a household in `village`.
        public func clocks(for village: DivisionCode) -> CaseClocks {
            rules.clocks(for: village, calendar: calendar)
        }

        /// The calendar versions in force, e.g. ["2025.1", "2026.1", "2027.0"].
        public var calendarVersions: [String] {
            calendar.years.keys.sorted().compactMap { calendar.years[$0]?.version }
        }
    }

    let policy: PolicyService
    let store: any PolicyRepository
    private let cache = Mutex<(key: String, calendar: WorkingCalendar)?>(nil)

    public init(policy: PolicyService, store: any PolicyRepository) {
        self.policy = policy
        self.store = store
    }

    /// The rules in force, or an error saying what is missing: no policy yet, or a policy
    /// without a casework section.
    public func current() async throws -> Current {
        guard let policy = try await policy.current() else {
            throw InputError(field: nil, "本节点尚未收到市级发布的政策版本，暂不能办理案件")
        }
        guard let rules = policy.calculator.document.casework else {
            throw InputError(
                field: nil, "政策版本 \(policy.published.label) 没有规定办理时限（casework），请市级发布含办理时限的新版本")
        }
        let calendar = try await calendar()
        let fingerprint =
            policy.published.contentHash + "|"
            + calendar.years.keys.sorted().compactMap { calendar.years[$0]?.version }.joined(separator: ",")
        return Current(rules: rules, calendar: calendar, policy: policy, fingerprint: fingerprint)
    }

    /// The calendars held: for each year, the last version published. A year whose file no
    /// longer parses is left out (counted Monday to Friday, provisional) rather than stopping casework.
    public func calendar() async throws -> WorkingCalendar {
        let key = try await store.calendarKey()
        if let cached = cache.withLock({ $0 }), cached.key == key { return cached.calendar }
        var years: [WorkingCalendar.Year] = []
        for published in try await store.publishedCalendars() {
            if let year = try? WorkingCalendarFile.load(yaml: published.text, file: "\(published.version).yaml"),
                year.year == published.year, year.version == published.version
            {
                years.append(year)
            }
        }
        let calendar = WorkingCalendar(years: years)
        cache.withLock { $0 = (key, calendar) }
        return calendar
    }

    /// Validates a calendar file and publishes it for the whole city (the city node only).
    public func publishCalendar(text: String, file: String, by actor: AuditActor) async throws
        -> (year: WorkingCalendar.Year, isNew: Bool)
    {
        let year = try WorkingCalendarFile.load(yaml: text, file: file)
        let isNew = try await store.publishCalendar(
            year: year.year, version: year.version, contentHash: PolicyDocument.contentHash(Array(text.utf8)),
            text: text, by: actor)
        return (year, isNew)
    }
}
