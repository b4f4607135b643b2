import JiuzhuDomain
import Synchronization
import Testing

@testable import JiuzhuFederation

/// The parent's ordering of a child's pipelined pushes.
@Suite struct PushSequencerTests {
    static let child = try! DivisionCode("321281100201")

    /// A batch that arrives before the one it follows waits for it, and for its apply to end;
    /// the batch it follows goes first.
    @Test func aBatchWaitsForTheOneBeforeIt() async throws {
        let sequencer = PushSequencer(patience: .seconds(30))
        let order = Mutex<[String]>([])
        await sequencer.finish(peer: Self.child, channel: .registry, through: 100)
        let later = Task {
            await sequencer.turn(peer: Self.child, channel: .registry, after: 200)
            order.withLock { $0.append("200…300") }
            await sequencer.finish(peer: Self.child, channel: .registry, through: 300)
        }
        try await Task.sleep(for: .milliseconds(100))
        #expect(order.withLock { $0 }.isEmpty, "the batch after 200 must wait for the one through 200")
        await sequencer.turn(peer: Self.child, channel: .registry, after: 100)
        order.withLock { $0.append("100…200") }
        try await Task.sleep(for: .milliseconds(50))
        #expect(order.withLock { $0 } == ["100…200"], "nothing goes while a batch of the link is applied")
        await sequencer.finish(peer: Self.child, channel: .registry, through: 200)
        await later.value
        #expect(order.withLock { $0 } == ["100…200", "200…300"])
    }

    /// A batch whose predecessor never comes goes once its patience runs out, so a lost batch
    /// is refused as a gap (and sent again) instead of holding the link for good.
    @Test func aBatchWhosePredecessorNeverComesGoesAfterItsPatience() async throws {
        let sequencer = PushSequencer(patience: .milliseconds(100))
        await sequencer.finish(peer: Self.child, channel: .registry, through: 100)
        let started = ContinuousClock.now
        await sequencer.turn(peer: Self.child, channel: .registry, after: 200)
        #expect(ContinuousClock.now - started >= .milliseconds(100))
        await sequencer.finish(peer: Self.child, channel: .registry, through: nil)
    }

    /// Links do not wait for one another: another channel, or another child, goes at once.
    @Test func otherLinksDoNotWait() async throws {
        let sequencer = PushSequencer(patience: .seconds(30))
        await sequencer.finish(peer: Self.child, channel: .registry, through: 100)
        await sequencer.turn(peer: Self.child, channel: .registry, after: 100)
        await sequencer.turn(peer: Self.child, channel: .casework, after: 0)
        await sequencer.turn(peer: try DivisionCode("321281100202"), channel: .registry, after: 0)
        await sequencer.finish(peer: Self.child, channel: .registry, through: 200)
    }
}
