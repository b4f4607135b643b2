import JiuzhuDomain

/// Keeps a child's pipelined pushes in order. A child sends its next batch while this node
/// applies the last, over another connection, so the two may arrive in either order; each says
/// after which of the child's log positions it starts, and waits here until the batch before
/// it is applied. Sequence numbers still guard correctness: a batch let through out of order
/// (the one before it never came) is refused as a gap and sent again.
actor PushSequencer {
    private struct Key: Hashable {
        let peer: DivisionCode
        let channel: ReplicationChannel
    }

    /// Per child and channel, the child's log position the last applied batch ended at.
    private var appliedThrough: [Key: Int64] = [:]
    private var applying: Set<Key> = []
    /// Batches waiting for their turn, woken when a batch of their link finishes (or their
    /// patience runs out) to look again.
    private var waiting: [Key: [Int: CheckedContinuation<Void, Never>]] = [:]
    private var nextWaiter = 0
    /// How long a batch waits for the one before it: two batches sent a moment apart arrive a
    /// moment apart. It also bounds the one wait a child restored from scratch may meet (its
    /// log positions start again, and may lie past those this node remembers of it).
    let patience: Duration

    init(patience: Duration = .seconds(1)) {
        self.patience = patience
    }

    /// Returns when the batch starting after the child's position `after` may be applied: no
    /// batch of the link is being applied, and none it follows is still to come (or the wait
    /// ran out). Every call must be matched by ``finish(peer:channel:through:)``.
    func turn(peer: DivisionCode, channel: ReplicationChannel, after: Int64) async {
        let key = Key(peer: peer, channel: channel)
        let deadline = ContinuousClock.now + patience
        while true {
            let patient = ContinuousClock.now < deadline
            let behind = appliedThrough[key].map { $0 < after } ?? false
            guard applying.contains(key) || (behind && patient) else { break }
            // Once patience has run out, only the batch being applied is waited for.
            await wake(key, at: patient && behind ? deadline : nil)
        }
        applying.insert(key)
    }

    /// The batch was applied through the child's position `through`, or (nil) refused.
    func finish(peer: DivisionCode, channel: ReplicationChannel, through: Int64?) {
        let key = Key(peer: peer, channel: channel)
        applying.remove(key)
        appliedThrough[key] = through
        for waiter in (waiting.removeValue(forKey: key) ?? [:]).values { waiter.resume() }
    }

    /// Suspends until a batch of the link finishes, or until `deadline` when there is one.
    private func wake(_ key: Key, at deadline: ContinuousClock.Instant?) async {
        let id = nextWaiter
        nextWaiter += 1
        let timer = deadline.map { deadline in
            Task {
                guard (try? await Task.sleep(until: deadline, clock: .continuous)) != nil else { return }
                self.resume(key, id)
            }
        }
        await withCheckedContinuation { waiting[key, default: [:]][id] = $0 }
        timer?.cancel()
    }

    private func resume(_ key: Key, _ id: Int) {
        waiting[key]?.removeValue(forKey: id)?.resume()
    }
}
