import Foundation
import JiuzhuDomain
import JiuzhuFederation
import JiuzhuNode
import JiuzhuStorage
import Testing

extension LiveClusters {
    /// A real browser on the running demo: headless Chromium (Debian's package), driven by
    /// `Tests/Browser/walk.py`, signs in, reaches the home page, signs out, and saves
    /// screenshots at phone and desktop widths under `.build/screenshots/`.
    @Suite(.serialized) struct BrowserWalkTests {
        static let repository = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()

        @Test func signInReachTheHomePageAndSignOutOnPhoneAndDesktop() async throws {
            let directory = try TemporaryDirectory()
            defer { directory.remove() }
            let topologyURL = directory.url.appending(path: "chain.yaml")
            try Data(try chainTopologyYAML().utf8).write(to: topologyURL)
            let topology = try Topology.load(from: topologyURL)

            let demo = Process()
            demo.executableURL = jiuzhuExecutable
            demo.arguments = [
                "demo", "--topology", topologyURL.path, "--data", "data", "--certs", "certs", "--policy",
                Self.repository.appending(path: "policy/taizhou.yaml").path,
            ]
            demo.currentDirectoryURL = directory.url
            var environment = ProcessInfo.processInfo.environment
            environment["JIUZHU_SUPERVISOR_PID"] = "\(getpid())"
            demo.environment = environment
            let log = directory.appending("demo.log")
            demo.standardOutput = log.handle
            demo.standardError = log.handle
            try demo.run()
            defer { stop(demo) }

            let ready = await eventually(timeout: .seconds(90)) {
                ((try? String(contentsOf: log.url, encoding: .utf8)) ?? "").contains("全部 4 个节点已就绪")
            }
            try #require(ready, "the demo should start: \((try? String(contentsOf: log.url, encoding: .utf8)) ?? "")")
            let credentials = try await DemoAccounts(
                topology: topology, dataRoot: directory.url.appending(path: "data")
            )
            .ensure()
            // The demo publishes the policy at the city; the walk uses it at a village.
            let village = try #require(topology.nodes.last)
            let villageDatabase = try NodeDatabase.open(
                in: directory.url.appending(path: "data/\(village.code)"),
                for: .init(code: village.code, name: village.name, role: village.role))
            defer { try? villageDatabase.close() }
            #expect(await eventually { (try? await villageDatabase.latestPolicy()) != nil })
            func walk(_ viewport: String, _ role: OperatorRole) throws -> [String] {
                let credential = try #require(credentials.first { $0.role == role })
                let node = try #require(topology.node(credential.node))
                return ["--walk", viewport, "https://\(node.operator)/", credential.username, credential.password]
            }

            let screenshots = Self.repository.appending(path: ".build/screenshots")
            let python = Process()
            python.executableURL = URL(filePath: "/usr/bin/env")
            python.arguments =
                ["python3", Self.repository.appending(path: "Tests/Browser/walk.py").path, "--out", screenshots.path]
                + (try walk("phone", .villageSpecialist)) + (try walk("desktop", .cityAdministrator))
            let output = directory.appending("walk.log")
            python.standardOutput = output.handle
            python.standardError = output.handle
            try python.run()
            defer { stop(python) }
            let finished = await eventually(timeout: .seconds(120)) { !python.isRunning }
            let transcript = (try? String(contentsOf: output.url, encoding: .utf8)) ?? ""
            #expect(finished && python.terminationStatus == 0, "walk.py:\n\(transcript)")
            #expect(transcript.contains("通过：[phone] 登录后到达首页"))
            #expect(transcript.contains("通过：[desktop] 退出后首页不再可见"))
            #expect(transcript.contains("通过：[phone] 政策计算器给出分层"))
            #expect(transcript.contains("通过：[phone] 检索到新登记的家庭"))
            #expect(transcript.contains("通过：[phone] 本节点运行的政策版本"), "the version reached the village")
            for name in [
                "phone-login", "phone-home", "phone-calculator", "phone-household", "desktop-home", "desktop-node",
                "desktop-policy",
            ] {
                let png = try Data(contentsOf: screenshots.appending(path: "\(name).png"))
                #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]), "\(name).png is a PNG")
                #expect(png.count > 10_000, "\(name).png shows a page, not a blank")
            }
        }

        /// Ends a process this test started, by its pid, and waits for it.
        private func stop(_ process: Process) {
            guard process.isRunning else { return }
            kill(process.processIdentifier, SIGTERM)
            let deadline = Date().addingTimeInterval(15)
            while process.isRunning && Date() < deadline { usleep(20_000) }
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
            }
        }
    }
}

extension TemporaryDirectory {
    /// A log file in the directory, open for writing.
    func appending(_ name: String) -> (url: URL, handle: FileHandle) {
        let file = url.appending(path: name)
        _ = FileManager.default.createFile(atPath: file.path, contents: nil)
        return (file, (try? FileHandle(forWritingTo: file)) ?? .nullDevice)
    }
}
