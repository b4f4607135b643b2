import JiuzhuDomain
import JiuzhuPolicy

/// A tag of the profile (画像), derived from the record and the policy in force.
public enum ProfileTag: String, Codable, CaseIterable, Sendable {
    case seriousIllness, severeDisability, elderlyAlone, leftBehindChild, belowMonitoringLine, unstableIncome,
        highMedicalSpending, dibaoEdge

    public var chineseName: String {
        switch self {
        case .seriousIllness: "重病"
        case .severeDisability: "重度残疾"
        case .elderlyAlone: "独居老人"
        case .leftBehindChild: "留守儿童"
        case .belowMonitoringLine: "低于监测线"
        case .unstableIncome: "收入不稳定"
        case .highMedicalSpending: "医疗支出高"
        case .dibaoEdge: "低保边缘"
        }
    }
}

/// The profile of a household: each tag with the reason it applies, and the per-capita
/// income the tags and searches use.
public struct HouseholdProfile: Codable, Equatable, Sendable {
    public struct Reason: Codable, Equatable, Sendable {
        public let tag: ProfileTag
        public let name: String
        public let reason: String
    }

    /// Monthly counted income per member, in fen (income types the policy excludes left out).
    public let perCapitaIncome: Fen
    public let tags: [Reason]
    /// The policy version the profile was computed with.
    public let policyVersion: PolicyVersion

    /// Derives the profile on `date` with the policy `snapshot`.
    ///
    /// Every figure and every income test comes from the calculator (``HouseholdFigures``): the
    /// 低保边缘 tag is there exactly when the calculator finds the household eligible for the
    /// edge programme, and the monitoring and medical tags are the calculator's own tests.
    /// A record whose incomes or spending do not sum inside `Int64` cannot be profiled: the error
    /// names the figure. Only a record that bypassed validation (``InputBounds``) can hold such
    /// amounts; the indexer sets it aside instead of stopping.
    public init(_ record: HouseholdRecord, snapshot: PolicySnapshot, version: PolicyVersion, date: CivilDate)
        throws(AmountOverflowError)
    {
        let figures = try snapshot.figures(CompactHousehold(record.situation))
        let perCapita = figures.perCapitaCountedIncome
        let standard = snapshot.parameter(.dibaoStandard).value
        let edge = snapshot.parameter(.edgeIncomeLine).value
        let monitoringLine = snapshot.parameter(.monitoringLine).value
        let elderAge = Int(snapshot.parameter(.elderAge).value)
        let severeGrade = Int(snapshot.parameter(.severeCareMaxGrade).value)
        let medicalLine = snapshot.parameter(.medicalWarningLine).value
        var tags: [Reason] = []
        func add(_ tag: ProfileTag, _ reason: String) {
            tags.append(Reason(tag: tag, name: tag.chineseName, reason: reason))
        }

        let ill = record.members.filter(\.seriousIllness)
        if !ill.isEmpty { add(.seriousIllness, "\(ill.map(\.name).joined(separator: "、"))患重病") }
        let severe = record.members.filter { ($0.disability?.grade).map { $0 <= severeGrade } ?? false }
        if !severe.isEmpty {
            add(.severeDisability, "\(severe.map(\.name).joined(separator: "、"))为 \(severeGrade) 级及以上残疾")
        }
        if record.members.count == 1, let only = record.members.first, only.birthDate.age(on: date) >= elderAge {
            add(.elderlyAlone, "\(only.name)\(only.birthDate.age(on: date)) 岁，独自居住（户内仅一人）")
        }
        let leftBehind = record.members.filter { $0.leftBehind && $0.birthDate.age(on: date) < 18 }
        if !leftBehind.isEmpty { add(.leftBehindChild, "\(leftBehind.map(\.name).joined(separator: "、"))父母均在外务工") }
        if figures.belowMonitoringLine {
            add(
                .belowMonitoringLine,
                "全年计入收入 \(figures.countedIncome)×12 低于监测线 \(Fen(monitoringLine))/人·年 × \(record.members.count) 人（人均月收入 \(perCapita)）"
            )
        }
        if record.incomes.contains(where: \.irregular) { add(.unstableIncome, "申报了不固定的收入") }
        if figures.medicalOverLine {
            add(.highMedicalSpending, "近 12 个月医疗自付 \(figures.medicalSpending12)，达到预警线 \(Fen(medicalLine))")
        }
        if figures.result.eligible.contains(.dibaoEdge) {
            add(
                .dibaoEdge,
                "人均月收入（扣除可扣除的刚性支出后）\(figures.perCapitaNetIncome) 在低保标准 \(Fen(standard)) 与边缘线 \(Fen(edge)) 之间，财产符合规定"
            )
        }
        perCapitaIncome = perCapita
        self.tags = tags
        policyVersion = version
    }
}
