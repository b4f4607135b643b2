import Foundation
import JiuzhuDomain
import JiuzhuPolicy
import JiuzhuRegistry
import JiuzhuStorage

/// Department records about the demo's own synthetic households, so the warning platform has
/// something to show on the first start: for the first recipient households of a village, a
/// member's death (公安), wages that lift the household over its line (人社) and a car (公安);
/// for the first household that receives nothing, a year of medical spending over the line (医保).
///
/// The city imports them before the households have reached it; its sweep raises each warning
/// when the household arrives, as it would for a department that reports first.
public enum DemoFeeds {
    /// The records, by feed, from the households of `database` (a village's).
    public static func records(from database: NodeDatabase, today: CivilDate) async throws
        -> [DepartmentFeed: [FeedRecord]]
    {
        var recipients: [HouseholdRecord] = []
        var others: [HouseholdRecord] = []
        let village = database.owner.code.digits
        for number in 1...60 {
            let key = village + "-S" + String(format: "%06d", number)
            guard let stored = try await database.registry.household(key),
                let record = try? HouseholdRecord(json: Data(stored.payload.utf8))
            else { break }
            if record.enrolments.isEmpty { others.append(record) } else { recipients.append(record) }
        }
        var feeds: [DepartmentFeed: [FeedRecord]] = [:]
        let stamp = String(today.description.prefix(7)).replacingOccurrences(of: "-", with: "")
        func add(_ feed: DepartmentFeed, _ id: String, _ person: PersonRecord, _ date: CivilDate, _ facts: FeedFacts) {
            feeds[feed, default: []].append(
                FeedRecord(
                    feed: feed, recordID: "\(id)-\(stamp)-\(feeds[feed, default: []].count + 1)",
                    citizenID: person.citizenID, name: person.name, date: date, facts: facts))
        }
        if let household = recipients.first, let member = household.members.last {
            add(.deaths, "GA-SW", member, today.adding(days: -5), .death(certificate: "演示死亡证明"))
        }
        if recipients.count > 1, let member = recipients[1].members.first {
            add(
                .employment, "RS-GZ", member, today.adding(months: -1).firstOfMonth,
                .employment(employer: "泰州市某制造公司", monthlyWage: Fen(650_000), contributionBase: Fen(650_000)))
        }
        if recipients.count > 2, let member = recipients[2].members.first {
            add(
                .property, "GA-CL", member, today.adding(days: -20),
                .property(kind: .vehicle, description: "小型普通客车 苏M·D1234", value: Fen(8_000_000)))
        }
        if let household = others.first, let member = household.members.first {
            add(
                .medical, "YB-JS", member, today.adding(months: -2),
                .medical(
                    totalCost: Fen(6_000_000), outOfPocket: Fen(2_600_000), seriousIllness: true, diagnosis: "恶性肿瘤"))
        }
        return feeds
    }
}
