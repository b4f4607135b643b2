import JiuzhuDomain

/// One record's cells as a file holds them, before they are read.
struct FeedSourceRow: Sendable {
    /// The CSV line or the JSON array index.
    let row: Int
    /// Trimmed values by the column's ``FeedColumn/key`` (in either format: ASCII keys hash
    /// faster than Chinese headers); an empty or missing value has none.
    var cells: [String: String]
    /// What is wrong with the record's shape before any value is read (a JSON key that is
    /// unknown, repeated or holds an object).
    var problems: [FeedRowError] = []
}

/// Reads one record of a feed by the feed's ``DepartmentFeed/columns``, checking every value
/// and collecting every problem instead of stopping at the first.
struct FeedRowReader {
    let feed: DepartmentFeed
    let format: FeedFileFormat
    let source: FeedSourceRow
    let today: CivilDate
    private(set) var errors: [FeedRowError] = []
    /// The record number, when it could be read, so that the file can find it sent twice.
    private(set) var recordID: String?

    init(feed: DepartmentFeed, format: FeedFileFormat, source: FeedSourceRow, today: CivilDate) {
        self.feed = feed
        self.format = format
        self.source = source
        self.today = today
    }

    /// The record, or nil when anything in it is wrong (``errors`` says what).
    mutating func record() -> FeedRecord? {
        recordID = read(.recordID, Self.recordNumber)
        let today = today
        let citizenID = read(.citizenID) { text throws(OfficeCellProblem) in
            try OfficeText.citizenID(text, today: today)
        }
        let name = read(.name, Self.personName)
        let dateColumn = feed.dateColumn
        let date =
            if feed == .employment {
                read(dateColumn) { text throws(OfficeCellProblem) in try Self.month(text, today: today) }
            } else {
                read(dateColumn) { text throws(OfficeCellProblem) in try Self.date(text, today: today) }
            }
        if let date, let citizenID,
            let birth = try? CivilDate(year: citizenID.birthYear, month: citizenID.birthMonth, day: citizenID.birthDay),
            date < (feed == .employment ? birth.firstOfMonth : birth)
        {
            fail(dateColumn, "\(date) 早于此人的出生日期 \(birth)（见公民身份号码）")
        }
        let facts = facts()
        guard errors.isEmpty, let recordID, let citizenID, let date, let facts else { return nil }
        return FeedRecord(
            feed: feed, recordID: recordID, citizenID: citizenID.normalized, name: name, date: date, facts: facts)
    }

    private mutating func facts() -> FeedFacts? {
        switch feed {
        case .deaths:
            return .death(certificate: read(.certificate, Self.freeText))
        case .employment:
            let employer = read(.employer, Self.freeText)
            let wage = read(.monthlyWage, OfficeText.yuan)
            let base = read(.contributionBase, OfficeText.yuan)
            guard let employer, let wage else { return nil }
            return .employment(employer: employer, monthlyWage: wage, contributionBase: base)
        case .medical:
            let total = read(.totalCost, OfficeText.yuan)
            let paid = read(.outOfPocket, OfficeText.yuan)
            let serious = read(.seriousIllness, Self.yesNo)
            let diagnosis = read(.diagnosis, Self.freeText)
            if let total, let paid, paid > total {
                fail(.outOfPocket, "个人自付 \(paid) 超过医疗总费用 \(total)")
            }
            guard let total, let paid, let serious else { return nil }
            return .medical(totalCost: total, outOfPocket: paid, seriousIllness: serious, diagnosis: diagnosis)
        case .disability:
            let category = read(.category, Self.disabilityCategory)
            let grade = read(.grade, Self.disabilityGrade)
            guard let category, let grade else { return nil }
            return .disability(category: category, grade: grade)
        case .schooling:
            let event = read(.schoolEvent, Self.schoolEvent)
            let level = read(.level, Self.schoolLevel)
            let school = read(.school, Self.freeText)
            guard let event, let level else { return nil }
            return .schooling(event: event, level: level, school: school)
        case .property:
            let kind = read(.propertyKind, Self.propertyKind)
            let description = read(.propertyDescription, Self.freeText)
            let value = read(.value, OfficeText.yuan)
            guard let kind, let description else { return nil }
            return .property(kind: kind, description: description, value: value)
        case .business:
            let name = read(.businessName, Self.freeText)
            let capital = read(.registeredCapital, OfficeText.yuan)
            let active = read(.active, Self.yesNo)
            guard let name, let active else { return nil }
            return .business(name: name, registeredCapital: capital, active: active)
        case .disaster:
            let event = read(.disasterEvent, Self.freeText)
            let kind = read(.disasterKind, Self.freeText)
            let loss = read(.loss, OfficeText.yuan)
            guard let event, let kind else { return nil }
            return .disaster(event: event, kind: kind, loss: loss)
        }
    }

    /// The column's value read by `parse`; nil, with the problem recorded, when it is wrong
    /// or a required value is missing, and nil without one when an optional value is.
    private mutating func read<Value>(
        _ column: FeedColumn, _ parse: (String) throws(OfficeCellProblem) -> Value
    ) -> Value? {
        guard let text = source.cells[column.key] else {
            if column.isRequired { fail(column, "不能为空") }
            return nil
        }
        do { return try parse(text) } catch {
            fail(column, error.message)
            return nil
        }
    }

    private mutating func fail(_ column: FeedColumn, _ message: String) {
        errors.append(FeedRowError(format: format, row: source.row, field: column.label(in: format), message: message))
    }

    // MARK: Values

    static func recordNumber(_ text: String) throws(OfficeCellProblem) -> String {
        try bounded(text, FeedColumnKind.recordIDCharacters)
    }

    static func personName(_ text: String) throws(OfficeCellProblem) -> String {
        try bounded(text, InputBounds.nameCharacters)
    }

    static func freeText(_ text: String) throws(OfficeCellProblem) -> String {
        try bounded(text, FeedColumnKind.textCharacters)
    }

    private static func bounded(_ text: String, _ characters: ClosedRange<Int>) throws(OfficeCellProblem) -> String {
        guard characters.contains(text.count) else {
            throw OfficeCellProblem("应为 \(characters.lowerBound)–\(characters.upperBound) 个字符，实际 \(text.count) 个")
        }
        guard !OfficeText.hasInvisibleCharacter(text) else {
            throw OfficeCellProblem("含有控制字符或不可见字符（如换行、零宽字符），请删除")
        }
        return text
    }

    static func date(_ text: String, today: CivilDate) throws(OfficeCellProblem) -> CivilDate {
        guard let date = OfficeText.date(text) else {
            throw OfficeCellProblem("“\(text)”不是有效日期（可写 2026-03-01、2026/3/1 或 2026年3月1日）")
        }
        guard date <= today else { throw OfficeCellProblem("\(date) 晚于今天（\(today)）") }
        return date
    }

    static func month(_ text: String, today: CivilDate) throws(OfficeCellProblem) -> CivilDate {
        guard let month = OfficeText.month(text) else {
            throw OfficeCellProblem("“\(text)”不是有效月份（可写 2026-10、2026/10 或 2026年10月）")
        }
        guard month <= today.firstOfMonth else {
            throw OfficeCellProblem("\(month.year) 年 \(month.month) 月晚于本月（\(today)）")
        }
        return month
    }

    static func yesNo(_ text: String) throws(OfficeCellProblem) -> Bool {
        guard let yes = OfficeText.yesNo(text) else { throw OfficeCellProblem("“\(text)”应为“是”或“否”") }
        return yes
    }

    static func disabilityCategory(_ text: String) throws(OfficeCellProblem) -> DisabilityCategory {
        guard let category = RegistryCSV.disabilityCategory(text) ?? DisabilityCategory(rawValue: text) else {
            throw unknown(text, .disabilityCategory)
        }
        return category
    }

    /// `2`, `２`, `2级` or `二级`.
    static func disabilityGrade(_ text: String) throws(OfficeCellProblem) -> Int {
        let digits = OfficeText.halfWidth(text.hasSuffix("级") ? String(text.dropLast()) : text)
        let grade = Int(digits) ?? ["一", "二", "三", "四"].firstIndex(of: digits).map { $0 + 1 }
        guard let grade, (1...4).contains(grade) else { throw unknown(text, .disabilityGrade) }
        return grade
    }

    static func schoolEvent(_ text: String) throws(OfficeCellProblem) -> SchoolEvent {
        if text == "退学" || text == "离校" { return .left }
        guard let event = SchoolEvent.allCases.first(where: { $0.chineseName == text || $0.rawValue == text }) else {
            throw unknown(text, .schoolEvent)
        }
        return event
    }

    /// A level of schooling; "未在学" (none) is no level a school event happens at.
    static func schoolLevel(_ text: String) throws(OfficeCellProblem) -> Schooling {
        guard
            let level = Schooling.allCases.first(where: {
                $0 != .none && ($0.chineseName == text || $0.rawValue == text)
            })
        else { throw unknown(text, .schoolLevel) }
        return level
    }

    static func propertyKind(_ text: String) throws(OfficeCellProblem) -> PropertyKind {
        guard let kind = PropertyKind.allCases.first(where: { $0.chineseName == text || $0.rawValue == text }) else {
            throw unknown(text, .propertyKind)
        }
        return kind
    }

    private static func unknown(_ text: String, _ kind: FeedColumnKind) -> OfficeCellProblem {
        OfficeCellProblem("“\(text)”无法识别（可用：\(kind.accepted)）")
    }
}
