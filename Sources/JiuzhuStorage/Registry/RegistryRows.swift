import Foundation
import GRDB
import JiuzhuDomain

/// One version of a household record, as the change log keeps it.
public struct RecordVersion: Codable, Equatable, Sendable {
    /// The node that wrote it (the owning village).
    public let node: String
    public let sequence: Int64
    /// Milliseconds since 1970, at the writing node.
    public let writtenAt: Int64
    /// The record's JSON, or nil for a deletion.
    public let payload: String?
}

/// A household changed by someone else since the caller read it, or created twice.
public struct RegistryConflict: Error, Equatable, Sendable, CustomStringConvertible {
    public let key: String
    public let expected: Int64?
    public let current: Int64?

    public var description: String {
        switch (expected, current) {
        case (nil, .some): "家庭 \(key) 已存在"
        case (.some, nil): "家庭 \(key) 不存在"
        default: "家庭 \(key) 已被他人修改（版本 \(current ?? 0)，您读取的是版本 \(expected ?? 0)），请重新打开后再改"
        }
    }
}

/// The searchable facts of one household, kept beside the records by the registry indexer.
public struct HouseholdIndexEntry: Sendable {
    public let key: String
    public let village: String
    public let memberCount: Int
    public let perCapitaIncome: Int64
    /// Programme code names, comma-separated with leading and trailing commas (`,dibao,`).
    public let programmes: String
    /// Profile tag code names, in the same form.
    public let tags: String
    /// The same programme and tag codes one by one, for the tables that find households by them.
    public let programmeCodes: [String]
    public let tagCodes: [String]
    public let people: [PersonIndexEntry]
    /// The birth dates (`YYYYMMDD`) of the oldest and the youngest member: "a member aged at
    /// least / at most" is then one comparison on the household, not a search of every member.
    public let oldestBirth: Int
    public let youngestBirth: Int

    public init(
        key: String, village: String, memberCount: Int, perCapitaIncome: Int64, programmes: [String], tags: [String],
        people: [PersonIndexEntry]
    ) {
        oldestBirth = people.map(\.birthOrdinal).min() ?? 0
        youngestBirth = people.map(\.birthOrdinal).max() ?? 0
        self.key = key
        self.village = village
        self.memberCount = memberCount
        self.perCapitaIncome = perCapitaIncome
        self.programmes = "," + programmes.joined(separator: ",") + ","
        self.tags = "," + tags.joined(separator: ",") + ","
        programmeCodes = programmes
        tagCodes = tags
        self.people = people
    }
}

/// One member's searchable facts.
public struct PersonIndexEntry: Sendable {
    public let citizenID: String
    public let name: String
    /// `YYYYMMDD`, for age ranges.
    public let birthOrdinal: Int
    public let disabilityGrade: Int?
    public let seriousIllness: Bool

    public init(citizenID: String, name: String, birthOrdinal: Int, disabilityGrade: Int?, seriousIllness: Bool) {
        self.citizenID = citizenID
        self.name = name
        self.birthOrdinal = birthOrdinal
        self.disabilityGrade = disabilityGrade
        self.seriousIllness = seriousIllness
    }
}

/// A batch of registry changes for the indexer.
public struct HouseholdChanges: Sendable {
    /// How many registry entries were read (households or not), and the position of the last one.
    public var count = 0
    public var lastPosition: Int64?
    /// Each household the changes name, once, with its current record (nil once deleted).
    public var records: [(key: String, payload: String?)] = []
}

/// The filters of a registry search; every one is optional.
public struct RegistryQuery: Sendable {
    /// Any prefix of a division code inside the node's jurisdiction.
    public var division: String?
    public var minPerCapitaIncome: Int64?
    public var maxPerCapitaIncome: Int64?
    public var seriousIllness: Bool?
    public var minDisabilityGrade: Int?
    public var maxDisabilityGrade: Int?
    /// Members born on or after this `YYYYMMDD` (the upper age bound).
    public var bornOnOrAfter: Int?
    /// Members born on or before this `YYYYMMDD` (the lower age bound).
    public var bornOnOrBefore: Int?
    public var programme: String?
    public var tag: String?
    public var offset = 0
    public var limit = 50

    public init() {}
}

/// A page of search results: households with the members that matched.
public struct RegistryPage: Sendable {
    public struct Hit: Sendable {
        public let key: String
        public let village: String
        public let memberCount: Int
        public let perCapitaIncome: Int64
        public let programmes: [String]
        public let tags: [String]
        public let payload: String
    }

    public let total: Int
    public let hits: [Hit]
}

/// The same person in more than one household this node holds.
public struct DuplicateRegistration: Codable, Equatable, Sendable {
    public let citizenID: String
    public let households: [String]

    public init(citizenID: String, households: [String]) {
        self.citizenID = citizenID
        self.households = households
    }
}

extension RegistryStore {
    static let householdEntity = "household"

    /// Stores a household record the node owns, logs it for the parent and audits it, in one
    /// transaction. `expectedSequence`, when given, must be the sequence of the version the
    /// caller read, so that two people editing at once cannot silently overwrite each other.
    @discardableResult
    public func saveHousehold(
        key: String, village: DivisionCode, payload: String, expectedSequence: Int64?, audit: AuditRecord
    ) async throws -> Change {
        try await transaction { transaction in
            let current = try Int64.fetchOne(
                transaction.db,
                sql: "SELECT origin_seq FROM replica_row WHERE channel = ? AND entity = ? AND key = ?",
                arguments: [ReplicationChannel.registry.rawValue, Self.householdEntity, key])
            guard current == expectedSequence else {
                throw RegistryConflict(key: key, expected: expectedSequence, current: current)
            }
            let logged = try transaction.log([
                LocalChange(
                    channel: .registry, entity: Self.householdEntity, key: key, jurisdiction: village, payload: payload)
            ])
            try OperatorStore.appendAudit(audit, in: &transaction)
            guard let change = logged.first else { throw StorageError.invalidChange(reason: "没有写入任何变更") }
            return change
        }
    }

    /// Stores many new household records in one transaction with one audit entry: bulk
    /// loads. Records whose key already exists are left as they are; returns how many were new.
    public func addHouseholds(_ records: [(key: String, village: DivisionCode, payload: String)], audit: AuditRecord)
        async throws -> Int
    {
        try await transaction { transaction in
            var fresh: [LocalChange] = []
            for record in records {
                let exists =
                    try Bool.fetchOne(
                        transaction.db,
                        sql: "SELECT 1 FROM replica_row WHERE channel = ? AND entity = ? AND key = ?",
                        arguments: [ReplicationChannel.registry.rawValue, Self.householdEntity, record.key]) ?? false
                if !exists {
                    fresh.append(
                        LocalChange(
                            channel: .registry, entity: Self.householdEntity, key: record.key,
                            jurisdiction: record.village, payload: record.payload))
                }
            }
            guard !fresh.isEmpty else { return 0 }
            try transaction.log(fresh)
            try OperatorStore.appendAudit(audit, in: &transaction)
            return fresh.count
        }
    }

    /// The household's current record, if this node holds it.
    public func household(_ key: String) async throws -> (payload: String, origin: String, sequence: Int64)? {
        try await writer.read { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql:
                        "SELECT payload, origin, origin_seq FROM replica_row WHERE channel = ? AND entity = ? AND key = ?",
                    arguments: [ReplicationChannel.registry.rawValue, Self.householdEntity, key]),
                let payload = row["payload"] as String?
            else { return nil }
            return (payload, row["origin"], row["origin_seq"])
        }
    }

    /// Every version of a household this node has seen, oldest first.
    public func householdHistory(_ key: String) async throws -> [RecordVersion] {
        try await writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT origin, origin_seq, committed_at, payload FROM change_log
                    WHERE channel = ? AND entity = ? AND key = ? ORDER BY hlc
                    """,
                arguments: [ReplicationChannel.registry.rawValue, Self.householdEntity, key]
            ).map {
                RecordVersion(
                    node: $0["origin"], sequence: $0["origin_seq"], writtenAt: $0["committed_at"],
                    payload: $0["payload"])
            }
        }
    }

    /// The next free household number at `village` (`<village>-000001`, …).
    public func nextHouseholdKey(at village: DivisionCode) async throws -> String {
        try await writer.read { db in
            let last = try String.fetchOne(
                db,
                // Imported households keep their register's number (`-R…`) and are not counted here.
                sql: """
                    SELECT key FROM replica_row WHERE channel = ? AND entity = ?
                    AND key GLOB ? || '-[0-9][0-9][0-9][0-9][0-9][0-9]' ORDER BY key DESC LIMIT 1
                    """,
                arguments: [ReplicationChannel.registry.rawValue, Self.householdEntity, village.digits])
            let number = last.flatMap { Int($0.split(separator: "-").last ?? "") } ?? 0
            return village.digits + "-" + String(format: "%06d", number + 1)
        }
    }

    /// Registry changes logged after `position` (for the indexer), oldest first, with the
    /// current record (nil once deleted) of each household they name, once: one read for a
    /// whole batch instead of one per household.
    ///
    /// `limit` bounds the entries read, households or not, and `lastPosition` is the last of
    /// them: the cursor moves over other entities' entries too. Counting only households, a
    /// cursor followed by 150,000 entries of another kind read all of them again at every commit
    /// and every second at rest, and found nothing.
    public func householdChanges(after position: Int64, limit: Int) async throws -> HouseholdChanges {
        try await writer.read { db in
            // SQLite finds the span and the households in it; Swift sees only the households.
            // Passing over every entry in Swift (a row and its columns looked up by name each)
            // cost a sixth of a relaying county's processor during a backlog of other entities.
            var changes = HouseholdChanges()
            let span = try Row.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT COUNT(*), MAX(position) FROM (
                            SELECT position FROM change_log WHERE channel = ? AND position > ? ORDER BY position LIMIT ?
                        )
                        """),
                arguments: [ReplicationChannel.registry.rawValue, position, limit])
            changes.count = span?[0] ?? 0
            changes.lastPosition = span?[1]
            guard let last = changes.lastPosition else { return changes }
            let rows = try Row.fetchCursor(
                db.cachedStatement(
                    sql: """
                        SELECT c.key, r.payload FROM change_log c
                        LEFT JOIN replica_row r ON r.channel = c.channel AND r.entity = c.entity AND r.key = c.key
                        WHERE c.channel = ? AND c.position > ? AND c.position <= ? AND c.entity = ?
                        ORDER BY c.position
                        """),
                arguments: [ReplicationChannel.registry.rawValue, position, last, Self.householdEntity])
            var seen: Set<String> = []
            while let row = try rows.next() {
                let key: String = row[0]
                if seen.insert(key).inserted { changes.records.append((key, row[1])) }
            }
            return changes
        }
    }

    /// Replaces the index entries of the given households (nil entries remove them), sets
    /// aside the households that could not be indexed (their index rows removed, their reason
    /// kept; see ``SetAsideHousehold``) and moves the indexer's cursor, in one transaction.
    public func index(
        _ entries: [(key: String, entry: HouseholdIndexEntry?)], setAside: [SetAsideHousehold] = [],
        through position: Int64
    ) async throws {
        let entries = entries + setAside.map { (key: $0.key, entry: nil) }
        try await writer.write { db in
            // Cached statements: a batch writes thousands of rows with the same few statements,
            // and preparing each anew cost more than the writes.
            let indexed = try db.cachedStatement(
                sql: "SELECT village, programmes, tags FROM registry_household WHERE key = ?")
            let deletePeople = try db.cachedStatement(sql: "DELETE FROM registry_person WHERE household_key = ?")
            let deleteProgramme = try db.cachedStatement(
                sql: "DELETE FROM registry_programme WHERE programme = ? AND village = ? AND household_key = ?")
            let deleteTag = try db.cachedStatement(
                sql: "DELETE FROM registry_tag WHERE tag = ? AND village = ? AND household_key = ?")
            let deleteHousehold = try db.cachedStatement(sql: "DELETE FROM registry_household WHERE key = ?")
            let insertHousehold = try db.cachedStatement(
                sql: """
                    INSERT INTO registry_household
                        (key, village, member_count, per_capita_income, programmes, tags, oldest_birth, youngest_birth)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            let insertPerson = try db.cachedStatement(
                sql: """
                    INSERT OR REPLACE INTO registry_person
                        (household_key, citizen_id, name, birth_ordinal, next_birth, disability_grade, serious_illness)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """)
            let insertProgramme = try db.cachedStatement(
                sql: "INSERT OR IGNORE INTO registry_programme (programme, village, household_key) VALUES (?, ?, ?)")
            let insertTag = try db.cachedStatement(
                sql: "INSERT OR IGNORE INTO registry_tag (tag, village, household_key) VALUES (?, ?, ?)")
            for (key, entry) in entries.sorted(by: { $0.key < $1.key }) {
                // The household's rows, as its row lists them: a household indexed for the first
                // time costs one lookup, and programme and tag rows go by their whole key, so
                // those tables need no second index by household.
                if let old = try Row.fetchOne(indexed, arguments: [key]) {
                    let village: String = old["village"]
                    try deletePeople.execute(arguments: [key])
                    for programme in (old["programmes"] as String).split(separator: ",") {
                        try deleteProgramme.execute(arguments: [String(programme), village, key])
                    }
                    for tag in (old["tags"] as String).split(separator: ",") {
                        try deleteTag.execute(arguments: [String(tag), village, key])
                    }
                    try deleteHousehold.execute(arguments: [key])
                }
                guard let entry else { continue }
                try insertHousehold.execute(arguments: [
                    key, entry.village, entry.memberCount, entry.perCapitaIncome, entry.programmes, entry.tags,
                    entry.oldestBirth, entry.youngestBirth,
                ])
                for (person, nextBirth) in Self.withNextBirths(entry.people) {
                    try insertPerson.execute(arguments: [
                        key, person.citizenID, person.name, person.birthOrdinal, nextBirth, person.disabilityGrade,
                        person.seriousIllness,
                    ])
                }
                for programme in entry.programmeCodes {
                    try insertProgramme.execute(arguments: [programme, entry.village, key])
                }
                for tag in entry.tagCodes { try insertTag.execute(arguments: [tag, entry.village, key]) }
            }
            let setAsideKeys = Set(setAside.map(\.key))
            try Self.recordSetAside(
                setAside, clearing: entries.lazy.map(\.key).filter { !setAsideKeys.contains($0) }, db)
            try db.execute(
                sql: "INSERT OR REPLACE INTO registry_index_state (id, position) VALUES (1, ?)", arguments: [position])
        }
    }

    /// `next_birth` of the youngest member: later than any birth date.
    static let noNextBirth = 99_999_999

    /// The members as they are stored (a citizen listed twice keeps the last entry, as
    /// `INSERT OR REPLACE` does), each with the birth date of the member after them in birth
    /// order. Of the members born between two dates, exactly one (the youngest of them) has a
    /// next birth after the later date, so an age search counts households by counting members
    /// and needs no DISTINCT.
    static func withNextBirths(_ people: [PersonIndexEntry]) -> [(person: PersonIndexEntry, nextBirth: Int)] {
        var last: [String: Int] = [:]
        for (index, person) in people.enumerated() { last[person.citizenID] = index }
        let stored = people.enumerated().filter { last[$0.element.citizenID] == $0.offset }.map(\.element)
            .sorted { ($0.birthOrdinal, $0.citizenID) < ($1.birthOrdinal, $1.citizenID) }
        return stored.enumerated().map { index, person in
            (person, index + 1 < stored.count ? stored[index + 1].birthOrdinal : noNextBirth)
        }
    }

    /// How far the indexer got; zero resets it (a new policy version changes every profile).
    public func indexPosition() async throws -> Int64 {
        try await writer.read { db in
            try Int64.fetchOne(db, sql: "SELECT position FROM registry_index_state WHERE id = 1") ?? 0
        }
    }

    /// What the indexer has still to do: the household changes logged after its cursor, and
    /// the households it set aside (their records could not be decoded or profiled).
    public func indexState() async throws -> (backlog: Int, setAside: Int) {
        try await writer.read { db in
            let position = try Int64.fetchOne(db, sql: "SELECT position FROM registry_index_state WHERE id = 1") ?? 0
            let backlog =
                try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM change_log WHERE channel = ? AND entity = ? AND position > ?",
                    arguments: [ReplicationChannel.registry.rawValue, Self.householdEntity, position]) ?? 0
            let setAside = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM registry_set_aside") ?? 0
            return (backlog, setAside)
        }
    }

    /// Households matching `query` inside this node's data, with the total count.
    public func searchHouseholds(_ query: RegistryQuery) async throws -> RegistryPage {
        let search = RegistrySearch(query)
        let pageArguments = search.arguments + [max(1, min(query.limit, 500)), max(0, query.offset)]
        // A reader connection of the pool: searches do not wait behind the indexer's writes.
        return try await writer.read { db in
            let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) \(search.body)", arguments: search.arguments) ?? 0
            // The page's keys first, then the rows and records of those households only:
            // reading records in the search itself would scan every payload.
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT h.*, r.payload FROM registry_household h
                    LEFT JOIN replica_row r ON r.channel = 'registry' AND r.entity = 'household' AND r.key = h.key
                    WHERE h.key IN (SELECT \(search.key) \(search.body) ORDER BY \(search.key) LIMIT ? OFFSET ?)
                    ORDER BY h.key
                    """,
                arguments: pageArguments)
            let hits = rows.map { row in
                RegistryPage.Hit(
                    key: row["key"], village: row["village"], memberCount: row["member_count"],
                    perCapitaIncome: row["per_capita_income"],
                    programmes: (row["programmes"] as String).split(separator: ",").map(String.init),
                    tags: (row["tags"] as String).split(separator: ",").map(String.init),
                    payload: row["payload"] ?? "{}")
            }
            return RegistryPage(total: total, hits: hits)
        }
    }

    /// People registered in more than one household among those this node holds.
    public func duplicateRegistrations(limit: Int = 200) async throws -> [DuplicateRegistration] {
        try await writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT citizen_id, group_concat(household_key) AS households FROM registry_person
                    GROUP BY citizen_id HAVING COUNT(DISTINCT household_key) > 1 ORDER BY citizen_id LIMIT ?
                    """,
                arguments: [limit]
            ).map {
                DuplicateRegistration(
                    citizenID: $0["citizen_id"],
                    households: ($0["households"] as String).split(separator: ",").map(String.init).sorted())
            }
        }
    }

    /// The households that list `citizenID` as a member.
    public func households(of citizenID: String) async throws -> [String] {
        try await writer.read { db in
            try String.fetchAll(
                db, sql: "SELECT household_key FROM registry_person WHERE citizen_id = ? ORDER BY household_key",
                arguments: [citizenID])
        }
    }

    /// Programme and tag tables, so that a search for one reads only its households (by
    /// division, too; `index` replaces their rows through the household row's `programmes` and
    /// `tags`), and each member's next birth (see `withNextBirths`), so that an age range
    /// counts households without DISTINCT. The index is rebuilt to fill them.
    static let registryProgrammesAndTags = """
        CREATE TABLE registry_programme (
            programme TEXT NOT NULL,
            village TEXT NOT NULL,
            household_key TEXT NOT NULL,
            PRIMARY KEY (programme, village, household_key)
        ) WITHOUT ROWID;
        CREATE TABLE registry_tag (
            tag TEXT NOT NULL,
            village TEXT NOT NULL,
            household_key TEXT NOT NULL,
            PRIMARY KEY (tag, village, household_key)
        ) WITHOUT ROWID;
        ALTER TABLE registry_person ADD COLUMN next_birth INTEGER NOT NULL DEFAULT 0;
        DROP INDEX registry_person_by_birth;
        CREATE INDEX registry_person_by_birth ON registry_person (birth_ordinal, next_birth);
        DELETE FROM registry_index_state;
        """

    /// Household age bounds for age searches; the index is rebuilt to fill them.
    static let registryAgeBounds = """
        ALTER TABLE registry_household ADD COLUMN oldest_birth INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE registry_household ADD COLUMN youngest_birth INTEGER NOT NULL DEFAULT 0;
        CREATE INDEX registry_household_by_oldest ON registry_household (oldest_birth);
        CREATE INDEX registry_household_by_youngest ON registry_household (youngest_birth);
        DELETE FROM registry_index_state;
        """

    /// The registry index tables: derived data, rebuilt from the records whenever needed.
    static let registrySchema = """
        CREATE TABLE registry_household (
            key TEXT PRIMARY KEY,
            village TEXT NOT NULL,
            member_count INTEGER NOT NULL,
            per_capita_income INTEGER NOT NULL,
            programmes TEXT NOT NULL,
            tags TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX registry_household_by_village ON registry_household (village);
        CREATE INDEX registry_household_by_income ON registry_household (per_capita_income);
        CREATE TABLE registry_person (
            household_key TEXT NOT NULL,
            citizen_id TEXT NOT NULL,
            name TEXT NOT NULL,
            birth_ordinal INTEGER NOT NULL,
            disability_grade INTEGER,
            serious_illness INTEGER NOT NULL,
            PRIMARY KEY (household_key, citizen_id)
        ) WITHOUT ROWID;
        CREATE INDEX registry_person_by_citizen ON registry_person (citizen_id);
        CREATE INDEX registry_person_by_birth ON registry_person (birth_ordinal);
        CREATE INDEX registry_person_by_grade ON registry_person (disability_grade) WHERE disability_grade IS NOT NULL;
        CREATE INDEX registry_person_by_illness ON registry_person (serious_illness) WHERE serious_illness = 1;
        CREATE TABLE registry_index_state (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            position INTEGER NOT NULL
        );
        """
}
