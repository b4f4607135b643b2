/// The policy versions the city published, as they arrived here.
///
/// ```swift
/// let newest = try await database.policy.latestPolicy()
/// ```
public struct PolicyStore: NodeStore {
    let core: StoreCore
}
