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
}
