import Foundation
import JiuzhuDomain
import JiuzhuFederation
import JiuzhuNode
import JiuzhuStorage
import JiuzhuTools
import Testing

extension LiveClusters {
    /// schemathesis (PyPI; `.ci/run` installs it) over a live village's API, signed in as its
    /// specialist and as its auditor, and over the city's as its administrator: every operation of the OpenAPI document, every check (bodies, statuses,
    /// content types, response schemas, 405 for undeclared methods, refusals of invalid data,
    /// acceptance of valid data), a fixed seed, a bounded number of examples. It must find
    /// nothing. `Tests/Schemathesis/run.py` signs in and runs it; `schemathesis.toml` beside
    /// it lists the few exceptions with their reasons.
    @Suite(.serialized) struct SchemathesisTests {
        static let repository = RunningDemo.repository

        @Test func schemathesisFindsNothingAtAVillageOrTheCity() async throws {
            let demo = try await RunningDemo()
            defer { demo.stop() }
            let (topology, village, credentials, directory) = (
                demo.topology, demo.village, demo.credentials, demo.directory
            )
            // Three passes, each as a role that reaches its own part of the API: the registry and
            // calculator, the audit log, accounts and policy. Each role sees the others' routes
            // refused with 403, which the document lists. A fourth, as the city's analyst, covers
            // the dashboard, which none of the three may see; it goes before the administrator's,
            // whose pass disables and resets the node's accounts.
            let passes: [(TopologyNode, OperatorRole, [String])] = [
                (village, .villageSpecialist, []), (village, .auditor, []),
                (topology.root, .cityAnalyst, ["get/api/v1/dashboard"]), (topology.root, .cityAdministrator, []),
            ]
            let report = Self.repository.appending(path: ".build/schemathesis")
            try? FileManager.default.createDirectory(at: report, withIntermediateDirectories: true)
            for (node, role, operations) in passes {
                let credential = try #require(credentials.first { $0.role == role && $0.node == node.code })
                try await run(
                    as: credential, at: node, ca: demo.caCertificate, operations: operations,
                    log: directory.appending("schemathesis-\(role.rawValue).log"),
                    report: report.appending(path: role.rawValue))
            }
        }

        /// One schemathesis pass; its whole output lands beside its JUnit report for whoever
        /// reads a failure.
        private func run(
            as credential: DemoAccounts.Credential, at node: TopologyNode, ca: URL, operations: [String],
            log output: (url: URL, handle: FileHandle), report: URL
        ) async throws {
            let python = Process()
            python.executableURL = URL(filePath: "/usr/bin/env")
            python.arguments =
                [
                    "python3", Self.repository.appending(path: "Tests/Schemathesis/run.py").path,
                    "--base", "https://\(node.operator)", "--ca", ca.path, "--username", credential.username,
                    "--password", credential.password, "--max-examples", "10", "--report", report.path,
                ] + operations.flatMap { ["--operation", $0] }
            python.standardOutput = output.handle
            python.standardError = output.handle
            try start(python)
            defer { RunningDemo.stop(python) }
            let finished = await eventually(timeout: .seconds(180)) { !python.isRunning }
            let transcript = (try? String(contentsOf: output.url, encoding: .utf8)) ?? ""
            try? FileManager.default.createDirectory(at: report, withIntermediateDirectories: true)
            try? Data(transcript.utf8).write(to: report.appending(path: "output.txt"))
            let role = credential.role.rawValue
            // `==== 3538 generated … ====` ends the run: `N passed`, `N failures`, `N warnings in 62.1s`.
            let summary = transcript.split(separator: "\n").last { $0.hasPrefix("=") && $0.contains("s ==") }
            print("schemathesis (\(role) at \(node.code)): \(summary.map(String.init) ?? "(no summary line)")")
            try #require(finished, "schemathesis as \(role) should finish within three minutes:\n\(transcript)")
            #expect(python.terminationStatus == 0, "schemathesis as \(role) found something:\n\(transcript)")
            #expect(summary != nil, "schemathesis printed its summary:\n\(transcript)")
            #expect(summary?.contains("failure") == false, "no failure: \(summary ?? "")")
            #expect(summary?.contains("error") == false, "no error: \(summary ?? "")")
            #expect(!transcript.contains("=== FAILURES ==="), "no FAILURES section")
            // `Selected: 24/25` (signing out is left out: it would end the session) and `Tested: 24`.
            func figure(_ label: String) -> Substring? {
                transcript.split(separator: "\n").first { $0.contains(label) }?.split(separator: " ").last?
                    .split(separator: "/").first
            }
            #expect(
                figure("Tested:") != nil && figure("Tested:") == figure("Selected:"), "every selected operation ran")
        }
    }
}
