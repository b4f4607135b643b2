/// Operator accounts, sessions and sign-in throttling (which stay on their node), and the
/// hash-chained audit log and security events (which travel up).
///
/// ```swift
/// let entries = try await database.operators.auditEntries(.init(action: "session.signIn", limit: 20))
/// ```
public struct OperatorStore: NodeStore {
    let core: StoreCore
}
