import Foundation
import JiuzhuDomain
import Testing

/// The node's one clock: Beijing's civil date at any instant, and time a test moves.
@Suite struct NodeClockTests {
    @Test(arguments: [
        // 2026-12-04T15:59:59.999Z is 23:59:59.999 in Beijing; a millisecond later it is the 5th.
        (Int64(1_796_399_999_999), "2026-12-04"), (1_796_400_000_000, "2026-12-05"),
        (0, "1970-01-01"), (-28_800_001, "1969-12-31"), (-28_800_000, "1970-01-01"),
        (951_753_600_000, "2000-02-29"), (4_107_456_000_000, "2100-02-28"),
        (Int64.max, "9999-12-31"), (Int64.min, "0001-01-01"),
    ])
    func theDateIsBeijingsAtEveryInstant(milliseconds: Int64, expected: String) {
        #expect(CivilDate(shanghaiAt: milliseconds).description == expected)
    }

    @Test func everyInstantAgreesWithFoundationsCalendarInShanghai() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: "Asia/Shanghai"))
        var random = SplitMix64(seed: 20_261_204)
        for _ in 0..<20_000 {
            // From 1992 (Beijing has kept no summer time since 1991) to 2200.
            let milliseconds = Int64(694_224_000_000) + Int64(random.next() % 7_258_118_400_000)
            let parts = calendar.dateComponents(
                [.year, .month, .day], from: Date(timeIntervalSince1970: Double(milliseconds) / 1000))
            let date = CivilDate(shanghaiAt: milliseconds)
            #expect(
                [date.year, date.month, date.day] == [parts.year, parts.month, parts.day], "at \(milliseconds) ms")
        }
    }

    @Test func daysSince1970RoundTripsOverTheWholeRange() throws {
        for days in stride(from: CivilDate.earliest.daysSince1970, through: 2_932_896, by: 97) {
            #expect(CivilDate(daysSince1970: days).daysSince1970 == days)
        }
        #expect(try CivilDate("2026-02-13").daysSince1970 - CivilDate("2026-02-25").daysSince1970 == -12)
    }

    @Test func aSettableClockMovesOnlyWhenMoved() throws {
        let time = SettableClock(at: try CivilDate("2026-02-13"))
        let clock = time.clock.offset(by: 1_000)
        let start = clock.now()
        #expect(clock.now() == start)
        #expect(clock.today().description == "2026-02-13")
        time.advance(seconds: 15 * 3600)  // 09:00 + 15 h: midnight in Beijing
        #expect(clock.now() == start + 54_000_000)
        #expect(clock.today().description == "2026-02-14")
        #expect(time.clock.today().description == "2026-02-14")
    }
}
