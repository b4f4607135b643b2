/// Households as the registry keeps them: every version (one row on the `registry` channel),
/// the search index and profiles, and the records the indexer set aside.
///
/// ```swift
/// let page = try await database.registry.searchHouseholds(query)
/// ```
public struct RegistryStore: NodeStore {
    let core: StoreCore
}
