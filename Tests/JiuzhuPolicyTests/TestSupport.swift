import Foundation
import JiuzhuDomain
import JiuzhuPolicy

/// Paths and loaded policies shared by the suites; files are found from this source file, so
/// no bundle resources are needed.
enum TestSupport {
    static let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let packageDirectory = testsDirectory.deletingLastPathComponent().deletingLastPathComponent()
    static let casesDirectory = testsDirectory.appendingPathComponent("Cases")

    static func policyURL(_ name: String) -> URL {
        packageDirectory.appendingPathComponent("policy").appendingPathComponent("\(name).yaml")
    }

    static func policyText(_ name: String) throws -> String {
        try String(contentsOf: policyURL(name), encoding: .utf8)
    }

    /// Calculators by policy name, loaded once.
    static let calculators: [String: PolicyCalculator] = {
        var result: [String: PolicyCalculator] = [:]
        for name in ["taizhou", "national"] {
            if let document = try? PolicyDocument.load(contentsOf: policyURL(name)) {
                result[name] = PolicyCalculator(document: document)
            }
        }
        return result
    }()

    static func date(_ text: String) -> CivilDate {
        // Test literals only; a typo fails the test that uses it through the sentinel date.
        (try? CivilDate(text)) ?? .earliest
    }
}
