import Dispatch
import Foundation

extension Array where Element: Sendable {
    /// `transform` applied to every element, the work spread over the machine's cores in
    /// contiguous slices of at least `minimumSlice` elements; the results in the elements' order.
    ///
    /// For pure, CPU-bound work over many elements (reading a department file's rows, hashing
    /// its records).
    ///
    /// ```swift
    /// let hashes = records.concurrentMap { $0.contentHash }
    /// ```
    public func concurrentMap<Result: Sendable>(
        minimumSlice: Int = 2_000, _ transform: @Sendable (Element) -> Result
    ) -> [Result] {
        let slices = Swift.min(ProcessInfo.processInfo.activeProcessorCount, count / Swift.max(1, minimumSlice))
        guard slices > 1 else { return map(transform) }
        // Each slice writes its results in place in the one result array: no per-slice arrays
        // to join and copy afterwards.
        return [Result](unsafeUninitializedCapacity: count) { buffer, initialized in
            guard let base = buffer.baseAddress else { return }
            let results = SliceResults(base: base)
            DispatchQueue.concurrentPerform(iterations: slices) { slice in
                for index in count * slice / slices..<count * (slice + 1) / slices {
                    results.initialize(index, to: transform(self[index]))
                }
            }
            initialized = count
        }
    }
}

/// The result array's storage, each element written once by the one thread whose slice holds it.
private struct SliceResults<Result>: @unchecked Sendable {
    let base: UnsafeMutablePointer<Result>

    func initialize(_ index: Int, to result: Result) { (base + index).initialize(to: result) }
}
