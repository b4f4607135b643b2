import Foundation

/// What the benchmarks share to turn timings into figures: seconds from a `Duration`,
/// percentiles of latencies and numbers written the way the reports print them.
enum BenchMeasure {
    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }

    static func milliseconds(_ duration: Duration) -> Double { seconds(duration) * 1000 }

    /// The value below which `fraction` of `sorted` lies (nearest rank); NaN when empty.
    static func percentile(_ sorted: [Double], _ fraction: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        return sorted[min(sorted.count - 1, Int((Double(sorted.count) * fraction).rounded(.down)))]
    }

    /// `value` with a fixed number of decimals.
    static func format(_ value: Double, digits: Int) -> String { String(format: "%.\(digits)f", value) }

    /// Two decimals below 10, one above: latencies in milliseconds, sizes in MiB.
    static func format(_ value: Double) -> String { format(value, digits: value < 10 ? 2 : 1) }

    /// `p50 1.23 毫秒，p99 4.56 毫秒` for latencies in milliseconds.
    static func percentiles(_ milliseconds: [Double]) -> String {
        let sorted = milliseconds.sorted()
        return "p50 \(format(percentile(sorted, 0.5))) 毫秒，p99 \(format(percentile(sorted, 0.99))) 毫秒"
    }
}
