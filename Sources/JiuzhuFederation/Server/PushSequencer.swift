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
        while applying.contains(key) || ((appliedThrough[key].map { $0 < after } ?? false) && .now < deadline) {
            try? await Task.sleep(for: .milliseconds(1))
        }
        applying.insert(key)
    }

    /// The batch was applied through the child's position `through`, or (nil) refused.
    func finish(peer: DivisionCode, channel: ReplicationChannel, through: Int64?) {
        let key = Key(peer: peer, channel: channel)
        applying.remove(key)
        appliedThrough[key] = through
    }
}
