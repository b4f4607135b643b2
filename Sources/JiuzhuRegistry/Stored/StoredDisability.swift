import JiuzhuDomain
import JiuzhuPolicy

/// A member's disability certificate (残疾人证) as the registry stores it:
/// `{"category":…,"grade":…}`, grade 1 most severe … 4.
///
/// The registry's own type, not the calculator's `HouseholdSituation.Disability`, so that
/// the stored payload (version 1, ``HouseholdRecord/storedFormatVersion``) stays as it is when
/// the calculator's request format changes. The category is the shared code
/// ``DisabilityCategory``: it is what the certificate says, not a line the policy draws.
public struct StoredDisability: Codable, Hashable, Sendable {
    /// 残疾类别.
    public var category: DisabilityCategory
    /// 残疾等级, 1 to 4.
    public var grade: Int

    /// Creates a disability record.
    public init(category: DisabilityCategory, grade: Int) {
        self.category = category
        self.grade = grade
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case category, grade }

    /// Decodes strictly, refusing a grade outside 1–4.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
        category = try c.decode(DisabilityCategory.self, forKey: .category)
        grade = try c.decodeInteger(Int.self, forKey: .grade)
        try c.require((1...4).contains(grade), forKey: .grade, "残疾等级应为 1 到 4")
    }
}
