import AsyncHTTPClient
import Foundation
import JiuzhuDomain
import JiuzhuFederation
import JiuzhuStorage
import JiuzhuTools
import Testing

extension LiveClusters {
    /// The warning platform on real node processes over mutual TLS: a death record imported at
    /// the city with the command line produces a warning that reaches the village, is
    /// confirmed there, opens the death re-check, which ends in the household's exit, and the
    /// city sees the answer and the exit.
    @Suite(.serialized) struct WarningsLiveTests {
        typealias Desk = CaseworkLiveTests.Desk

        static func text(_ data: Data) -> String { String(decoding: data, as: UTF8.self) }

        @Test func aDeathImportedAtTheCityIsConfirmedAtTheVillageAndTheExitShowsAtTheCity() async throws {
            let started = ContinuousClock.now
            let cluster = try await ChainCluster.running(delegates: ["dibao"])
            defer { cluster.stop() }
            let accounts = try await cluster.operatorsAndPolicy()
            try await cluster.calendars()
            let desk = Desk(cluster, accounts)
            do {
                let specialist = try await desk.signIn(.villageSpecialist, at: cluster.village)
                // A widower and his mother, enrolled in dibao by the register: she dies.
                let son = citizenID(born: "19700301", sequence: "011")
                let mother = citizenID(born: "19450505", sequence: "022")
                let registered = try await specialist.send(
                    cluster.village, .POST, "/api/v1/households",
                    json: #"""
                        {"village":"\#(cluster.village.code.digits)","address":"董北村 9 号","registration":"rural",
                         "members":[{"citizenID":"\#(son)","name":"王建国","sex":"male","birthDate":"1970-03-01",
                           "relation":"applicant","ableToWork":true},
                          {"citizenID":"\#(mother)","name":"李秀英","sex":"female","birthDate":"1945-05-05",
                           "relation":"parent","ableToWork":false}],
                         "incomes":[{"type":"wages","monthly":30000,"declaredOn":"2026-11-01"}],"enrolments":["dibao"]}
                        """#)
                #expect(registered.status == 201, "\(Self.text(registered.body))")

                // 公安 reports her death; the city imports the file with the command line.
                let file = cluster.directory.url.appending(path: "deaths.csv")
                try Data("记录编号,公民身份号码,姓名,死亡日期\nGA-SW-0001,\(mother),李秀英,2026-11-20\n".utf8).write(to: file)
                let imported = try runJiuzhu(
                    [
                        "feeds", "import", "--feed", "deaths", "--file", file.path, "--topology",
                        cluster.topologyURL.path, "--node", cluster.city.code.digits, "--data",
                        cluster.dataDirectory(cluster.city).path,
                    ], in: cluster.directory.url)
                #expect(imported.status == 0, "\(imported.standardOutput)\(imported.standardError)")
                #expect(imported.standardOutput.contains("死亡信息 1 条"))

                // The warning reaches the village (when the household reaches the city, if it had not yet).
                var warning: [String: Any] = [:]
                let arrived = await eventually(timeout: .seconds(60)) {
                    let list = try? await specialist.send(cluster.village, .GET, "/api/v1/warnings?status=open")
                    let items = list.flatMap { try? JSONSerialization.jsonObject(with: $0.body) as? [[String: Any]] }
                    guard let first = items?.first else { return false }
                    warning = first
                    return true
                }
                try #require(arrived, "the warning never reached the village")
                #expect(warning["rule"] as? String == "death")
                let key = try #require(warning["key"] as? String)
                let detail = try #require(try await specialist.json(cluster.village, "/api/v1/warnings/\(key)"))
                let evidence = try #require((detail["warning"] as? [String: Any])?["evidence"] as? [String: Any])
                #expect((evidence["records"] as? [Any])?.count == 1, "the department record travels with it")

                // Confirmed at the village: the death re-check opens.
                let confirmed = try await specialist.send(
                    cluster.village, .POST, "/api/v1/warnings/\(key)/verification", json: #"{"outcome":"confirmed"}"#)
                #expect(confirmed.status == 200, "\(Self.text(confirmed.body))")
                let answer = try #require(try JSONSerialization.jsonObject(with: confirmed.body) as? [String: Any])
                let caseID = try #require((answer["caseIDs"] as? [String])?.first)
                #expect((answer["message"] as? String)?.contains("暂停发放") == true)

                // The re-check goes through every level to the household's exit.
                let officer = try await desk.signIn(.countyOfficer, at: cluster.county)
                var approver = try await desk.signIn(.townshipApprover, at: cluster.township)
                let photo = Data([0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 0x00, 0xFF, 0xD9])
                let uploaded = try await specialist.send(
                    cluster.village, .POST, "/api/v1/cases/\(caseID)/photos",
                    json: #"{"photos":["\#(photo.base64EncodedString())"]}"#)
                #expect(uploaded.status == 201, "\(Self.text(uploaded.body))")
                var movedOn = false
                for _ in 0..<20 {
                    let file = try #require(try await specialist.json(cluster.village, "/api/v1/cases/\(caseID)"))
                    let stage = file["stage"] as? String ?? ""
                    let after = file["lastStep"] as? Int ?? 0
                    let steps: [String: (OperatorHTTP, TopologyNode, String)] = [
                        "investigating": (
                            specialist, cluster.village,
                            #""kind":"recordInvestigation","investigation":{"investigators":["李四","张三"],"commitmentSigned":true,"authorisationSigned":true,"findings":"母亲已去世，一人生活"}"#
                        ),
                        "awaitingAppraisal": (specialist, cluster.village, #""kind":"recordAppraisal""#),
                        "awaitingCheck": (officer, cluster.county, #""kind":"startCheck""#),
                        "checking": (officer, cluster.county, #""kind":"recordCheck","note":"无异常""#),
                        "awaitingReview": (approver, cluster.township, #""kind":"recordReview""#),
                        "awaitingNotice": (specialist, cluster.village, #""kind":"postNotice""#),
                        "inNotice": (specialist, cluster.village, #""kind":"closeNotice""#),
                        "awaitingDecision": (
                            approver, cluster.township, #""kind":"decide","outcome":"terminate","reason":"唯一的保障对象已去世""#
                        ),
                        "refusalDue": (approver, cluster.township, #""kind":"serveRefusal""#),
                    ]
                    if stage == "decided" || stage == "refused" { break }
                    if stage == "inNotice" && !movedOn {
                        // Ten days on (every node's clock moved alike), the notice is over.
                        cluster.processes.stopAll()
                        let later = ["JIUZHU_CLOCK_OFFSET_MS": String(10 * 86_400_000)]
                        for node in cluster.topology.nodes { try cluster.start(node, environment: later) }
                        #expect(try await cluster.waitUntilHealthy())
                        _ = try await desk.signIn(.villageSpecialist, at: cluster.village)
                        _ = try await desk.signIn(.countyOfficer, at: cluster.county)
                        approver = try await desk.signIn(.townshipApprover, at: cluster.township)
                        movedOn = true
                        continue
                    }
                    let (http, node, body) = try #require(steps[stage], "no step for \(stage)")
                    // The holder's node sees the case where the village does before acting.
                    let seen = await eventually {
                        let there = try? await http.json(node, "/api/v1/cases/\(caseID)")
                        return there?["stage"] as? String == stage && there?["lastStep"] as? Int == after
                    }
                    try #require(seen, "\(node.label) never saw \(caseID) at \(stage)")
                    let taken = try await http.send(
                        node, .POST, "/api/v1/cases/\(caseID)/steps", json: #"{"after":\#(after),\#(body)}"#)
                    try #require(taken.status == 200, "\(stage): \(Self.text(taken.body))")
                    _ = await eventually {
                        let here = try? await specialist.json(cluster.village, "/api/v1/cases/\(caseID)")
                        return (here?["lastStep"] as? Int ?? 0) > after
                    }
                }

                // The city sees the village's answer and the exit.
                let analyst = try await desk.signIn(.cityAnalyst, at: cluster.city)
                #expect(
                    await eventually {
                        let atCity = try? await analyst.json(cluster.city, "/api/v1/warnings/\(key)")
                        return atCity?["status"] as? String == "confirmed"
                    })
                #expect(
                    await eventually {
                        let atCity = try? await analyst.json(cluster.city, "/api/v1/cases/\(caseID)")
                        let timeline = atCity?["timeline"] as? [[String: Any]] ?? []
                        return timeline.contains {
                            $0["kind"] as? String == "decide" && $0["effective"] as? Bool == true
                                && $0["outcome"] as? String == DecisionOutcome.terminate.chineseName
                        }
                    }, "the exit shows at the city")
                // The rules at the city: the death rule's month shows one confirmed; a dry run writes nothing.
                let rules = try await analyst.send(cluster.city, .GET, "/api/v1/warning-rules")
                let listed = try #require(try JSONSerialization.jsonObject(with: rules.body) as? [[String: Any]])
                let deathRule = try #require(listed.first { $0["rule"] as? String == "death" })
                let outcomes = deathRule["outcomes"] as? [[String: Any]] ?? []
                #expect(outcomes.first?["confirmed"] as? Int == 1, "\(Self.text(rules.body))")
                let dryRun = try await analyst.send(cluster.city, .POST, "/api/v1/warning-rules/death/dry-run")
                #expect(dryRun.status == 200, "\(Self.text(dryRun.body))")
                let run = try #require(try JSONSerialization.jsonObject(with: dryRun.body) as? [String: Any])
                #expect(run["new"] as? Int == 0, "the death is warned about already: \(Self.text(dryRun.body))")
                print("warning to exit on 4 live nodes: \(ContinuousClock.now - started)")
            } catch {
                await desk.shutdown()
                throw error
            }
            await desk.shutdown()
        }
    }
}
