import Foundation
import JiuzhuDomain
import JiuzhuFederation
import JiuzhuNode
import Testing

/// Every setting is declared once, in its module's configuration, and `jiuzhu serve --help`
/// lists them all.
@Suite struct ConfigurationTests {
    static let sources = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appending(path: "Sources")

    /// Every `JIUZHU_…` name the production code mentions.
    static func namesInSources() throws -> Set<String> {
        var names: Set<String> = []
        let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)
        while let file = files?.nextObject() as? URL {
            guard file.pathExtension == "swift", !file.path.contains("/JiuzhuTools/") else { continue }
            let text = try String(contentsOf: file, encoding: .utf8)
            for match in text.matches(of: /JIUZHU_[A-Z_]+/) { names.insert(String(match.output)) }
        }
        return names
    }

    @Test func everyVariableTheCodeReadsIsDeclaredAndListedByServeHelp() throws {
        let declared = Set(NodeConfiguration.environmentKeys.map(\.name))
        #expect(declared.count == NodeConfiguration.environmentKeys.count, "no key declared twice")
        let used = try Self.namesInSources()
        #expect(used.count >= 10)
        #expect(used.subtracting(declared).isEmpty, "read but not declared: \(used.subtracting(declared))")

        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let help = try runJiuzhu(["serve", "--help"], in: directory.url)
        #expect(help.status == 0)
        for key in NodeConfiguration.environmentKeys {
            #expect(help.standardOutput.contains(key.name), "\(key.name) missing from serve --help")
            #expect(help.standardOutput.contains("默认 \(key.defaultValue)"), "\(key.name)'s default")
        }
    }

    @Test(arguments: [
        (["JIUZHU_HELLO_INTERVAL": "0.5"], "hello 500 ms"),
        (["JIUZHU_CHECKSUM_INTERVAL": "0"], "checksum 0 ms"),
        (["JIUZHU_MAX_PEER_CLOCK_LEAD": "60"], "lead 60000 ms"),
        ([:], "hello 5000 ms, checksum 30000 ms, lead 600000 ms"),
        (["JIUZHU_HELLO_INTERVAL": "0"], "JIUZHU_HELLO_INTERVAL"),
        (["JIUZHU_HELLO_INTERVAL": "nan"], "JIUZHU_HELLO_INTERVAL"),
        (["JIUZHU_CHECKSUM_INTERVAL": "1e300"], "JIUZHU_CHECKSUM_INTERVAL"),
        (["JIUZHU_CHECKSUM_INTERVAL": "-1"], "JIUZHU_CHECKSUM_INTERVAL"),
        (["JIUZHU_MAX_PEER_CLOCK_LEAD": "0"], "JIUZHU_MAX_PEER_CLOCK_LEAD"),
        (["JIUZHU_MAX_PEER_CLOCK_LEAD": "ten"], "JIUZHU_MAX_PEER_CLOCK_LEAD"),
        ([:], "retention 2592000000 ms, prune 600000 ms"),
        (["JIUZHU_LOG_RETENTION_DAYS": "0"], "retention off"),
        (
            ["JIUZHU_LOG_RETENTION_DAYS": "0.5", "JIUZHU_LOG_PRUNE_INTERVAL": "2"],
            "retention 43200000 ms, prune 2000 ms"
        ),
        (["JIUZHU_LOG_RETENTION_DAYS": "-1"], "JIUZHU_LOG_RETENTION_DAYS"),
        (["JIUZHU_LOG_RETENTION_DAYS": "nan"], "JIUZHU_LOG_RETENTION_DAYS"),
        (["JIUZHU_LOG_RETENTION_DAYS": "1e300"], "JIUZHU_LOG_RETENTION_DAYS"),
        (["JIUZHU_LOG_PRUNE_INTERVAL": "0"], "JIUZHU_LOG_PRUNE_INTERVAL"),
    ])
    func theFederationsKeysAreReadOrRefusedByName(environment: [String: String], expected: String) {
        do {
            let federation = try FederationConfiguration(environment: environment)
            func milliseconds(_ duration: Duration) -> Int64 {
                duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
            }
            let read = [
                "hello \(milliseconds(federation.helloInterval)) ms",
                "checksum \(milliseconds(federation.checksumInterval)) ms", "lead \(federation.maximumPeerLead) ms",
                federation.logRetention.map { "retention \(milliseconds($0)) ms" } ?? "retention off",
                "prune \(milliseconds(federation.pruneInterval)) ms",
            ]
            #expect(
                expected.split(separator: ", ").allSatisfy { read.contains(String($0)) }, "\(read) for \(environment)")
        } catch {
            #expect(error.description.contains(expected), "\(error)")
        }
    }
}
