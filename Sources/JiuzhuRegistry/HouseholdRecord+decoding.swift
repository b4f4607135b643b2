import Foundation
import JiuzhuDomain
import JiuzhuPolicy

// Strict decoding: a misspelt field is refused with its path instead of being ignored, so a
// household is never stored without something the operator meant to declare.

extension HouseholdRecord {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, village, address, registration, members, incomes, assets, expenditures, supporters, enrolments,
            changedBy
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
        id = try c.decodeIfPresent(String.self, forKey: .id) ?? ""
        village = try c.decode(DivisionCode.self, forKey: .village)
        address = try c.decode(String.self, forKey: .address)
        registration = try c.decode(Registration.self, forKey: .registration)
        members = try c.decode([PersonRecord].self, forKey: .members)
        incomes = try c.decodeIfPresent([IncomeDeclaration].self, forKey: .incomes) ?? []
        assets = try c.decodeIfPresent(StoredAssets.self, forKey: .assets) ?? .init()
        expenditures = try c.decodeIfPresent([StoredExpenditure].self, forKey: .expenditures) ?? []
        supporters = try c.decodeIfPresent([SupporterRecord].self, forKey: .supporters) ?? []
        enrolments = try c.decodeIfPresent([Programme].self, forKey: .enrolments) ?? []
        changedBy = try c.decodeIfPresent(String.self, forKey: .changedBy)
    }

    /// Decodes a household from JSON; an error names the field's path. Whoever decodes many
    /// in a row passes one decoder for all of them.
    public init(json: Data, decoder: JSONDecoder = JSONDecoder()) throws(RegistryInputError) {
        do {
            self = try decoder.decode(HouseholdRecord.self, from: json)
        } catch {
            let problem = HouseholdInputError(error)
            throw RegistryInputError(field: problem.path.isEmpty ? "household" : problem.path, problem.message)
        }
    }

    /// The record as stored: JSON with sorted keys, so equal records are equal bytes.
    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}

extension PersonRecord {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case citizenID, name, sex, birthDate, relation, disability, seriousIllness, ableToWork, selfCareItemsFailed,
            childStatus, employment, schooling, leftBehind, phone
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
        citizenID = try c.decode(String.self, forKey: .citizenID)
        name = try c.decode(String.self, forKey: .name)
        sex = try c.decode(Sex.self, forKey: .sex)
        birthDate = try c.decode(CivilDate.self, forKey: .birthDate)
        relation = try c.decode(Relation.self, forKey: .relation)
        disability = try c.decodeIfPresent(StoredDisability.self, forKey: .disability)
        seriousIllness = try c.decodeIfPresent(Bool.self, forKey: .seriousIllness) ?? false
        ableToWork = try c.decodeIfPresent(Bool.self, forKey: .ableToWork) ?? true
        selfCareItemsFailed = try c.decodeIntegerIfPresent(Int.self, forKey: .selfCareItemsFailed) ?? 0
        childStatus = try c.decodeIfPresent(StoredChildStatus.self, forKey: .childStatus) ?? .none
        employment = try c.decodeIfPresent(Employment.self, forKey: .employment) ?? .none
        schooling = try c.decodeIfPresent(Schooling.self, forKey: .schooling) ?? .none
        leftBehind = try c.decodeIfPresent(Bool.self, forKey: .leftBehind) ?? false
        phone = try c.decodeIfPresent(String.self, forKey: .phone)
    }
}

extension IncomeDeclaration {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case type, monthly, irregular, declaredOn
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
        type = try c.decode(StoredIncomeType.self, forKey: .type)
        monthly = try c.decode(Fen.self, forKey: .monthly)
        irregular = try c.decodeIfPresent(Bool.self, forKey: .irregular) ?? false
        declaredOn = try c.decode(CivilDate.self, forKey: .declaredOn)
    }
}

extension SupporterRecord {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, citizenID, relation, ableToSupport
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        citizenID = try c.decodeIfPresent(String.self, forKey: .citizenID)
        relation = try c.decode(Relation.self, forKey: .relation)
        ableToSupport = try c.decode(Bool.self, forKey: .ableToSupport)
    }
}
