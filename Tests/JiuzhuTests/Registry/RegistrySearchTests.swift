import Foundation
import JiuzhuDomain
import JiuzhuStorage
import Testing

/// The registry search against a plain reading of its filters over the same entries: every
/// combination must find the same households, in the same order, page by page, also after
/// households change, leave and the whole index is rebuilt.
@Suite struct RegistrySearchTests {
    static let city = NodeDatabase.Owner(code: try! DivisionCode("321200"), name: "泰州市", role: .city)
    static let villages = ["321281100201", "321281100202", "321281101201", "321282100201", "321283100201"]
    static let programmes = ["dibao", "tekun", "linshi"]
    static let tags = ["seriousIllness", "belowMonitoringLine", "elderlyAlone"]

    @Test func everyFilterFindsWhatAPlainReadingFinds() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try NodeDatabase.open(in: directory.url, for: Self.city)
        var random = SplitMix(seed: 7)
        var entries: [String: HouseholdIndexEntry] = [:]
        for number in 0..<400 {
            let key = String(format: "H%04d", number)
            entries[key] = Self.household(key, &random)
        }
        try await database.registry.index(entries.map { ($0.key, $0.value) }, through: 10)
        try await Self.compare(database, entries, &random)

        // Households change (enrolments, tags, members) and some leave.
        var changed: [(key: String, entry: HouseholdIndexEntry?)] = []
        for key in entries.keys.sorted().prefix(120) {
            let entry = random.next(3) == 0 ? nil : Self.household(key, &random)
            entries[key] = entry
            changed.append((key, entry))
        }
        try await database.registry.index(changed, through: 20)
        try await Self.compare(database, entries, &random)

        // A new policy version resets the cursor; indexing everything again changes nothing.
        try await database.registry.index([], through: 0)
        #expect(try await database.registry.indexPosition() == 0)
        try await database.registry.index(entries.map { ($0.key, $0.value) }, through: 20)
        try await Self.compare(database, entries, &random)
    }

    /// Random queries, each compared page by page with the plain reading.
    static func compare(_ database: NodeDatabase, _ entries: [String: HouseholdIndexEntry], _ random: inout SplitMix)
        async throws
    {
        for _ in 0..<300 {
            var query = RegistryQuery()
            if random.next(2) == 0 {
                let village = villages[random.next(villages.count)]
                query.division = String(village.prefix([6, 9, 12][random.next(3)]))
            }
            if random.next(4) == 0 { query.minPerCapitaIncome = Int64(random.next(60000)) }
            if random.next(4) == 0 { query.maxPerCapitaIncome = Int64(random.next(60000)) }
            if random.next(5) == 0 { query.seriousIllness = random.next(2) == 0 }
            if random.next(5) == 0 { query.minDisabilityGrade = 1 + random.next(4) }
            if random.next(5) == 0 { query.maxDisabilityGrade = 1 + random.next(4) }
            if random.next(2) == 0 { query.bornOnOrAfter = birth(&random) }
            if random.next(2) == 0 { query.bornOnOrBefore = birth(&random) }
            if random.next(3) == 0 { query.programme = (programmes + [""])[random.next(programmes.count + 1)] }
            if random.next(3) == 0 { query.tag = tags[random.next(tags.count)] }
            let expected = entries.values.filter { matches($0, query) }.map(\.key).sorted()
            query.limit = 1 + random.next(40)
            query.offset = random.next(3) == 0 ? random.next(max(1, expected.count)) : 0
            let page = try await database.registry.searchHouseholds(query)
            #expect(page.total == expected.count, "\(query)")
            #expect(
                page.hits.map(\.key) == Array(expected.dropFirst(query.offset).prefix(query.limit)), "\(query)")
        }
    }

    /// The filters as documented, read plainly.
    static func matches(_ entry: HouseholdIndexEntry, _ query: RegistryQuery) -> Bool {
        if let division = query.division, !entry.village.hasPrefix(division) { return false }
        if let low = query.minPerCapitaIncome, entry.perCapitaIncome < low { return false }
        if let high = query.maxPerCapitaIncome, entry.perCapitaIncome > high { return false }
        if let programme = query.programme, !entry.programmes.contains("," + programme + ",") { return false }
        if let tag = query.tag, !entry.tags.contains("," + tag + ",") { return false }
        switch (query.bornOnOrAfter, query.bornOnOrBefore) {
        case (let after?, nil): if entry.youngestBirth < after { return false }
        case (nil, let before?): if entry.oldestBirth > before { return false }
        default: break
        }
        let bothBounds = query.bornOnOrAfter != nil && query.bornOnOrBefore != nil
        guard
            query.seriousIllness != nil || query.minDisabilityGrade != nil || query.maxDisabilityGrade != nil
                || bothBounds
        else { return true }
        // A citizen listed twice counts once, as listed last.
        let members = Dictionary(entry.people.map { ($0.citizenID, $0) }, uniquingKeysWith: { $1 }).values
        return members.contains { person in
            if let ill = query.seriousIllness, person.seriousIllness != ill { return false }
            if let low = query.minDisabilityGrade, (person.disabilityGrade ?? .min) < low { return false }
            if let high = query.maxDisabilityGrade, (person.disabilityGrade ?? .max) > high { return false }
            if bothBounds, let after = query.bornOnOrAfter, let before = query.bornOnOrBefore {
                return person.birthOrdinal >= after && person.birthOrdinal <= before
            }
            return true
        }
    }

    /// Few birth dates, so that members of a household are often born on the same day.
    static func birth(_ random: inout SplitMix) -> Int {
        (1950 + random.next(6) * 10) * 10000 + [101, 615, 1231][random.next(3)]
    }

    static func household(_ key: String, _ random: inout SplitMix) -> HouseholdIndexEntry {
        var people: [PersonIndexEntry] = []
        for _ in 0..<(1 + random.next(5)) {
            // Now and then the same person twice, born on another day the second time.
            let id = random.next(8) == 0 && !people.isEmpty ? people[0].citizenID : "ID\(random.next(1_000_000))"
            people.append(
                PersonIndexEntry(
                    citizenID: id, name: "某", birthOrdinal: birth(&random),
                    disabilityGrade: random.next(4) == 0 ? 1 + random.next(4) : nil,
                    seriousIllness: random.next(5) == 0))
        }
        return HouseholdIndexEntry(
            key: key, village: villages[random.next(villages.count)], memberCount: people.count,
            perCapitaIncome: Int64(random.next(60000)), programmes: programmes.filter { _ in random.next(3) == 0 },
            tags: tags.filter { _ in random.next(3) == 0 }, people: people)
    }
}

/// A small deterministic random number generator, so a failure can be replayed.
struct SplitMix {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next(_ bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int((z ^ (z >> 31)) % UInt64(bound))
    }
}
