import AsyncHTTPClient
import Foundation
import JiuzhuDomain
import JiuzhuFederation
import JiuzhuNode
import JiuzhuStorage
import JiuzhuTools
import Testing

@testable import JiuzhuWeb

extension LiveClusters {
    /// One application through every level of real node processes over mutual TLS: taken at
    /// the wrong township, routed to the village, accepted, investigated with a photo,
    /// appraised, checked by the county, reviewed, objected to during notice and sent back,
    /// noticed again, decided at the township the topology delegates, and shown at the
    /// village and, with its whole history, at the city; the township is killed mid-case.
    @Suite(.serialized) struct CaseworkLiveTests {
        /// Operators of one role each, one HTTPS client per role (a client holds one session per node).
        final class Desk: @unchecked Sendable {
            let cluster: ChainCluster
            let accounts: [DemoAccounts.Credential]
            var clients: [OperatorRole: OperatorHTTP] = [:]

            init(_ cluster: ChainCluster, _ accounts: [DemoAccounts.Credential]) {
                self.cluster = cluster
                self.accounts = accounts
            }

            func signIn(_ role: OperatorRole, at node: TopologyNode) async throws -> OperatorHTTP {
                let http = try clients[role] ?? OperatorHTTP(certificates: cluster.certificates.url)
                clients[role] = http
                let credential = try #require(accounts.first { $0.role == role && $0.node == node.code })
                try await http.signIn(node, credential.username, credential.password)
                return http
            }

            func shutdown() async {
                for client in clients.values { await client.shutdown() }
            }
        }

        static func text(_ data: Data) -> String { String(decoding: data, as: UTF8.self) }

        @Test func anApplicationAtTheWrongTownshipGoesThroughEveryLevel() async throws {
            let started = ContinuousClock.now
            let cluster = try await ChainCluster.running(withSibling: true, delegates: ["dibao"])
            defer { cluster.stop() }
            let accounts = try await cluster.operatorsAndPolicy()
            try await cluster.calendars()
            let desk = Desk(cluster, accounts)
            do {
                let specialist = try await desk.signIn(.villageSpecialist, at: cluster.village)
                // One person of working age earning 300 yuan a month: under the dibao standard.
                let applicantID = citizenID(born: "19800301", sequence: "011")
                let registered = try await specialist.send(
                    cluster.village, .POST, "/api/v1/households",
                    json: #"""
                        {"village":"\#(cluster.village.code.digits)","address":"董北村 8 号","registration":"rural",
                         "members":[{"citizenID":"\#(applicantID)","name":"王建国","sex":"male","birthDate":"1980-03-01",
                           "relation":"applicant","ableToWork":true}],
                         "incomes":[{"type":"wages","monthly":30000,"declaredOn":"2026-11-01"}],"enrolments":[]}
                        """#)
                #expect(registered.status == 201, "\(Self.text(registered.body))")

                // Taken at the wrong township (昭阳街道), for a household it does not hold.
                let wrongClerk = try await desk.signIn(.townshipClerk, at: cluster.sibling)
                let declared =
                    #"{"registration":"rural","members":[{"birthDate":"1980-03-01","sex":"male","relation":"applicant","ableToWork":true}],"incomes":[{"type":"wages","monthly":30000}]}"#
                let applied = try await wrongClerk.send(
                    cluster.sibling, .POST, "/api/v1/cases",
                    json:
                        #"{"applicant":{"name":"王建国","citizenID":"\#(applicantID)"},"situation":"独居，患病，收入很少","village":"\#(cluster.village.code.digits)","declared":\#(declared)}"#
                )
                #expect(applied.status == 201, "\(Self.text(applied.body))")
                let opened = try #require(try JSONSerialization.jsonObject(with: applied.body) as? [String: Any])
                let caseID = try #require(opened["caseID"] as? String)
                #expect(opened["routed"] as? Bool == true)
                #expect((opened["message"] as? String)?.contains(cluster.village.name) == true)

                func stage(at node: TopologyNode, _ http: OperatorHTTP) async -> String? {
                    (try? await http.json(node, "/api/v1/cases/\(caseID)"))?["stage"] as? String
                }
                func lastStep(at node: TopologyNode, _ http: OperatorHTTP) async -> Int {
                    ((try? await http.json(node, "/api/v1/cases/\(caseID)"))?["lastStep"] as? Int) ?? -1
                }
                /// Waits until `node` sees the case at `expected`, then takes `step` there.
                func take(
                    _ http: OperatorHTTP, at node: TopologyNode, when expected: String, _ body: String
                ) async throws {
                    let seen = await eventually { await stage(at: node, http) == expected }
                    try #require(seen, "\(node.label) never saw \(caseID) at \(expected)")
                    let after = await lastStep(at: node, http)
                    let answer = try await http.send(
                        node, .POST, "/api/v1/cases/\(caseID)/steps", json: #"{"after":\#(after),\#(body)}"#)
                    try #require(answer.status == 200, "\(node.label) \(body): \(Self.text(answer.body))")
                }

                // The application reaches the village through the county.
                #expect(await eventually { await stage(at: cluster.village, specialist) == "awaitingAcceptance" })
                let clerk = try await desk.signIn(.townshipClerk, at: cluster.township)
                try await take(
                    clerk, at: cluster.township, when: "awaitingAcceptance", #""kind":"accept","programme":"dibao""#)

                let jpeg = Data([0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 0x00, 0xFF, 0xD9])
                #expect(await eventually { await stage(at: cluster.village, specialist) == "investigating" })
                let photo = try await specialist.send(
                    cluster.village, .POST, "/api/v1/cases/\(caseID)/photos",
                    json: #"{"photos":["\#(jpeg.base64EncodedString())"]}"#)
                #expect(photo.status == 201, "\(Self.text(photo.body))")
                let investigation =
                    #""kind":"recordInvestigation","investigation":{"investigators":["李四","张三"],"commitmentSigned":true,"authorisationSigned":true,"findings":"与申报一致"}"#
                let officer = try await desk.signIn(.countyOfficer, at: cluster.county)
                let approver = try await desk.signIn(.townshipApprover, at: cluster.township)
                func throughReview() async throws {
                    try await take(specialist, at: cluster.village, when: "investigating", investigation)
                    try await take(
                        specialist, at: cluster.village, when: "awaitingAppraisal", #""kind":"recordAppraisal""#)
                    try await take(officer, at: cluster.county, when: "awaitingCheck", #""kind":"startCheck""#)
                    try await take(officer, at: cluster.county, when: "checking", #""kind":"recordCheck","note":"无异常""#)
                    try await take(approver, at: cluster.township, when: "awaitingReview", #""kind":"recordReview""#)
                    try await take(specialist, at: cluster.village, when: "awaitingNotice", #""kind":"postNotice""#)
                }
                try await throughReview()
                // An objection during notice sends the case back to the home investigation.
                try await take(
                    specialist, at: cluster.village, when: "inNotice", #""kind":"lodgeObjection","reason":"村民反映有经营收入""#)

                // The township dies mid-case, unannounced, and comes back: no step is lost.
                cluster.kill(cluster.township)
                try cluster.start(cluster.township)
                #expect(try await cluster.waitUntilHealthy([cluster.township]))
                _ = try await desk.signIn(.townshipClerk, at: cluster.township)
                _ = try await desk.signIn(.townshipApprover, at: cluster.township)
                try await throughReview()

                // Ten days on (every node's clock moved alike), the notice period is over even when it ends on a day off.
                cluster.processes.stopAll()
                let later = ["JIUZHU_CLOCK_OFFSET_MS": String(10 * 86_400_000)]
                for node in cluster.topology.nodes { try cluster.start(node, environment: later) }
                #expect(try await cluster.waitUntilHealthy())
                for (role, node) in [
                    (OperatorRole.villageSpecialist, cluster.village), (.townshipApprover, cluster.township),
                    (.countyOfficer, cluster.county), (.cityAnalyst, cluster.city),
                ] {
                    _ = try await desk.signIn(role, at: node)
                }
                try await take(specialist, at: cluster.village, when: "inNotice", #""kind":"closeNotice""#)
                // The county may not decide what the topology delegates to the township.
                #expect(await eventually { await stage(at: cluster.county, officer) == "awaitingDecision" })
                let countyDecides = try await officer.send(
                    cluster.county, .POST, "/api/v1/cases/\(caseID)/steps",
                    json:
                        #"{"after":\#(await lastStep(at: cluster.county, officer)),"kind":"decide","outcome":"enrol"}"#)
                #expect(countyDecides.status == 403, "\(Self.text(countyDecides.body))")
                try await take(
                    approver, at: cluster.township, when: "awaitingDecision", #""kind":"decide","outcome":"enrol""#)

                // The decision and enrolment show at the village; the city holds the whole history.
                #expect(await eventually { await stage(at: cluster.village, specialist) == "decided" })
                let analyst = try #require(desk.clients[.cityAnalyst])
                #expect(await eventually { await stage(at: cluster.city, analyst) == "decided" })
                let atCity = try #require(try await analyst.json(cluster.city, "/api/v1/cases/\(caseID)"))
                let timeline = try #require(atCity["timeline"] as? [[String: Any]])
                let effective = timeline.filter { $0["effective"] as? Bool == true }
                // accept, 6 steps to the notice, the objection, the same 6 again, close, decide.
                #expect(effective.count == 16, "\(timeline.map { $0["kind"] ?? "" })")
                let decision = try #require(effective.last)
                #expect(decision["node"] as? String == cluster.township.code.digits)
                let enrolment = try #require(decision["enrolment"] as? [String: Any])
                #expect(enrolment["programme"] as? String == "dibao")
                #expect((enrolment["amount"] as? Int ?? 0) > 0)
                #expect((atCity["photos"] as? [[String: Any]])?.first?["complete"] as? Bool == true)
                print("casework end to end on 5 live nodes: \(ContinuousClock.now - started)")
            } catch {
                await desk.shutdown()
                throw error
            }
            await desk.shutdown()
        }
    }
}
