import Foundation
import JiuzhuDomain
import JiuzhuFederation
import JiuzhuNode
import JiuzhuStorage
import Testing

@testable import JiuzhuWeb

extension LiveClusters {
    /// The two attacks of issue 12 that ended processes, against real nodes: an overflowing
    /// calculator request, and a household whose incomes overflow written straight into a
    /// village's database, which every level's indexer profiles.
    @Suite(.serialized) struct PoisonedHouseholdTests {
        static let healthz = "/healthz"

        @Test func noRequestOrRecordStopsANode() async throws {
            let cluster = try await ChainCluster.running()
            defer { cluster.stop() }
            let accounts = try await cluster.operatorsAndPolicy()
            let city = try cluster.database(cluster.city)
            let http = try OperatorHTTP(certificates: cluster.certificates.url)
            do {
                let specialist = try #require(accounts.first { $0.role == .villageSpecialist })
                try await http.signIn(cluster.village, specialist.username, specialist.password)

                // 1. The request that ended the village process: answered 400, the node stays up.
                let calculator = try await http.send(
                    cluster.village, .POST, "/api/v1/calculator",
                    json: #"{"date":"2026-07-01","household":\#(ImplausibleInputTests.overflowingHousehold)}"#)
                #expect(calculator.status == 400, "\(String(decoding: calculator.body, as: UTF8.self))")
                let refusal = try JSONSerialization.jsonObject(with: calculator.body) as? [String: Any]
                #expect(refusal?["field"] as? String == "household.incomes[0].monthly")
                #expect(try await http.send(cluster.village, .GET, Self.healthz).status == 200)

                // 2. A household no validation would pass, written into the village's file.
                let village = try cluster.database(cluster.village)
                let code = cluster.village.code
                let poisonedKey = "\(code.digits)-000001"
                let audit = AuditRecord(
                    actor: "test", role: "villageSpecialist", action: "registry.create", target: poisonedKey,
                    outcome: .allowed, detail: "")
                try await village.registry.saveHousehold(
                    key: poisonedKey, village: code, payload: ImplausibleInputTests.poisoned(village: code.digits),
                    expectedSequence: nil, audit: audit)
                var databases: [(TopologyNode, NodeDatabase)] = [(cluster.village, village), (cluster.city, city)]
                for node in [cluster.township, cluster.county] { databases.append((node, try cluster.database(node))) }
                for (node, database) in databases {
                    let setAside = await eventually {
                        (try? await database.registry.setAsideHouseholds())?.map(\.key) == [poisonedKey]
                    }
                    #expect(setAside, "\(node.label) sets the household aside")
                    let reason = try await database.registry.setAsideHouseholds().first?.reason ?? ""
                    #expect(reason.contains("incomes") && reason.contains("溢出"), "\(node.label): \(reason)")
                }
                #expect(try await cluster.waitUntilHealthy(), "every node is still up")

                // Operators see it: the city's API and search page list it with the reason.
                let analyst = try #require(accounts.first { $0.role == .cityAnalyst })
                try await http.signIn(cluster.city, analyst.username, analyst.password)
                let listed = try await http.send(cluster.city, .GET, "/api/v1/households-set-aside")
                let rows = try JSONSerialization.jsonObject(with: listed.body) as? [[String: Any]]
                #expect(rows?.first?["id"] as? String == poisonedKey, "\(String(decoding: listed.body, as: UTF8.self))")
                let page = try await http.send(cluster.city, .GET, "/search")
                #expect(String(decoding: page.body, as: UTF8.self).contains("暂未索引的家庭"))

                // 3. Indexing goes on: a later good household is indexed at every level, and a
                // corrected version of the poisoned one leaves the list.
                try await village.registry.saveHousehold(
                    key: "\(code.digits)-000002", village: code, payload: householdJSON(village: code.digits),
                    expectedSequence: nil, audit: audit)
                try await village.registry.saveHousehold(
                    key: poisonedKey, village: code, payload: householdJSON(village: code.digits),
                    expectedSequence: 1, audit: audit)
                for (node, database) in databases {
                    let indexed = await eventually {
                        let total = try? await database.registry.searchHouseholds(RegistryQuery()).total
                        let setAside = try? await database.registry.setAsideHouseholds()
                        return total == 2 && setAside?.isEmpty == true
                    }
                    #expect(indexed, "\(node.label) indexes both households and clears the list")
                }
                #expect(try await cluster.waitUntilHealthy())
            } catch {
                await http.shutdown()
                throw error
            }
            await http.shutdown()
        }
    }
}
