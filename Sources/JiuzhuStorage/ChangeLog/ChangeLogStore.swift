/// The change log (outbox) and what the federation keeps beside it: changes applied from
/// children and the parent, the hybrid logical clock, link cursors and states, peer contacts,
/// subtree checksums, repair and restore.
///
/// ```swift
/// let logged = try await database.changeLog.commit([change])
/// let outcome = try await parent.changeLog.applyFromChild(batch.changes, channel: .registry)
/// ```
public struct ChangeLogStore: NodeStore {
    let core: StoreCore
}
