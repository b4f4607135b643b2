import Foundation
import Synchronization

/// Where every "now" and "today" of a node comes from: wall time in milliseconds since 1970,
/// and the civil date in Asia/Shanghai.
///
/// One value is made when the node starts and handed to every store and service, so a test can
/// move a whole node through time (``SettableClock``) and a test of clock skew can offset it.
///
/// ```swift
/// let clock = NodeClock.system.offset(by: 2_000)   // two seconds ahead
/// clock.now()     // 1796371200000
/// clock.today()   // 2026-12-05 in Beijing, whatever the machine's time zone
/// ```
public struct NodeClock: Sendable {
    private let reading: @Sendable () -> Int64

    /// A clock that reads `millisecondsSince1970` each time it is asked.
    public init(_ millisecondsSince1970: @escaping @Sendable () -> Int64) {
        reading = millisecondsSince1970
    }

    /// The machine's clock.
    public static let system = NodeClock { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }

    /// This clock, `milliseconds` ahead (behind when negative).
    public func offset(by milliseconds: Int64) -> NodeClock {
        guard milliseconds != 0 else { return self }
        let reading = reading
        return NodeClock { reading() &+ milliseconds }
    }

    /// Milliseconds since 1970-01-01T00:00:00Z.
    public func now() -> Int64 { reading() }

    /// The same instant as a `Date`.
    public func date() -> Date { Date(timeIntervalSince1970: Double(now()) / 1000) }

    /// Today in Asia/Shanghai.
    public func today() -> CivilDate { CivilDate(shanghaiAt: now()) }
}

/// A clock that stands still until a test moves it.
///
/// ```swift
/// let time = SettableClock(at: try CivilDate("2026-02-13"))
/// let database = try NodeDatabase.open(in: folder, for: owner, clock: time.clock)
/// time.advance(seconds: 16 * 60)
/// ```
public final class SettableClock: Sendable {
    private let milliseconds: Mutex<Int64>

    /// Starts at `millisecondsSince1970`.
    public init(millisecondsSince1970: Int64) {
        milliseconds = Mutex(millisecondsSince1970)
    }

    /// Starts at 09:00 Beijing time on `date`.
    public convenience init(at date: CivilDate) {
        self.init(millisecondsSince1970: (date.daysSince1970 * 86_400 + 3_600) * 1000)
    }

    /// The clock to hand to a node's stores and services.
    public var clock: NodeClock { NodeClock { self.milliseconds.withLock { $0 } } }

    /// Moves the time on (or back, with a negative amount).
    public func advance(seconds: Double) {
        let step = Int64((seconds * 1000).rounded())
        milliseconds.withLock { $0 &+= step }
    }
}

extension CivilDate {
    /// Beijing time is UTC+8 all year (China has kept no summer time since 1991).
    static let shanghaiOffsetMilliseconds: Int64 = 8 * 3_600_000

    /// The civil date in Asia/Shanghai at an instant, in milliseconds since 1970. Instants
    /// outside years 1–9999 give the nearest end of that range.
    public init(shanghaiAt milliseconds: Int64) {
        let local = milliseconds.addingReportingOverflow(Self.shanghaiOffsetMilliseconds)
        let days =
            local.overflow
            ? Int64.max / 86_400_000
            : local.partialValue / 86_400_000
                - (local.partialValue % 86_400_000 < 0 ? 1 : 0)
        self.init(daysSince1970: days)
    }

    /// The date `days` after 1970-01-01 (Howard Hinnant's `civil_from_days`), clamped to
    /// years 1–9999.
    public init(daysSince1970 days: Int64) {
        let first = CivilDate.earliest.daysSince1970
        let last: Int64 = 2_932_896  // 9999-12-31
        let z = min(max(days, first), last) + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shifted = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shifted + 2) / 5 + 1
        let month = shifted < 10 ? shifted + 3 : shifted - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        self.init(uncheckedYear: Int(year), month: Int(month), day: Int(day))
    }

    /// Days from 1970-01-01 to this date (negative before it).
    public var daysSince1970: Int64 {
        let year = Int64(month <= 2 ? self.year - 1 : self.year)
        let era = (year >= 0 ? year : year - 399) / 400
        let yearOfEra = year - era * 400
        let monthIndex = Int64(month > 2 ? month - 3 : month + 9)
        let dayOfYear = (153 * monthIndex + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
