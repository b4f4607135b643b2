import Foundation
import JiuzhuDomain

/// A what-if question for the calculator: a household and, optionally, the date to compute
/// for. Decoded strictly in one pass; an error names the field's path from the top
/// (`household.members[0].birthDate`).
///
/// ```swift
/// let request = try WhatIfRequest(json: Data(#"{"household": {...}, "date": "2026-07-01"}"#.utf8))
/// ```
public struct WhatIfRequest: Decodable, Sendable {
    public var household: HouseholdSituation
    /// Nil: the caller computes for today.
    public var date: CivilDate?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case household, date
    }

    public init(json: Data) throws(HouseholdInputError) {
        do {
            self = try JSONDecoder().decode(WhatIfRequest.self, from: json)
        } catch {
            throw HouseholdInputError(error)
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
        household = try container.decode(HouseholdSituation.self, forKey: .household)
        date = try container.decodeIfPresent(CivilDate.self, forKey: .date)
    }
}
