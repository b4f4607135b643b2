import Foundation
import JiuzhuDomain
import JiuzhuRegistry
import JiuzhuServices
import JiuzhuStorage
import Logging
import Testing

/// The application's operations over databases in memory: no file, no listener, a clock the
/// test sets.
@Suite struct ServicesInMemoryTests {
    static let policyFile = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appending(path: "policy/taizhou.yaml")

    /// 09:00 in Beijing on a day the policy is in force.
    static let time = SettableClock(millisecondsSince1970: 1_796_346_000_000)

    static func database(_ code: String, _ role: NodeRole) throws -> NodeDatabase {
        try NodeDatabase.inMemory(
            for: .init(code: try DivisionCode(code), name: "测试\(code)", role: role), clock: time.clock)
    }

    /// A valid check character for a body of 17 digits (GB 11643).
    static func citizenID(born: String, sequence: String) -> String {
        let body = "321281" + born + sequence
        return body + String(CitizenID.checkCharacter(for: body.compactMap(\.wholeNumberValue)))
    }

    static func household(village: String, wages: Int = 80_000) throws -> HouseholdRecord {
        let json = """
            {"village":"\(village)","address":"兴化市昭阳街道海池社区 8 号","registration":"urban",
             "members":[{"citizenID":"\(citizenID(born: "19580301", sequence: "011"))","name":"王建国","sex":"male",
               "birthDate":"1958-03-01","relation":"applicant","seriousIllness":true,"ableToWork":false}],
             "incomes":[{"type":"wages","monthly":\(wages),"declaredOn":"2026-11-01"}],
             "enrolments":[]}
            """
        return try HouseholdRecord(json: Data(json.utf8))
    }

    /// Gives `database` the city's policy as its parent would send it.
    static func receivePolicy(_ database: NodeDatabase) async throws {
        let city = try Self.database("321200", .city)
        let text = try String(contentsOf: policyFile, encoding: .utf8)
        _ = try await PolicyService(database: city).publish(text: text, file: "taizhou.yaml", by: .commandLine)
        let logged = try await city.changeLog.logEntries(origin: city.owner.code, channel: .policy)
        _ = try await database.changeLog.applyFromParent(
            logged.map(\.change), parent: city.owner.code, channel: .policy, scannedThrough: logged.last?.position ?? 0)
    }

    @Test func aHouseholdIsRegisteredChangedAndImportedOnlyAtItsVillage() async throws {
        let village = try Self.database("321281001001", .village)
        let registration = HouseholdRegistration(database: village)
        let saved = try await registration.register(try Self.household(village: "321281001001"), by: .commandLine)
        #expect(saved.id == "321281001001-000001" && saved.version == 1)

        let richer = try Self.household(village: "321281001001", wages: 300_000)
        let changed = try await registration.change(id: saved.id, to: richer, version: 1, by: .commandLine)
        #expect(changed.version == 2)
        await #expect(throws: RegistryConflict.self) {
            try await registration.change(id: saved.id, to: richer, version: 1, by: .commandLine)
        }

        // Another village may neither register nor change this household.
        let neighbour = try Self.database("321281001002", .village)
        let refused = await #expect(throws: InputError.self) {
            try await HouseholdRegistration(database: neighbour).register(richer, by: .commandLine)
        }
        #expect(refused?.field == "village")
        #expect(try await neighbour.registry.household("321281001002-000001") == nil)

        // An imported register: created once, unchanged the second time.
        var imported = try Self.household(village: "321281001001")
        imported.id = "321281001001-R0007"
        let first = try await registration.importRegister([imported], file: "花名册.csv", by: .commandLine)
        let second = try await registration.importRegister([imported], file: "花名册.csv", by: .commandLine)
        #expect(first.created == 1 && first.unchanged == 0)
        #expect(second.created == 0 && second.updated == 0 && second.unchanged == 1)
    }

    @Test func theIndexerProfilesWithThePolicyInForceOnTheClocksDay() async throws {
        let village = try Self.database("321281001001", .village)
        try await Self.receivePolicy(village)
        let services = NodeServices(database: village, logger: Logger(label: "test"))
        // 800 yuan a month for one person: above the dibao standard, under the edge line.
        let saved = try await services.registration.register(
            try Self.household(village: "321281001001"), by: .commandLine)
        var query = RegistryQuery()
        query.tag = "dibaoEdge"
        let page = try await village.registry.searchHouseholds(query)
        #expect(page.hits.map(\.key) == [saved.id], "indexed at once, tagged as the calculator decides")
        #expect(page.hits.first?.perCapitaIncome == 80_000)
        #expect(try await services.policy.current()?.published.id == "2026.4")
    }

    @Test func accountsAndPolicyArePublishedAndCreatedOnlyWhereTheyMayBe() async throws {
        let city = try Self.database("321200", .city)
        let accounts = AccountAdministration(database: city, hasher: PasswordHasher(cost: 4))
        let weak = await #expect(throws: InputError.self) {
            try await accounts.create(
                username: "analyst1", displayName: "分析员", role: .cityAnalyst, password: "short", by: .commandLine)
        }
        #expect(weak?.field == "password")
        let (created, password) = try await accounts.create(
            username: "analyst1", displayName: "分析员", role: .cityAnalyst, by: .commandLine)
        #expect(created.username == "analyst1" && password.count == 14)
        #expect(try await city.operators.accounts().map(\.username) == ["analyst1"])

        let text = try String(contentsOf: Self.policyFile, encoding: .utf8)
        let policy = PolicyService(database: city)
        #expect(try await policy.publish(text: text, file: "taizhou.yaml", by: .commandLine).isNew)
        #expect(try await policy.publish(text: text, file: "taizhou.yaml", by: .commandLine).isNew == false)
        let village = try Self.database("321281001001", .village)
        await #expect(throws: PolicyPublicationError.self) {
            try await PolicyService(database: village).publish(text: text, file: "taizhou.yaml", by: .commandLine)
        }
    }

    @Test func signInLocksANameAfterFiveFailuresUntilTheClockMovesPastTheLock() async throws {
        let time = SettableClock(millisecondsSince1970: 1_796_346_000_000)
        let city = try NodeDatabase.inMemory(
            for: .init(code: try DivisionCode("321200"), name: "泰州市", role: .city), clock: time.clock)
        let hasher = PasswordHasher(cost: 4)
        _ = try await AccountAdministration(database: city, hasher: hasher).create(
            username: "auditor1", displayName: "审计员", role: .auditor, password: "right-password-2026",
            by: .commandLine)
        let signIn = SignIn(store: city.operators, hasher: hasher, rules: SessionRules())
        for _ in 1...4 {
            await #expect(throws: SignIn.Refusal.wrongCredentials) {
                try await signIn.signIn(username: "auditor1", password: "wrong-password")
            }
        }
        // The fifth failure locks the name for 15 minutes, even against the right password.
        await #expect(throws: SignIn.Refusal.self) { try await signIn.signIn(username: "auditor1", password: "wrong") }
        let locked = await #expect(throws: SignIn.Refusal.self) {
            try await signIn.signIn(username: "auditor1", password: "right-password-2026")
        }
        #expect(locked == .locked(until: Date(timeIntervalSince1970: 1_796_346_900)))
        time.advance(seconds: 15 * 60)
        let (session, token) = try await signIn.signIn(username: "auditor1", password: "right-password-2026")
        #expect(session.account.username == "auditor1" && token.count == 43)
        #expect(try await city.operators.liveSession(tokenHash: SecretToken.hash(token), rules: SessionRules()) != nil)
        try await signIn.signOut(session)
        #expect(try await city.operators.liveSession(tokenHash: SecretToken.hash(token), rules: SessionRules()) == nil)
    }
}
