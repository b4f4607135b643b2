/// Cases as the node holds them: the rows of each case (opened, steps, escalations, photo
/// parts) on the `casework` channel, which rows belong to which case, and the summary of each
/// case the indexer keeps for lists, queues and sweeps.
///
/// ```swift
/// let rows = try await database.casework.rows(ofCase: "321281001001-000012")
/// ```
public struct CaseworkStore: NodeStore {
    let core: StoreCore
}
