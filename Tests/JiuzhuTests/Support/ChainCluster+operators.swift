import Foundation
import JiuzhuNode
import JiuzhuServices
import JiuzhuTools

@testable import JiuzhuWeb

extension ChainCluster {
    /// Creates the demo's accounts at every node and publishes the repository's policy at the
    /// city, for tests that work through the operators' API; returns the accounts.
    func operatorsAndPolicy() async throws -> [DemoAccounts.Credential] {
        let accounts = try await DemoAccounts(topology: topology, dataRoot: directory.url.appending(path: "data"))
            .ensure()
        _ = try await PolicyService.publish(
            text: try String(contentsOf: OperatorFixture.policyFile, encoding: .utf8), file: "taizhou.yaml",
            database: try database(city), by: .commandLine)
        return accounts
    }

    /// Publishes the repository's working-day calendars at the city.
    func calendars() async throws {
        let folder = OperatorFixture.policyFile.deletingLastPathComponent().deletingLastPathComponent()
            .appending(path: "calendar")
        let cityDatabase = try database(city)
        defer { try? cityDatabase.close() }
        let rules = CaseworkRulesService(policy: PolicyService(database: cityDatabase), store: cityDatabase.policy)
        for year in ["2025", "2026", "2027"] {
            let text = try String(contentsOf: folder.appending(path: "\(year).yaml"), encoding: .utf8)
            _ = try await rules.publishCalendar(text: text, file: "\(year).yaml", by: .commandLine)
        }
    }
}
