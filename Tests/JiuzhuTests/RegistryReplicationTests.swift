import Foundation
import JiuzhuDomain
import JiuzhuNode
import JiuzhuStorage
import JiuzhuTools
import Testing

@testable import JiuzhuWeb

extension LiveClusters {
    /// A household registered at a village reaches every level above, and each level finds it
    /// in its own search, with the city's analyst seeing masked ID numbers.
    @Suite(.serialized) struct RegistryReplicationTests {
        @Test func aHouseholdRegisteredAtTheVillageIsFoundAtTheCity() async throws {
            let cluster = try await ChainCluster.running()
            defer { cluster.stop() }
            let accounts = try await cluster.operatorsAndPolicy()
            let http = try OperatorHTTP(certificates: cluster.certificates.url)
            do {
                func credential(_ role: OperatorRole) throws -> DemoAccounts.Credential {
                    try #require(accounts.first { $0.role == role })
                }
                let specialist = try credential(.villageSpecialist)
                try await http.signIn(cluster.village, specialist.username, specialist.password)
                let created = try await http.send(
                    cluster.village, .POST, "/api/v1/households",
                    json: householdJSON(village: cluster.village.code.digits))
                #expect(created.status == 201, "\(String(decoding: created.body, as: UTF8.self))")

                let analyst = try credential(.cityAnalyst)
                try await http.signIn(cluster.city, analyst.username, analyst.password)
                let clerk = try credential(.townshipClerk)
                try await http.signIn(cluster.township, clerk.username, clerk.password)
                let id = "\(cluster.village.code.digits)-000001"
                for node in [cluster.township, cluster.city] {
                    let found = await eventually {
                        (try? await http.json(node, "/api/v1/search?tag=severeDisability"))?["total"] as? Int == 1
                    }
                    #expect(found, "\(node.label) finds the household by its profile")
                }
                let atCity = try #require(try await http.json(cluster.city, "/api/v1/households/\(id)"))
                let members = (atCity["household"] as? [String: Any])?["members"] as? [[String: Any]]
                #expect(
                    members?.first?["citizenID"] as? String
                        == CitizenIDMask.masked(citizenID(born: "19580301", sequence: "011")))
                #expect(atCity["owner"] as? String == cluster.village.code.digits)
            } catch {
                await http.shutdown()
                throw error
            }
            await http.shutdown()
        }
    }
}
