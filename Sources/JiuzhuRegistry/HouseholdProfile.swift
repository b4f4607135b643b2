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
    /// A record whose incomes or medical spending do not sum inside `Int64` cannot be profiled:
    /// the error names the list. Only a record that bypassed validation (``InputBounds``) can
    /// hold such amounts; the indexer sets it aside instead of stopping.
    public init(_ record: HouseholdRecord, snapshot: PolicySnapshot, version: PolicyVersion, date: CivilDate)
        throws(AmountOverflowError)
    {
        let excluded = Set(snapshot.incomeNotCounted)
        let counted = try Fen.checkedSum(
            record.incomes.lazy.filter { !excluded.contains($0.type) }.map(\.monthly), field: "incomes")
        let perCapita = counted.perCapita(record.members.count)
        let standard = snapshot.parameter(.dibaoStandard).value
        let edge = snapshot.parameter(.edgeIncomeLine).value
        let monitoringMonthly = snapshot.parameter(.monitoringLine).value / 12
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
        if perCapita.rawValue < monitoringMonthly {
            add(
                .belowMonitoringLine,
                "人均月收入 \(perCapita) 低于监测线 \(Fen(monitoringMonthly))（\(Fen(snapshot.parameter(.monitoringLine).value))/年 ÷ 12）"
            )
        }
        if record.incomes.contains(where: \.irregular) { add(.unstableIncome, "申报了不固定的收入") }
        let medical = try Fen.checkedSum(
            record.expenditures.lazy.filter { $0.type == .medical }.map(\.last12Months), field: "expenditures")
        if medical.rawValue >= medicalLine {
            add(.highMedicalSpending, "近 12 个月医疗自付 \(medical)，达到预警线 \(Fen(medicalLine))")
        }
        if perCapita.rawValue >= standard, perCapita.rawValue < edge {
            add(.dibaoEdge, "人均月收入 \(perCapita) 在低保标准 \(Fen(standard)) 与边缘线 \(Fen(edge)) 之间")
        }
        perCapitaIncome = perCapita
        self.tags = tags
        policyVersion = version
    }
}
