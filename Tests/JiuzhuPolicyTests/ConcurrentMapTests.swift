import JiuzhuDomain
import Testing

/// `concurrentMap` writes each slice's results in place: every element once, in order, for
/// counts that split evenly and unevenly, and for results that are reference-counted.
@Suite struct ConcurrentMapTests {
    @Test(arguments: [0, 1, 199, 200, 400, 401, 1_001, 9_999])
    func resultsAreTheElementsMappedInOrder(count: Int) {
        let numbers = Array(0..<count)
        let texts = numbers.concurrentMap(minimumSlice: 100) { "第\($0)行：" + String(repeating: "字", count: $0 % 40) }
        #expect(texts == numbers.map { "第\($0)行：" + String(repeating: "字", count: $0 % 40) })
        #expect(numbers.concurrentMap(minimumSlice: 100) { $0 * 2 } == numbers.map { $0 * 2 })
    }
}
