import Foundation
import JiuzhuDomain

// The protocols the services use, one per store, listing what the application's operations
// need of it. The stores over SQLite conform; a service is tested over a database in memory
// (`NodeDatabase.inMemory`), and a store on another engine would conform the same way.

/// Households as the registration and indexing services use them.
public protocol RegistryRepository: Sendable {
    /// The node whose data this is: a household is registered only at its own village.
    var owner: NodeDatabase.Owner { get }
    /// The node's clock.
    var wallClock: NodeClock { get }
    /// Announces commits, so the indexer wakes when a household changes.
    var signal: ChangeSignal { get }

    /// The next free household number at `village`.
    func nextHouseholdKey(at village: DivisionCode) async throws -> String
    /// The households a citizen ID is registered in.
    func households(of citizenID: String) async throws -> [String]
    /// The current version of a household, if this node holds it.
    func household(_ key: String) async throws -> (payload: String, origin: String, sequence: Int64)?
    /// Writes one version with its change-log entry and audit entry in one commit; refuses with
    /// ``RegistryConflict`` when the stored version is no longer `expectedSequence`.
    func saveHousehold(
        key: String, village: DivisionCode, payload: String, expectedSequence: Int64?, audit: AuditRecord
    ) async throws -> Change
    /// Adds the households that do not exist yet, in one commit with one audit entry.
    func addHouseholds(_ records: [(key: String, village: DivisionCode, payload: String)], audit: AuditRecord)
        async throws -> Int
    /// How far the index has read the change log.
    func indexPosition() async throws -> Int64
    /// The household changes logged after `position`, with each household's current record.
    func householdChanges(after position: Int64, limit: Int) async throws -> HouseholdChanges
    /// Writes index entries (nil removes a household) and set-aside records, and moves the
    /// index's position, in one commit; moving it back to 0 has every household indexed again.
    func index(
        _ entries: [(key: String, entry: HouseholdIndexEntry?)], setAside: [SetAsideHousehold], through position: Int64
    ) async throws
}

/// Published policy versions as the policy service uses them.
public protocol PolicyRepository: Sendable {
    /// Publishes a version (the city only); returns whether it was new.
    func publishPolicy(id: String, contentHash: String, text: String, by actor: AuditActor) async throws -> Bool
    /// The newest version this node holds.
    func latestPolicy() async throws -> PublishedPolicy?
    /// The key of the newest version, read without its text.
    func latestPolicyKey() async throws -> String?
    /// Publishes a working-day calendar year (the city only); returns whether it was new.
    func publishCalendar(year: Int, version: String, contentHash: String, text: String, by actor: AuditActor)
        async throws -> Bool
    /// Every calendar version held, in publication order.
    func publishedCalendars() async throws -> [PublishedCalendar]
    /// Changes whenever a calendar arrives.
    func calendarKey() async throws -> String
}

/// Operator accounts as account administration uses them.
public protocol AccountRepository: Sendable {
    /// The node the accounts belong to.
    var owner: NodeDatabase.Owner { get }
    /// Creates an account; audited.
    func createAccount(_ account: NewAccount, passwordHash: String, by actor: AuditActor) async throws
        -> OperatorAccount
    /// Sets a new password hash and ends the account's sessions; audited.
    func setPasswordHash(_ username: String, _ passwordHash: String, by actor: AuditActor) async throws
    /// Disables (ending its sessions) or enables an account; audited.
    func setAccountDisabled(_ username: String, _ disabled: Bool, by actor: AuditActor) async throws
}

/// Sessions and sign-in throttling as the sign-in service uses them.
public protocol SessionRepository: Sendable {
    /// Takes one of the attempts `username` has left before its password is checked.
    func reserveSignInAttempt(_ username: String, rules: SessionRules) async throws -> SignInAttempt
    /// The account and its password hash, if the name exists.
    func accountForSignIn(_ username: String) async throws -> (account: OperatorAccount, passwordHash: String)?
    /// Audits a failed or refused sign-in; returns until when the name is locked, if it is.
    @discardableResult
    func recordSignInFailure(_ username: String, reason: String, refused: Bool) async throws -> Date?
    /// Opens a session after a successful sign-in; audited.
    func openSession(for account: OperatorAccount, tokenHash: String, csrfToken: String, rules: SessionRules)
        async throws -> OperatorSession
    /// Ends a session; audited.
    func closeSession(_ session: OperatorSession) async throws
}

extension RegistryStore: RegistryRepository {}
extension OperatorStore: SessionRepository {}
extension PolicyStore: PolicyRepository {}
extension OperatorStore: AccountRepository {}

/// What the casework services need of the casework store.
public protocol CaseworkRepository: Sendable {
    /// The node whose data this is.
    var owner: NodeDatabase.Owner { get }
    /// The node's clock.
    var wallClock: NodeClock { get }
    /// Announces commits.
    var signal: ChangeSignal { get }
    func openCase(
        audit: @escaping @Sendable (Int64) -> AuditRecord, build: @escaping @Sendable (Int64) throws -> [LocalChange]
    ) async throws -> Int64
    @discardableResult
    func appendRows(caseID: String, expectedLastStep: Int?, rows: [LocalChange], audit: AuditRecord?) async throws
        -> [Change]
    func rows(ofCase caseID: String) async throws -> [CaseRow]
    func rows(ofCases caseIDs: [String]) async throws -> [String: [CaseRow]]
    func changedCases(after position: Int64, limit: Int) async throws -> (caseIDs: [String], through: Int64?)
    func indexState() async throws -> (position: Int64, rules: String)
    func saveSummaries(_ summaries: [CaseSummaryRow], through position: Int64?, rules: String?, audits: [AuditRecord])
        async throws
    func summary(ofCase caseID: String) async throws -> CaseSummaryRow?
    func summaries(_ query: CaseQuery) async throws -> [CaseSummaryRow]
    func openCaseDeadlines() async throws -> [CaseDeadlineRow]
    func saveDeadlines(_ deadlines: [CaseDeadlineRow], rules: String, audits: [AuditRecord]) async throws
    func decisions(village: DivisionCode) async throws -> [CaseSummaryRow]
    func reviseOpening(caseID: String, expected: String, row: LocalChange, audit: AuditRecord) async throws
    func overdueUnescalated(within: DivisionCode, holderLevel: DivisionLevel, at now: Int64) async throws
        -> [CaseSummaryRow]
    func counts(within: DivisionCode, at now: Int64) async throws -> [CaseCount]
    func recordOnlineCode(phoneHash: String, codeHash: String, validFor: Int64, interval: Int64) async throws
    func checkOnlineCode(phoneHash: String, codeHash: String, maximumAttempts: Int) async throws -> OnlineCodeCheck
}

extension CaseworkStore: CaseworkRepository {}

/// Department records, warnings and their verifications as the warning service uses them.
public protocol WarningRepository: Sendable {
    /// The node whose data this is.
    var owner: NodeDatabase.Owner { get }
    /// The node's clock.
    var wallClock: NodeClock { get }
    /// Announces commits.
    var signal: ChangeSignal { get }
    func store(
        _ records: [StoredFeedRecord], audit: @escaping @Sendable (FeedStoreOutcome) -> AuditRecord,
        progress: (@Sendable (Int) -> Void)?
    ) async throws -> FeedStoreOutcome
    func feedRecords(about citizenIDs: [String], feeds: [String]) async throws -> [StoredFeedRecord]
    func pendingFeedRecords(receivedBy: Int64, limit: Int) async throws -> [StoredFeedRecord]
    func feedRecords(ofFeeds feeds: [String], limit: Int, offset: Int) async throws -> [StoredFeedRecord]
    func feedCounts() async throws -> [String: Int]
    func households(listing citizenIDs: [String]) async throws -> ListedHouseholds
    func warnings(ofHouseholds households: [String], rule: String) async throws -> [WarningIndexRow]
    func raise<Result: Sendable>(
        keys: [String], evaluated: [(feed: String, recordID: String)],
        decide: @escaping @Sendable ([String: WarningIndexRow]) throws -> (rows: [LocalChange], result: Result)
    ) async throws -> Result
    func warning(_ key: String) async throws -> (payload: String, state: WarningIndexRow)?
    func verification(_ key: String) async throws -> String?
    func list(_ query: WarningQuery) async throws -> [WarningIndexRow]
    func verify(_ key: String, generation: Int, row: LocalChange, audit: AuditRecord) async throws
    func enrolments(within division: DivisionCode) async throws -> [EnrolmentFact]
    func decidedCases(within division: DivisionCode) async throws -> [CaseSummaryRow]
    func overdueReverifications(within division: DivisionCode, at now: Int64) async throws -> [CaseSummaryRow]
    func incomeDrops(within division: DivisionCode, below fen: Int64) async throws -> [IncomeFact]
    @discardableResult func rememberIncomes() async throws -> Int
    func members(within division: DivisionCode, bornFrom earliest: Int32, to latest: Int32) async throws
        -> [MemberFact]
    func sharedMembers(within division: DivisionCode) async throws -> [MemberFact]
    func outcomes(within division: DivisionCode) async throws -> [WarningOutcomeCount]
    func householdsWithRecords(changedAfter position: Int64, limit: Int) async throws
        -> (households: [String], through: Int64?)
    func householdCursor() async throws -> Int64
    func registryAndCaseworkPosition() async throws -> Int64
    func ruleInputsPosition() async throws -> [Int64]
    func setHouseholdCursor(_ position: Int64) async throws
}

extension WarningStore: WarningRepository {}
