import JiuzhuDomain
import JiuzhuStorage
import Logging

/// The operations of one node over its database, built once when the node starts and handed
/// to every surface (pages, API, command line), so each use case has one path.
///
/// ```swift
/// let services = NodeServices(database: database, logger: logger)
/// let saved = try await services.registration.register(record, by: actor)
/// ```
public struct NodeServices: Sendable {
    public let database: NodeDatabase
    /// The policy version the node computes with.
    public let policy: PolicyService
    /// Keeps the registry's search index and profiles current; the node runs it as a service.
    public let indexer: RegistryIndexer
    /// Registering, changing and importing households.
    public let registration: HouseholdRegistration
    /// Creating accounts and resetting passwords.
    public let accounts: AccountAdministration
    /// Signing in and out.
    public let signIn: SignIn

    public init(
        database: NodeDatabase, hasher: PasswordHasher = PasswordHasher(), sessionRules: SessionRules = SessionRules(),
        logger: Logger
    ) {
        self.database = database
        policy = PolicyService(store: database.policy)
        indexer = RegistryIndexer(store: database.registry, policy: policy, logger: logger)
        registration = HouseholdRegistration(store: database.registry, indexer: indexer)
        accounts = AccountAdministration(store: database.operators, hasher: hasher)
        signIn = SignIn(store: database.operators, hasher: hasher, rules: sessionRules)
    }
}
