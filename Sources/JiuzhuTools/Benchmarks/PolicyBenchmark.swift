import JiuzhuDomain
import JiuzhuPolicy

/// The calculator's benchmark core: batch throughput and single-household latency, single
/// threaded, so `policy-bench` and the main `jiuzhu bench` command report the same figures.
///
/// ```swift
/// let figures = try PolicyBenchmark.run(calculator: calculator, date: CivilDate("2026-07-01"))
/// print(figures.text)
/// ```
public enum PolicyBenchmark {
    /// What one run measured.
    public struct Figures: Sendable, Hashable {
        /// Households in the batch.
        public var households: Int
        /// Rounds of the batch; the best is reported.
        public var rounds: Int
        /// The best round's time in seconds.
        public var bestBatchSeconds: Double
        /// Households per second in the best round, every programme evaluated.
        public var householdsPerSecond: Double
        /// 应助未助 findings in the batch.
        public var eligibleNotEnrolled: Int
        /// 不再符合 findings in the batch.
        public var enrolledNoLongerEligible: Int
        /// Median time of one evaluation plus explanation of a ``HouseholdSituation``, in µs.
        public var explainMedianMicroseconds: Double
        /// Median time of one evaluation of a ``HouseholdSituation`` (compaction included), in µs.
        public var evaluateMedianMicroseconds: Double
        /// Calls timed for each median.
        public var singleIterations: Int

        /// The figures as a short report.
        public var text: String {
            func fixed(_ value: Double, _ places: Int) -> String {
                var scale = 1.0
                for _ in 0..<places { scale *= 10 }
                let rounded = (value * scale).rounded() / scale
                return "\(rounded)"
            }
            return """
                batch: \(households) households × \(rounds) rounds, best \(fixed(bestBatchSeconds, 4)) s \
                → \(Int(householdsPerSecond)) households/s (应助未助 \(eligibleNotEnrolled), 不再符合 \(enrolledNoLongerEligible))
                single: evaluate+explain median \(fixed(explainMedianMicroseconds, 2)) µs, \
                evaluate median \(fixed(evaluateMedianMicroseconds, 2)) µs (\(singleIterations) calls each)
                """
        }
    }

    /// Times `batch.run()` `rounds` times and returns the best time in seconds and its report.
    public static func measureBatch(_ batch: PolicyBatch, rounds: Int) -> (seconds: Double, report: PolicyBatch.Report)
    {
        let clock = ContinuousClock()
        var best = Double.infinity
        var report = PolicyBatch.Report()
        for _ in 0..<max(1, rounds) {
            let start = clock.now
            report = batch.run()
            best = min(best, seconds(start.duration(to: clock.now)))
        }
        return (best, report)
    }

    /// Median time in µs of `body` applied to households in turn, over `iterations` calls.
    public static func measureSingle(
        _ households: [HouseholdSituation], iterations: Int, _ body: (HouseholdSituation) -> Int
    ) -> Double {
        let clock = ContinuousClock()
        var times: [Double] = []
        times.reserveCapacity(iterations)
        var sink = 0
        for iteration in 0..<iterations {
            let household = households[iteration % households.count]
            let start = clock.now
            sink &+= body(household)
            times.append(seconds(start.duration(to: clock.now)))
        }
        times.sort()
        // `sink` keeps the optimiser from dropping the work.
        return times[times.count / 2] * 1e6 + (sink == Int.min ? 1 : 0)
    }

    /// Runs both measurements on synthetic households.
    public static func run(
        calculator: PolicyCalculator, date: CivilDate, households count: Int = 1_000_000, rounds: Int = 5,
        singleIterations: Int = 20_000
    ) throws(PolicyNotInForceError) -> Figures {
        let snapshot = try calculator.snapshot(on: date)
        let batch = PolicyBatch(
            households: compactHouseholds(count: count, seed: 2026, snapshot: snapshot), snapshot: snapshot)
        let (best, report) = measureBatch(batch, rounds: rounds)

        var population = SyntheticPopulation(seed: 7, snapshot: snapshot, today: date)
        let samples = population.households(for: village, count: 256).map(\.situation)
        let explain = measureSingle(samples, iterations: singleIterations) { household in
            (try? calculator.explain(household, on: date))?.programmes.count ?? 0
        }
        let evaluate = measureSingle(samples, iterations: singleIterations) { household in
            Int((try? calculator.evaluate(household, on: date))?.eligible.rawValue ?? 0)
        }
        return Figures(
            households: count, rounds: rounds, bestBatchSeconds: best, householdsPerSecond: Double(count) / best,
            eligibleNotEnrolled: report.eligibleNotEnrolled.count,
            enrolledNoLongerEligible: report.enrolledNoLongerEligible.count, explainMedianMicroseconds: explain,
            evaluateMedianMicroseconds: evaluate, singleIterations: singleIterations)
    }

    /// The village the benchmark's households are registered in (the region of their IDs).
    // A literal twelve-digit village code: it cannot fail to parse.
    static let village = try! DivisionCode("321281100201")

    /// `count` compact households of the synthetic population, enrolled as it enrols them:
    /// as the calculator decides, except for the planted inconsistencies the batch must find.
    /// Generated in slices, so a million households never exist as full records at once.
    public static func compactHouseholds(count: Int, seed: UInt64, snapshot: PolicySnapshot) -> [CompactHousehold] {
        var population = SyntheticPopulation(seed: seed, snapshot: snapshot, today: snapshot.date)
        var households: [CompactHousehold] = []
        households.reserveCapacity(count)
        while households.count < count {
            for record in population.households(for: village, count: min(10_000, count - households.count)) {
                // Synthetic amounts are small, so this cannot overflow; an empty household stands in if it did.
                households.append((try? CompactHousehold(record.situation)) ?? CompactHousehold(members: []))
            }
        }
        return households
    }

    static func seconds(_ duration: Duration) -> Double {
        let parts = duration.components
        return Double(parts.seconds) + Double(parts.attoseconds) * 1e-18
    }
}
