import CAllocator
import Testing

/// A node's memory relief only works if the trim reaches the C library: a build that compiled
/// it to nothing (as one did, testing for glibc before including a glibc header) kept villages
/// at three times their size.
@Suite struct AllocatorTests {
    @Test func freedHeapMemoryIsGivenBackToTheSystem() {
        // 40 MiB in 64 KiB blocks (below the mmap threshold, so they come from the heap),
        // every other one kept so that the freed ones cannot merge into the heap's top.
        var blocks: [UnsafeMutableRawPointer] = []
        for _ in 0..<640 {
            let block = UnsafeMutableRawPointer.allocate(byteCount: 64 * 1024, alignment: 16)
            block.initializeMemory(as: UInt8.self, repeating: 1, count: 64 * 1024)
            blocks.append(block)
        }
        for (index, block) in blocks.enumerated() where index % 2 == 0 { block.deallocate() }
        #expect(jiuzhu_release_free_memory() == 1)
        for (index, block) in blocks.enumerated() where index % 2 == 1 { block.deallocate() }
    }
}
