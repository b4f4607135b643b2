import Foundation
import JiuzhuDomain
import JiuzhuFederation
import JiuzhuNode
import JiuzhuStorage
import Testing

extension LiveClusters {
    /// A real browser on the running demo: headless Chromium (Debian's package), driven by
    /// `Tests/Browser/walk.py`, signs in, reaches the home page, signs out, and saves
    /// screenshots at phone and desktop widths under `.build/screenshots/`; then opens the
    /// dashboard at the city (its analyst) and at the county (its officer) at both widths: the
    /// charts and tables, one level down, the CSV export, a division outside refused.
    @Suite(.serialized) struct BrowserWalkTests {
        static let repository = RunningDemo.repository

        @Test func signInReachTheHomePageAndSignOutOnPhoneAndDesktop() async throws {
            let demo = try await RunningDemo()
            defer { demo.stop() }
            let (topology, credentials, directory) = (demo.topology, demo.credentials, demo.directory)
            func walk(_ viewport: String, _ role: OperatorRole, _ kind: String = "--walk") throws -> [String] {
                let credential = try #require(credentials.first { $0.role == role })
                let node = try #require(topology.node(credential.node))
                return [kind, viewport, "https://\(node.operator)/", credential.username, credential.password]
            }

            let screenshots = Self.repository.appending(path: ".build/screenshots")
            let python = Process()
            python.executableURL = URL(filePath: "/usr/bin/env")
            python.arguments =
                ["python3", Self.repository.appending(path: "Tests/Browser/walk.py").path, "--out", screenshots.path]
                + (try walk("phone", .villageSpecialist)) + (try walk("desktop", .cityAdministrator))
                + (try walk("phone", .cityAnalyst, "--dashboard")) + (try walk("desktop", .cityAnalyst, "--dashboard"))
                + (try walk("phone", .countyOfficer, "--dashboard"))
                + (try walk("desktop", .countyOfficer, "--dashboard"))
            let output = directory.appending("walk.log")
            python.standardOutput = output.handle
            python.standardError = output.handle
            try start(python)
            defer { RunningDemo.stop(python) }
            let finished = await eventually(timeout: .seconds(180)) { !python.isRunning }
            let transcript = (try? String(contentsOf: output.url, encoding: .utf8)) ?? ""
            #expect(finished && python.terminationStatus == 0, "walk.py:\n\(transcript)")
            #expect(transcript.contains("通过：[phone] 登录后到达首页"))
            #expect(transcript.contains("通过：[desktop] 退出后首页不再可见"))
            #expect(transcript.contains("通过：[phone] 政策计算器给出分层"))
            #expect(transcript.contains("通过：[phone] 检索到新登记的家庭"))
            #expect(transcript.contains("通过：[phone] 手机拍照上传后案件有照片"))
            #expect(transcript.contains("通过：[phone] 办理经过记录入户调查"))
            #expect(transcript.contains("通过：[phone] 本节点运行的政策版本"), "the version reached the village")
            #expect(transcript.contains("通过：[phone] 核实属实后生成死亡复查"))
            #expect(transcript.contains("通过：[phone] 说明原因后核销预警"))
            for viewport in ["phone", "desktop"] {
                for place in ["泰州市救助概况", "兴化市救助概况"] {
                    #expect(transcript.contains("通过：[\(viewport)·\(place)] 页面没有横向溢出"), "\(viewport) \(place)")
                    #expect(transcript.contains("通过：[\(viewport)·\(place)] 图的说明与表中数字一致"))
                    #expect(transcript.contains("通过：[\(viewport)·\(place)] CSV 的合计行与页面一致"))
                    #expect(transcript.contains("通过：[\(viewport)·\(place)] 辖区之外的区划被拒绝"))
                }
                #expect(transcript.contains("通过：[\(viewport)·戴南镇救助概况] 页面没有横向溢出"), "the county's township")
            }
            let dashboards = credentials.filter { [.cityAnalyst, .countyOfficer].contains($0.role) }.flatMap {
                credential in
                ["phone", "desktop"].map { "\($0)-dashboard-\(credential.username)" }
            }
            for name in [
                "phone-login", "phone-home", "phone-calculator", "phone-household", "desktop-home", "desktop-node",
                "desktop-policy",
            ] + dashboards {
                let png = try Data(contentsOf: screenshots.appending(path: "\(name).png"))
                #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]), "\(name).png is a PNG")
                #expect(png.count > 10_000, "\(name).png shows a page, not a blank")
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
