/// The warning platform's data: the department records the city received (kept at the city
/// only; a warning carries what it needs of them), the warnings and their verifications on the
/// `warnings` channel, and an index of each warning's state kept in the same transaction as
/// the row, wherever the row was written (``RowFiling``).
///
/// ```swift
/// let open = try await database.warnings.list(WarningQuery(within: village, status: .open))
/// ```
public struct WarningStore: NodeStore {
    let core: StoreCore
}
