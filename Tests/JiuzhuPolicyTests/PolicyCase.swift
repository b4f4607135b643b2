import Foundation
import JiuzhuDomain
import JiuzhuPolicy
import Testing
import Yams

/// One policy test case from `Cases/*.yaml`: a situation, a date and the expected outputs.
struct PolicyCase: Decodable, Sendable, CustomTestStringConvertible {
    var name: String
    var file: String = ""
    var policy: String
    var date: CivilDate
    var household: HouseholdSituation
    var expect: Expectation

    struct Expectation: Decodable, Sendable {
        /// Exactly the programmes eligible.
        var eligible: [Programme]?
        /// Exactly the programmes refused because another in their exclusive group won.
        var excluded: [Programme]?
        /// Amounts in fen; every programme with a non-zero amount must be listed.
        var amounts: [String: Int64]?
        /// "1", "2", "3" or "none".
        var tier: String?
        /// The date is before the policy is in force.
        var notInForce: Bool?
        /// Fragments the explanation's text must contain.
        var explanationContains: [String]?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case eligible, excluded, amounts, tier, notInForce, explanationContains
        }

        init(from decoder: any Decoder) throws {
            try refuseUnknownKeys(decoder, CodingKeys.self)
            let container = try decoder.container(keyedBy: CodingKeys.self)
            eligible = try container.decodeIfPresent([Programme].self, forKey: .eligible)
            excluded = try container.decodeIfPresent([Programme].self, forKey: .excluded)
            amounts = try container.decodeIfPresent([String: Int64].self, forKey: .amounts)
            tier = try container.decodeIfPresent(String.self, forKey: .tier)
            notInForce = try container.decodeIfPresent(Bool.self, forKey: .notInForce)
            explanationContains = try container.decodeIfPresent([String].self, forKey: .explanationContains)
        }
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case name, policy, date, household, expect }

    init(from decoder: any Decoder) throws {
        try refuseUnknownKeys(decoder, CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        policy = try container.decodeIfPresent(String.self, forKey: .policy) ?? "taizhou"
        date = try container.decode(CivilDate.self, forKey: .date)
        household = try container.decode(HouseholdSituation.self, forKey: .household)
        expect = try container.decode(Expectation.self, forKey: .expect)
    }

    var testDescription: String { "\(file): \(name)" }

    /// Every case in every file, or the error that stopped loading.
    static func loadAll() -> Result<[PolicyCase], CaseLoadError> {
        let manager = FileManager.default
        let directory = TestSupport.casesDirectory
        guard let names = try? manager.contentsOfDirectory(atPath: directory.path) else {
            return .failure(CaseLoadError(message: "no Cases directory at \(directory.path)"))
        }
        var cases: [PolicyCase] = []
        for name in names.sorted() where name.hasSuffix(".yaml") {
            do {
                let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
                var loaded = try YAMLDecoder().decode([PolicyCase].self, from: text)
                for index in loaded.indices { loaded[index].file = name }
                cases += loaded
            } catch {
                return .failure(CaseLoadError(message: "\(name): \(error)"))
            }
        }
        return .success(cases)
    }

    static let all = loadAll()
}

struct CaseLoadError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// A key the case format does not define (a misspelt "expect" would otherwise check nothing).
struct UnknownCaseKey: Error, CustomStringConvertible {
    var key: String
    var description: String { "unknown key \(key) in a case" }
}

struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

func refuseUnknownKeys<K: CodingKey & CaseIterable>(_ decoder: any Decoder, _ keys: K.Type) throws {
    let container = try decoder.container(keyedBy: AnyKey.self)
    for key in container.allKeys where K(stringValue: key.stringValue) == nil {
        throw UnknownCaseKey(key: key.stringValue)
    }
}
