import JiuzhuDomain
import JiuzhuPolicy

extension HouseholdRecord {
    /// Checks the record as a whole and normalises citizen IDs, on the civil date `today`.
    ///
    /// Refuses, naming the field: a village code that is not a village; an empty address;
    /// no members, or not exactly one applicant; an invalid citizen ID (GB 11643), or a sex
    /// or birth date that disagrees with it; a birth date in the future; the same person
    /// twice; a name or phone number that cannot be right; a name or address with control or
    /// format characters or starting with a combining mark (``DisplayText``); a disability
    /// grade outside 1–4; an amount or count outside ``InputBounds``; a declaration dated in
    /// the future.
    public func validated(today: CivilDate) throws(RegistryInputError) -> HouseholdRecord {
        var record = self
        guard village.level == .village else {
            throw RegistryInputError(field: "village", "\(village.digits) 不是村（居）级行政区划代码")
        }
        record.address = try Self.displayText(address, field: "address", what: "地址", InputBounds.addressCharacters)
        guard !members.isEmpty else { throw RegistryInputError(field: "members", "至少有一名家庭成员") }
        if let (path, problem) = situation.boundsProblem() {
            throw RegistryInputError(field: BoundsPathKey.text(path), problem)
        }
        if let problem = InputBounds.listProblem(enrolments.count) {
            throw RegistryInputError(field: "enrolments", problem)
        }
        guard members.filter({ $0.relation == .applicant }).count == 1 else {
            throw RegistryInputError(field: "members", "须有且只有一名申请人（户主），relation 为 applicant")
        }
        var seen: [String: Int] = [:]
        for (index, member) in members.enumerated() {
            let field = "members[\(index)]"
            let person = try member.validated(field: field, today: today)
            if let first = seen[person.citizenID] {
                throw RegistryInputError(
                    field: "\(field).citizenID", "与 members[\(first)] 是同一人（\(CitizenIDMask.masked(person.citizenID))）")
            }
            seen[person.citizenID] = index
            record.members[index] = person
        }
        for (index, income) in incomes.enumerated() {
            if let problem = income.monthly.implausibility {
                throw RegistryInputError(field: "incomes[\(index)].monthly", problem)
            }
            guard income.declaredOn <= today else {
                throw RegistryInputError(field: "incomes[\(index)].declaredOn", "申报日期晚于今天")
            }
        }
        for (index, spending) in expenditures.enumerated() where spending.last12Months < .zero {
            throw RegistryInputError(field: "expenditures[\(index)].last12Months", "金额不能为负")
        }
        guard assets.deposits >= .zero else { throw RegistryInputError(field: "assets.deposits", "金额不能为负") }
        for (index, supporter) in supporters.enumerated() {
            record.supporters[index].name = try Self.displayText(
                supporter.name, field: "supporters[\(index)].name", what: "姓名", InputBounds.nameCharacters)
            if let text = supporter.citizenID {
                do {
                    record.supporters[index].citizenID = try CitizenID(text, today: today.parts).normalized
                } catch {
                    throw RegistryInputError(field: "supporters[\(index)].citizenID", error.description)
                }
            }
        }
        return record
    }

    /// `text` trimmed, if it has an allowed length and passes ``DisplayText``; otherwise an
    /// error naming the field and what is wrong.
    static func displayText(_ text: String, field: String, what: String, _ length: ClosedRange<Int>)
        throws(RegistryInputError) -> String
    {
        let trimmed = text.trimmingWhitespace
        guard length.contains(trimmed.count) else {
            throw RegistryInputError(field: field, "\(what)须为 \(length.lowerBound)–\(length.upperBound) 个字符")
        }
        if let problem = DisplayText.problem(in: trimmed) {
            throw RegistryInputError(field: field, "\(what)\(problem)")
        }
        return trimmed
    }
}

extension PersonRecord {
    func validated(field: String, today: CivilDate) throws(RegistryInputError) -> PersonRecord {
        var person = self
        let id: CitizenID
        do { id = try CitizenID(citizenID, today: today.parts) } catch {
            throw RegistryInputError(field: "\(field).citizenID", error.description)
        }
        person.citizenID = id.normalized
        let fromID = try? CivilDate(year: id.birthYear, month: id.birthMonth, day: id.birthDay)
        guard birthDate == fromID else {
            throw RegistryInputError(
                field: "\(field).birthDate", "出生日期 \(birthDate) 与身份证号码中的 \(fromID?.description ?? "?") 不一致")
        }
        guard (id.sex == .male) == (sex == .male) else {
            throw RegistryInputError(
                field: "\(field).sex", "性别与身份证号码不一致（第 17 位\(id.sex == .male ? "为奇数，应为男" : "为偶数，应为女")）")
        }
        person.name = try HouseholdRecord.displayText(
            name, field: "\(field).name", what: "姓名", InputBounds.nameCharacters)
        if let grade = disability?.grade, !(1...4).contains(grade) {
            throw RegistryInputError(field: "\(field).disability.grade", "残疾等级须为 1–4")
        }
        guard (0...6).contains(selfCareItemsFailed) else {
            throw RegistryInputError(field: "\(field).selfCareItemsFailed", "生活自理能力评估失能项数须为 0–6")
        }
        if let phone {
            let digits = phone.filter { !$0.isWhitespace && $0 != "-" }
            guard digits.count >= 7, digits.count <= 12, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber)
            else {
                throw RegistryInputError(field: "\(field).phone", "电话号码“\(phone)”无效")
            }
            person.phone = digits
        }
        return person
    }
}

extension CivilDate {
    var parts: (year: Int, month: Int, day: Int) { (year, month, day) }
}

extension String {
    /// The text without leading and trailing whitespace; found by index rather than by
    /// reversing, since a feed file trims a million rows' cells.
    var trimmingWhitespace: String {
        guard let first = firstIndex(where: { !$0.isWhitespace }), let last = lastIndex(where: { !$0.isWhitespace })
        else { return "" }
        // Most values have nothing to trim: they are returned without a copy.
        if first == startIndex, index(after: last) == endIndex { return self }
        return String(self[first...last])
    }
}
