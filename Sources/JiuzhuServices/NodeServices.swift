import JiuzhuDomain
import JiuzhuPolicy
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
    /// The casework rules in force: time limits, steps and calendars.
    public let caseRules: CaseworkRulesService
    /// Keeps case summaries current; the node runs it as a service.
    public let caseIndexer: CaseIndexer
    /// Escalates overdue steps held one level below; the node runs it as a service.
    public let caseSweeper: CaseSweeper
    /// Applications and steps on cases.
    public let cases: CaseService
    /// Applications by applicants on the phone page, confirmed by a one-time code.
    public let online: OnlineApplication
    /// Opens re-verifications as they come due (at villages); the node runs it as a service.
    public let reverification: ReverificationScheduler
    /// Department records, warning rules, warnings and their verification.
    public let warnings: WarningService
    /// Runs the warning sweep (at the city); the node runs it as a service.
    public let warningSweeper: WarningSweeper
    /// The jurisdiction's figures: recipients by tier and programme, decisions by month, cases.
    public let dashboard: DashboardService

    /// The services of the node that owns `database`. `delegation` and `villages` come from the
    /// topology: who decides which programme, and where an application may be sent.
    public init(
        database: NodeDatabase, hasher: PasswordHasher = PasswordHasher(), sessionRules: SessionRules = SessionRules(),
        delegation: ApprovalDelegation = .none, villages: [DivisionCode: String] = [:],
        sweepInterval: Duration = .seconds(10), messages: (any MessageSender)? = nil, logger: Logger
    ) {
        self.database = database
        policy = PolicyService(store: database.policy)
        indexer = RegistryIndexer(store: database.registry, policy: policy, logger: logger)
        registration = HouseholdRegistration(store: database.registry, indexer: indexer)
        accounts = AccountAdministration(store: database.operators, hasher: hasher)
        signIn = SignIn(store: database.operators, hasher: hasher, rules: sessionRules)
        caseRules = CaseworkRulesService(policy: policy, store: database.policy)
        caseIndexer = CaseIndexer(store: database.casework, rules: caseRules, logger: logger)
        caseSweeper = CaseSweeper(
            store: database.casework, indexer: caseIndexer, interval: sweepInterval, logger: logger)
        cases = CaseService(
            store: database.casework, registry: database.registry, rules: caseRules, delegation: delegation,
            villages: villages, indexer: caseIndexer)
        online = OnlineApplication(
            store: database.casework, cases: cases, sender: messages ?? LoggingMessageSender(logger: logger))
        reverification = ReverificationScheduler(cases: cases, logger: logger)
        warnings = WarningService(store: database.warnings, registry: database.registry, rules: caseRules, cases: cases)
        warningSweeper = WarningSweeper(warnings: warnings, signal: database.signal, logger: logger)
        dashboard = DashboardService(store: DashboardStore(database: database), policy: policy)
    }
}
