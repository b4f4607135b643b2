import Testing

@testable import JiuzhuNode

/// When the checkpointer copies the write-ahead log into the database file.
@Suite struct CheckpointPacingTests {
    /// Not in the middle of a burst, unless it has gone on for the busy limit; once commits pause,
    /// at the next look, and only once for what is there.
    @Test func copiesWhenCommitsPauseAndDuringALongBurstEveryBusyLimit() {
        var pacing = CheckpointPacing(busyLimit: .seconds(4))
        let start = ContinuousClock.now
        // (commit version seen, seconds since start) at each look.
        let looks: [(version: Int, second: Double)] = [
            // Commits between every two looks: no copy until they have gone on for 4 s.
            (1, 0.5), (2, 1.0), (7, 3.5), (9, 4.5),
            // The burst ends: the look after the last commit copies, once.
            (12, 5.0), (12, 5.5), (12, 6.0),
            // One commit at rest is copied at the look after the one that saw it.
            (13, 30), (13, 30.5),
        ]
        let copies = looks.map { pacing.shouldCopy(version: $0.version, at: start + .seconds($0.second)) }
        #expect(copies == [false, false, false, true, false, true, false, false, true])
    }
}
