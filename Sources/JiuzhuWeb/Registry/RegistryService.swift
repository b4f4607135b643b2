import Foundation
import Hummingbird
import JiuzhuDomain
import JiuzhuPolicy
import JiuzhuRegistry
import JiuzhuServices
import JiuzhuStorage

/// What the registry's pages and API do, in one place: validation, ownership, versions,
/// masking of citizen IDs (and birth dates, which the mask hides) for roles that do not
/// need them, and prompt indexing.
struct RegistryService: Sendable {
    let environment: OperatorEnvironment
    let policy: PolicyService
    let registration: HouseholdRegistration

    /// Today, from the node's clock.
    private var today: CivilDate { environment.today }

    /// A household as shown: the record (IDs masked and ages for birth dates where the role
    /// needs it), its version, profile and the other households its members also appear in.
    struct HouseholdView: Encodable {
        let id: String
        let version: Int64
        let owner: String
        let household: ShownHousehold
        let profile: HouseholdProfile?
        let alsoRegisteredIn: [DuplicateRegistration]
    }

    struct VersionView: Encodable {
        let version: Int64
        let node: String
        let writtenAt: String
        let changedBy: String?
        let household: ShownHousehold?
    }

    struct PersonView: Encodable {
        struct Enrolment: Encodable {
            let household: String
            let version: Int64
            let writtenAt: String
            let programmes: [Programme]
        }

        let citizenID: String
        let households: [String]
        /// Every change of the programmes of a household the person belongs to, oldest first.
        let assistance: [Enrolment]
    }

    struct SearchResult: Encodable {
        struct Hit: Encodable {
            let id: String
            let village: String
            let applicant: String
            let memberCount: Int
            let perCapitaIncome: Int64
            let programmes: [String]
            let tags: [String]
        }

        let total: Int
        let page: Int
        let pageSize: Int
        let households: [Hit]
    }

    func create(_ record: HouseholdRecord, by guarded: Guarded) async throws -> HouseholdRegistration.Saved {
        try await conflictAnswered { try await registration.register(record, by: guarded.actor) }
    }

    func update(id: String, _ record: HouseholdRecord, version: Int64, by guarded: Guarded) async throws
        -> HouseholdRegistration.Saved
    {
        try await conflictAnswered {
            try await registration.change(id: id, to: record, version: version, by: guarded.actor)
        }
    }

    /// Someone else's change in between is 409, with what they changed it to.
    private func conflictAnswered(_ save: () async throws -> HouseholdRegistration.Saved) async throws
        -> HouseholdRegistration.Saved
    {
        do { return try await save() } catch let conflict as RegistryConflict {
            throw HTTPError(.conflict, message: conflict.description)
        }
    }

    func view(id: String, for guarded: Guarded) async throws -> HouseholdView {
        guard let stored = try await environment.database.registry.household(id),
            let record = try? HouseholdRecord(json: Data(stored.payload.utf8))
        else { throw HTTPError(.notFound, message: "本节点没有户编号为 \(id) 的家庭") }
        var profile: HouseholdProfile?
        if let current = try await policy.current() {
            // A record whose amounts overflow has no profile; the page shows it without one.
            profile = (try? current.calculator.snapshot(on: today)).flatMap {
                try? HouseholdProfile(record, snapshot: $0, version: current.calculator.version, date: today)
            }
        }
        var duplicates: [DuplicateRegistration] = []
        for member in record.members {
            let others = try await environment.database.registry.households(of: member.citizenID).filter { $0 != id }
            if !others.isEmpty {
                duplicates.append(
                    DuplicateRegistration(citizenID: mask(member.citizenID, guarded), households: [id] + others))
            }
        }
        return HouseholdView(
            id: id, version: stored.sequence, owner: stored.origin, household: shown(record, guarded),
            profile: profile,
            alsoRegisteredIn: duplicates)
    }

    func history(id: String, for guarded: Guarded) async throws -> [VersionView] {
        let versions = try await environment.database.registry.householdHistory(id)
        guard !versions.isEmpty else { throw HTTPError(.notFound, message: "本节点没有户编号为 \(id) 的家庭") }
        return versions.map { version in
            let record = version.payload.flatMap { try? HouseholdRecord(json: Data($0.utf8)) }
            return VersionView(
                version: version.sequence, node: version.node,
                writtenAt: ShanghaiTime.format(Date(timeIntervalSince1970: Double(version.writtenAt) / 1000)),
                changedBy: record?.changedBy, household: record.map { shown($0, guarded) })
        }
    }

    func person(_ text: String, for guarded: Guarded) async throws -> PersonView {
        let id: CitizenID
        do {
            id = try CitizenID(text, today: (today.year, today.month, today.day))
        } catch {
            // A number of the right shape whose check character or birth date cannot be right
            // names no one who could be registered: not found, with the reason.
            switch error {
            case .wrongLength, .invalidCharacter, .unknownProvince: throw InputError(field: "id", error.description)
            default: throw HTTPError(.notFound, message: "本节点辖区内没有登记此人：\(error.description)")
            }
        }
        let households = try await environment.database.registry.households(of: id.normalized)
        guard !households.isEmpty else { throw HTTPError(.notFound, message: "本节点辖区内没有登记此人") }
        var assistance: [PersonView.Enrolment] = []
        for household in households {
            var previous: [Programme]?
            for version in try await environment.database.registry.householdHistory(household) {
                guard let payload = version.payload, let record = try? HouseholdRecord(json: Data(payload.utf8)),
                    record.members.contains(where: { $0.citizenID == id.normalized }), record.enrolments != previous
                else { continue }
                previous = record.enrolments
                assistance.append(
                    .init(
                        household: household, version: version.sequence,
                        writtenAt: ShanghaiTime.format(Date(timeIntervalSince1970: Double(version.writtenAt) / 1000)),
                        programmes: record.enrolments))
            }
        }
        return PersonView(citizenID: mask(id.normalized, guarded), households: households, assistance: assistance)
    }

    func search(_ parameters: SearchParameters, for guarded: Guarded) async throws -> SearchResult {
        let page = try await environment.database.registry.searchHouseholds(parameters.query)
        return SearchResult(
            total: page.total, page: parameters.page, pageSize: parameters.query.limit,
            households: page.hits.map { hit in
                let record = try? HouseholdRecord(json: Data(hit.payload.utf8))
                return SearchResult.Hit(
                    id: hit.key, village: hit.village,
                    applicant: record?.members.first { $0.relation == .applicant }?.name ?? "",
                    memberCount: hit.memberCount, perCapitaIncome: hit.perCapitaIncome, programmes: hit.programmes,
                    tags: hit.tags)
            })
    }

    /// Every matching household's members, one row each, for Excel.
    func export(_ parameters: SearchParameters, for guarded: Guarded) async throws -> [UInt8] {
        var query = parameters.query
        query.offset = 0
        query.limit = 500
        // Without full IDs the birth-date column holds the age instead (see `ShownHousehold`).
        let birthColumn = fullAccess(guarded) ? nil : RegistryCSV.exportHeader.firstIndex(of: "出生日期")
        var header = RegistryCSV.exportHeader
        if let birthColumn { header[birthColumn] = "年龄（周岁）" }
        var rows: [[String]] = [header]
        while true {
            let page = try await environment.database.registry.searchHouseholds(query)
            for hit in page.hits {
                guard let record = try? HouseholdRecord(json: Data(hit.payload.utf8)) else { continue }
                var lines = RegistryCSV.rows(
                    for: masked(record, guarded), perCapitaIncome: Fen(hit.perCapitaIncome), tags: hit.tags)
                if let birthColumn {
                    for (index, member) in record.members.enumerated() where index < lines.count {
                        lines[index][birthColumn] = String(member.birthDate.age(on: today))
                    }
                }
                rows += lines
            }
            query.offset += page.hits.count
            if page.hits.count < query.limit || query.offset >= page.total { break }
        }
        return CSVWriter().bytes(for: rows)
    }

    /// A household the indexer set aside, as the page and the API show it.
    struct SetAsideView: Encodable {
        let id: String
        let village: String
        let reason: String
        let setAsideAt: String
    }

    /// Households inside the request's division (or all the node holds) that the indexer set
    /// aside, with the reason: they are missing from search until a later version indexes.
    func setAside(for guarded: Guarded) async throws -> [SetAsideView] {
        try await environment.database.registry.setAsideHouseholds(
            in: guarded.target.map { String($0.jurisdictionPrefix) }
        )
        .map {
            SetAsideView(
                id: $0.key, village: $0.village, reason: $0.reason,
                setAsideAt: ShanghaiTime.format(Date(timeIntervalSince1970: Double($0.setAsideAt) / 1000)))
        }
    }

    func duplicates(for guarded: Guarded) async throws -> [DuplicateRegistration] {
        try await environment.database.registry.duplicateRegistrations().map {
            DuplicateRegistration(citizenID: mask($0.citizenID, guarded), households: $0.households)
        }
    }

    private func fullAccess(_ guarded: Guarded) -> Bool {
        guarded.session.map { AccessPolicy.allows($0.account.role, .viewFullCitizenID) } ?? false
    }

    private func mask(_ id: String, _ guarded: Guarded) -> String {
        CitizenIDMask.show(id, fullAccess: fullAccess(guarded))
    }

    /// The record as the role may see it: IDs masked, and ages for birth dates, without full IDs.
    private func shown(_ record: HouseholdRecord, _ guarded: Guarded) -> ShownHousehold {
        ShownHousehold(masked(record, guarded), showsBirthDates: fullAccess(guarded), today: today)
    }

    private func masked(_ record: HouseholdRecord, _ guarded: Guarded) -> HouseholdRecord {
        guard !fullAccess(guarded) else { return record }
        var record = record
        for index in record.members.indices {
            record.members[index].citizenID = CitizenIDMask.masked(record.members[index].citizenID)
        }
        for index in record.supporters.indices {
            record.supporters[index].citizenID = record.supporters[index].citizenID.map(CitizenIDMask.masked)
        }
        return record
    }
}

/// The search filters as query parameters; money in yuan, ages in whole years.
struct SearchParameters {
    /// Each filter as `init` reads it; a blank value is the same as none.
    static let documentation: [OperatorRoute.QueryParameter] = {
        // Yuan with at most two decimals, up to the largest amount the bounds allow (InputBounds.amountFen).
        let top = InputBounds.amountFen.upperBound / 100
        let below = DigitPatterns.canonical(0...(top - 1))
        let yuan = JSONSchema.string(
            pattern: "^(-?0{1,15}(\\.0{1,2})?|0{0,6}\(below)(\\.[0-9]{1,2})?|0{0,6}\(top)(\\.0{1,2})?)?$")
        func codes<T: CaseIterable & RawRepresentable>(_ type: T.Type) -> JSONSchema where T.RawValue == String {
            .string(pattern: "^(" + T.allCases.map(\.rawValue).joined(separator: "|") + ")?$")
        }
        return [
            .init(name: "division", description: "行政区划代码（须在本节点辖区内）", schema: .divisionCodeOrBlank),
            .init(name: "minIncome", description: "人均月收入下限（元，至多两位小数）", schema: yuan),
            .init(name: "maxIncome", description: "人均月收入上限（元，至多两位小数）", schema: yuan),
            .init(name: "illness", description: "有重病成员：true/false", schema: .string(pattern: "^(true|false)?$")),
            .init(name: "minGrade", description: "残疾等级下限（1–4）", schema: .integerText(1...4)),
            .init(name: "maxGrade", description: "残疾等级上限（1–4）", schema: .integerText(1...4)),
            .init(name: "minAge", description: "成员年龄下限（周岁，0–130）", schema: .integerText(0...130)),
            .init(name: "maxAge", description: "成员年龄上限（周岁，0–130）", schema: .integerText(0...130)),
            .init(name: "programme", description: "在保项目代码，如 dibao", schema: codes(Programme.self)),
            .init(name: "tag", description: "画像标签代码，如 severeDisability", schema: codes(ProfileTag.self)),
            .init(name: "page", description: "页码，从 1 起", schema: .integerText(1...100_000)),
            .init(name: "size", description: "每页户数，至多 500", schema: .integerText(1...500)),
        ]
    }()

    var query = RegistryQuery()
    var page = 1

    init(_ guarded: Guarded, today: CivilDate) throws {
        func text(_ name: String) -> String? { guarded.query(name).flatMap { $0.isEmpty ? nil : $0 } }
        func integer(_ name: String, _ range: ClosedRange<Int>) throws -> Int? {
            try FormValue.integer(text(name) ?? "", field: name, in: range)
        }
        func yuan(_ name: String) throws -> Int64? { try FormValue.yuan(text(name) ?? "", field: name)?.rawValue }
        query.division = guarded.target.map { String($0.jurisdictionPrefix) }
        query.minPerCapitaIncome = try yuan("minIncome")
        query.maxPerCapitaIncome = try yuan("maxIncome")
        if let illness = text("illness") {
            guard ["true", "false"].contains(illness) else { throw InputError(field: "illness", "须为 true 或 false") }
            query.seriousIllness = illness == "true"
        }
        query.minDisabilityGrade = try integer("minGrade", 1...4)
        query.maxDisabilityGrade = try integer("maxGrade", 1...4)
        if let minAge = try integer("minAge", 0...130) {
            query.bornOnOrBefore = (today.year - minAge) * 10000 + today.month * 100 + today.day
        }
        if let maxAge = try integer("maxAge", 0...130) {
            query.bornOnOrAfter = (today.year - maxAge - 1) * 10000 + today.month * 100 + today.day + 1
        }
        if let programme = text("programme") {
            guard Programme(rawValue: programme) != nil else {
                throw InputError(field: "programme", "未知项目“\(programme)”")
            }
            query.programme = programme
        }
        if let tag = text("tag") {
            guard ProfileTag(rawValue: tag) != nil else { throw InputError(field: "tag", "未知标签“\(tag)”") }
            query.tag = tag
        }
        page = try integer("page", 1...100_000) ?? 1
        query.limit = try integer("size", 1...500) ?? 50
        query.offset = (page - 1) * query.limit
    }
}
