// Codes that the registry stores and the calculator reads alike. Each is a fact written on a
// document from outside social assistance — the 户口簿, the ID card, the 残疾人证 — with its code
// list fixed by national standards, not by the policy: neither side draws these lines, so both
// share one list. They change only when the documents do, and then the stored format and the
// calculator's request format change together, deliberately.
//
// Codes the policy itself draws (which income counts, which spending is rigid, which child
// qualifies for a children's allowance) are not here: the calculator has its lists and the
// registry its own, with the same codes today and a mapping between them
// (`HouseholdRecord+calculator.swift`), so a change to the calculator's request format does
// not change the payloads every node stores.

/// Household registration (户籍) type, as the 户口簿 states it; urban and rural standards are
/// unified in Taizhou.
///
/// Shared by the registry and the calculator: it is the hukou register's own classification.
public enum Registration: String, CaseIterable, Sendable, Codable, Hashable {
    /// 城镇.
    case urban
    /// 农村.
    case rural

    /// Decodes the code, refusing an unknown one with the list of codes.
    public init(from decoder: any Decoder) throws { self = try decoder.decodeCode(Self.self) }
}

/// A member's sex as registered.
///
/// Shared by the registry and the calculator: it is the sex on the ID card (GB/T 2261.1), which
/// the citizen ID's 17th digit encodes (``CitizenSex``).
public enum Sex: String, CaseIterable, Sendable, Codable, Hashable {
    /// 男.
    case male
    /// 女.
    case female

    /// Decodes the code, refusing an unknown one with the list of codes.
    public init(from decoder: any Decoder) throws { self = try decoder.decodeCode(Self.self) }
}

/// A member's relation to the applicant (申请人).
///
/// Shared by the registry and the calculator: it is the kinship the 户口簿 records (与户主关系,
/// which GB/T 4761 lists in finer detail), not a category the policy draws.
public enum Relation: String, CaseIterable, Sendable, Codable, Hashable {
    /// 申请人本人.
    case applicant
    /// 配偶.
    case spouse
    /// 子女.
    case child
    /// 父母.
    case parent
    /// 孙子女、外孙子女.
    case grandchild
    /// 祖父母、外祖父母.
    case grandparent
    /// 兄弟姐妹.
    case sibling
    /// 其他共同生活的家庭成员.
    case other

    /// Decodes the code, refusing an unknown one with the list of codes.
    public init(from decoder: any Decoder) throws { self = try decoder.decodeCode(Self.self) }
}

/// The category of a disability certificate (残疾人证).
///
/// Shared by the registry and the calculator: it is the category printed on the certificate
/// (GB/T 26341), which the disability federation assigns, not the policy.
public enum DisabilityCategory: String, CaseIterable, Sendable, Codable, Hashable {
    /// 视力残疾.
    case visual
    /// 听力残疾.
    case hearing
    /// 言语残疾.
    case speech
    /// 肢体残疾.
    case physical
    /// 智力残疾.
    case intellectual
    /// 精神残疾.
    case mental
    /// 多重残疾.
    case multiple

    /// Decodes the code, refusing an unknown one with the list of codes.
    public init(from decoder: any Decoder) throws { self = try decoder.decodeCode(Self.self) }
}
