import JiuzhuDomain
import JiuzhuPolicy
import JiuzhuRegistry

/// A household as an operator's role may see it: the API's `household` field.
///
/// Roles that see citizen IDs in full (`viewFullCitizenID`) get the record as stored. Every
/// other role gets the IDs masked (`321202********123X`) and, for each member, an `age` in
/// completed years instead of the `birthDate`: the mask hides exactly the eight digits of the
/// birth date, so the date shown beside it would give the whole number back.
///
/// ```swift
/// ShownHousehold(record, showsBirthDates: false, today: today)  // members carry "age", no "birthDate"
/// ```
struct ShownHousehold: Encodable, Sendable {
    /// The record, its IDs already masked for the role. Its birth dates stay for the calculator
    /// and the profile; they are encoded only when `showsBirthDates`.
    let record: HouseholdRecord
    let showsBirthDates: Bool
    /// The day ages are counted to.
    let today: CivilDate

    init(_ record: HouseholdRecord, showsBirthDates: Bool, today: CivilDate) {
        self.record = record
        self.showsBirthDates = showsBirthDates
        self.today = today
    }

    /// How a member's birth is shown: the date, or the age today.
    func birth(of member: PersonRecord) -> String {
        showsBirthDates ? member.birthDate.description : "\(member.birthDate.age(on: today)) 岁"
    }

    private enum Keys: String, CodingKey {
        case id, village, address, registration, members, incomes, assets, expenditures, supporters, enrolments,
            changedBy
    }

    func encode(to encoder: any Encoder) throws {
        guard !showsBirthDates else { return try record.encode(to: encoder) }
        // Field by field rather than the record's own encoding with one key removed: a field
        // added to the record later stays out of this view until someone decides to show it.
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(record.id, forKey: .id)
        try container.encode(record.village, forKey: .village)
        try container.encode(record.address, forKey: .address)
        try container.encode(record.registration, forKey: .registration)
        try container.encode(record.members.map { AgedMember($0, today: today) }, forKey: .members)
        try container.encode(record.incomes, forKey: .incomes)
        try container.encode(record.assets, forKey: .assets)
        try container.encode(record.expenditures, forKey: .expenditures)
        try container.encode(record.supporters, forKey: .supporters)
        try container.encode(record.enrolments, forKey: .enrolments)
        try container.encodeIfPresent(record.changedBy, forKey: .changedBy)
    }

    /// A member with an age where the record has a birth date.
    private struct AgedMember: Encodable {
        let member: PersonRecord
        let age: Int

        init(_ member: PersonRecord, today: CivilDate) {
            self.member = member
            age = member.birthDate.age(on: today)
        }

        private enum Keys: String, CodingKey {
            case citizenID, name, sex, age, relation, disability, seriousIllness, ableToWork, selfCareItemsFailed,
                childStatus, employment, schooling, leftBehind, phone
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(member.citizenID, forKey: .citizenID)
            try container.encode(member.name, forKey: .name)
            try container.encode(member.sex, forKey: .sex)
            try container.encode(age, forKey: .age)
            try container.encode(member.relation, forKey: .relation)
            try container.encodeIfPresent(member.disability, forKey: .disability)
            try container.encode(member.seriousIllness, forKey: .seriousIllness)
            try container.encode(member.ableToWork, forKey: .ableToWork)
            try container.encode(member.selfCareItemsFailed, forKey: .selfCareItemsFailed)
            try container.encode(member.childStatus, forKey: .childStatus)
            try container.encode(member.employment, forKey: .employment)
            try container.encode(member.schooling, forKey: .schooling)
            try container.encode(member.leftBehind, forKey: .leftBehind)
            try container.encodeIfPresent(member.phone, forKey: .phone)
        }
    }
}
