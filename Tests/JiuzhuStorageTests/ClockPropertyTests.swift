import JiuzhuDomain
import Testing

/// The hybrid logical clock under any timestamps a peer may send: it never traps, never goes
/// backwards, and orders later events after what it took in.
@Suite struct ClockPropertyTests {
    @Test func anyRemoteTimestampLeavesTheClockOrderedAndUnwrapped() {
        var random = SplitMix64(seed: 42)
        let extremes: [Int64] = [.min, -1, 0, 1, 0xFFFF, 1 << 47 - 1, 1 << 47, .max - 1, .max]
        func value() -> Int64 {
            random.next() % 3 == 0
                ? extremes[Int(random.next() % UInt64(extremes.count))] : Int64(bitPattern: random.next())
        }
        let lead: Int64 = 600_000
        var clock = HybridLogicalClock()
        var taken = 0
        for _ in 0..<100_000 {
            let remote = HybridLogicalClock(rawValue: value())
            let now = random.next() % 2 == 0 ? Int64(1_796_000_000_000) : value()
            let before = clock
            do {
                try clock.receive(remote, now: now, maximumLead: lead)
                taken += 1
                #expect(clock >= before)
                #expect(clock > remote || clock.milliseconds == HybridLogicalClock.maximumMilliseconds)
            } catch {
                #expect(clock == before, "a refused timestamp moved the clock")
                #expect(remote.milliseconds > now &+ lead || now > .max - lead)
            }
            let ticked = clock.tick(now: now)
            #expect(ticked >= before)
            #expect(ticked.milliseconds >= 0 && ticked.milliseconds <= HybridLogicalClock.maximumMilliseconds)
        }
        #expect(taken > 10_000)
    }

    @Test func partsOutsideTheirRangeAreHeldAtItsEdges() {
        #expect(
            HybridLogicalClock(milliseconds: .max, counter: 0).milliseconds == HybridLogicalClock.maximumMilliseconds)
        #expect(HybridLogicalClock(milliseconds: -5, counter: 0).rawValue == 0)
        #expect(HybridLogicalClock(milliseconds: 7, counter: 0x1_0000).counter == 0xFFFF)
        var full = HybridLogicalClock(milliseconds: 7, counter: 0xFFFF)
        try? full.receive(HybridLogicalClock(milliseconds: 7, counter: 0xFFFF), now: 7)
        #expect(full == HybridLogicalClock(milliseconds: 8, counter: 0))
    }
}
