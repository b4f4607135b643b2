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
        let parts = SliceResults<Result>(count: slices)
        defer { parts.deallocate() }
        DispatchQueue.concurrentPerform(iterations: slices) { slice in
            parts.store(self[count * slice / slices..<count * (slice + 1) / slices].map(transform), at: slice)
        }
        return parts.joined()
    }
}

/// One result array per slice, each written by one thread only.
private struct SliceResults<Result>: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<[Result]>

    init(count: Int) {
        buffer = .allocate(capacity: count)
        buffer.initialize(repeating: [])
    }

    func store(_ results: [Result], at slice: Int) { buffer[slice] = results }
    func joined() -> [Result] { Array(buffer.joined()) }

    func deallocate() {
        _ = buffer.deinitialize()
        buffer.deallocate()
    }
}
