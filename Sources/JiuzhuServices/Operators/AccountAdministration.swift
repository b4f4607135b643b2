import JiuzhuDomain
import JiuzhuStorage

/// Creating accounts and resetting passwords, the same for the command line, the demo and
/// the administration page. Without a chosen password a random one is generated; it is
/// shown once and stored only as a bcrypt hash.
public struct AccountAdministration: Sendable {
    public let store: any AccountRepository
    public let hasher: PasswordHasher

    public init(store: any AccountRepository, hasher: PasswordHasher = PasswordHasher()) {
        self.store = store
        self.hasher = hasher
    }

    /// Administration of the accounts of the node that owns `database`.
    public init(database: NodeDatabase, hasher: PasswordHasher = PasswordHasher()) {
        self.init(store: database.operators, hasher: hasher)
    }

    /// Creates an account; returns it with its password.
    public func create(
        username: String, displayName: String, role: OperatorRole, password: String? = nil, by actor: AuditActor
    ) async throws -> (account: OperatorAccount, password: String) {
        let account = try NewAccount(username: username, displayName: displayName, role: role, at: store.owner.role)
        let password = password ?? PasswordHasher.generatePassword()
        if let weakness = PasswordHasher.weakness(of: password) { throw InputError(field: "password", weakness) }
        let created = try await store.createAccount(
            account, passwordHash: try await hasher.hash(password), by: actor)
        return (created, password)
    }

    /// Gives an account a new random password and ends its sessions; returns the password.
    public func resetPassword(of username: String, by actor: AuditActor) async throws -> String {
        let password = PasswordHasher.generatePassword()
        try await store.setPasswordHash(username, try await hasher.hash(password), by: actor)
        return password
    }

    /// Disables an account (its sessions end) or enables it again.
    public func setDisabled(_ username: String, _ disabled: Bool, by actor: AuditActor) async throws {
        try await store.setAccountDisabled(username, disabled, by: actor)
    }
}
