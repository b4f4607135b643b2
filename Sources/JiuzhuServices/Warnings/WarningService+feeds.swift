import Foundation
import JiuzhuDomain
import JiuzhuPolicy
import JiuzhuRegistry
import JiuzhuStorage

extension WarningService {
    /// What importing a department file did.
    public struct FeedImported: Sendable, Codable, Equatable {
        public let feed: DepartmentFeed
        public let records: Int
        public let added: Int
        public let changed: Int
        /// Records held already with the same content: nothing was done for them.
        public let unchanged: Int
        /// New or changed records about a person some registered household lists.
        public let matched: Int
        public let raised: Raised
        /// What was done, in a sentence.
        public let message: String
    }

    /// Imports department records at the city: stores them (a record held with the same content
    /// is left alone, so a file imported twice changes nothing), runs the rules on the new and
    /// changed ones about registered people and raises their warnings. The records and their
    /// audit entry commit together; the warnings follow in batches, and records whose rules
    /// have not run when the node stops are taken up by the next sweep.
    ///
    /// Refused, writing nothing: at any node but the city, a record of another feed, and while
    /// the city has no policy with warning rules (``context()``).
    public func importFeed(
        _ records: [FeedRecord], feed: DepartmentFeed, source: String, by actor: AuditActor,
        progress: (@Sendable (Int) -> Void)? = nil
    ) async throws -> FeedImported {
        guard node.level == .city else {
            throw InputError(field: "feed", "部门数据由市级节点接收；本节点是\(node.level.shortName)级节点")
        }
        if let other = records.first(where: { $0.feed != feed }) {
            throw InputError(
                field: "feed", "记录 \(other.recordID) 属于“\(other.feed.chineseName)”，不是“\(feed.chineseName)”")
        }
        // The rules must be able to run before anything is stored: a record stored without
        // them would wait for a sweep that cannot run either.
        _ = try await context()
        let stored = Self.stored(records)
        let count = records.count
        let known = Dictionary(zip(stored.map(\.contentHash), records), uniquingKeysWith: { first, _ in first })
        // While the records are written (the writer keeps one core busy), the households they
        // name are read and decoded on the other; used only if nothing they were read from
        // changed meanwhile.
        let inputs = try await store.ruleInputsPosition()
        async let ahead = self.concernedHouseholds(
            for: stored.prefix(Self.readAhead), reads: RecordReads(decoded: known))
        let outcome = try await store.store(
            stored,
            audit: { outcome in
                AuditRecord(
                    actor: actor.name, role: actor.role, action: "feeds.import", target: feed.rawValue,
                    outcome: .allowed,
                    detail:
                        "导入\(feed.chineseName) \(count) 条（\(source)）：新增 \(outcome.added.count)，变更 \(outcome.changed.count)，未变 \(outcome.unchanged)"
                )
            }, progress: progress)
        let (households, aheadReads) = try await ahead
        var reads = aheadReads
        if try await store.ruleInputsPosition() == inputs { reads.ahead = households }
        let (matched, raised) = try await evaluate(outcome.pending, reads: reads)
        let message =
            "已导入\(feed.chineseName) \(count) 条：新增 \(outcome.added.count) 条，变更 \(outcome.changed.count) 条，与已有记录相同 \(outcome.unchanged) 条；"
            + "其中 \(matched) 条与登记家庭的成员相符，新发预警 \(raised.new) 条，更新 \(raised.updated) 条，重新下发 \(raised.raisedAgain) 条。"
        return FeedImported(
            feed: feed, records: count, added: outcome.added.count, changed: outcome.changed.count,
            unchanged: outcome.unchanged, matched: matched, raised: raised, message: message)
    }

    /// The records as the city stores them, encoded and hashed on every core.
    static func stored(_ records: [FeedRecord]) -> [StoredFeedRecord] {
        records.concurrentMap { stored($0) }
    }

    /// The record as the city stores it: its canonical JSON and that text's hash.
    static func stored(_ record: FeedRecord) -> StoredFeedRecord {
        // Encoded once: `contentHash` would encode the record again.
        let payload = record.canonicalJSON()
        return StoredFeedRecord(
            feed: record.feed.rawValue, recordID: record.recordID, citizenID: record.citizenID.uppercased(),
            date: record.date.ordinal, payload: payload, contentHash: PolicyDocument.contentHash(Array(payload.utf8)))
    }

    /// How many records one transaction of warnings covers; the first covers a fifth as many,
    /// so that warnings start being written while the next batch's rules run.
    static let evaluationBatch = 5_000

    /// `records` in evaluation batches: a small one first, then ``evaluationBatch`` each.
    static func evaluationBatches<Element>(_ records: [Element]) -> [ArraySlice<Element>] {
        let first = min(records.count, evaluationBatch / 5)
        return [records[..<first]]
            + stride(from: first, to: records.count, by: evaluationBatch).map {
                records[$0..<min($0 + evaluationBatch, records.count)]
            }
    }

    /// How many of an import's records have their households read ahead, while they are
    /// stored: about a tenth of them name a registered person, whose household is kept decoded.
    static let readAhead = 200_000

    /// Runs the rules on stored records and raises their warnings, marking the records done;
    /// returns how many matched a registered person and what was raised. `reads` may hold
    /// records already decoded (an import's own) and households read ahead.
    func evaluate(_ records: [StoredFeedRecord], reads: RecordReads = RecordReads()) async throws -> (
        matched: Int, raised: Raised
    ) {
        guard !records.isEmpty else { return (0, Raised()) }
        let (context, current) = try await context()
        var matched = 0
        var raised = Raised()
        // The next batch's rules run while this batch's warnings are written: the one is
        // work for the cores, the other mostly waits for the disk.
        let batches = Self.evaluationBatches(records)
        var next = draftTask(for: batches[0], context: context, reads: reads)
        defer { next.cancel() }
        for (index, batch) in batches.enumerated() {
            let (found, drafts, reads) = try await next.value
            if index + 1 < batches.count {
                next = draftTask(for: batches[index + 1], context: context, reads: reads)
            }
            matched += found
            raised =
                raised
                + (try await raise(
                    drafts, evaluated: batch.map { ($0.feed, $0.recordID) }, context: context, current: current))
        }
        return (matched, raised)
    }

    /// Drafts `batch` in a task of its own, handing back what it read for the next batch.
    private func draftTask(for batch: ArraySlice<StoredFeedRecord>, context: WarningContext, reads: RecordReads)
        -> Task<(matched: Int, drafts: [WarningDraft], reads: RecordReads), any Error>
    {
        Task {
            var reads = reads
            let (matched, drafts) = try await self.drafts(for: batch, context: context, reads: &reads)
            return (matched, drafts, reads)
        }
    }

    /// What one pass over records keeps between batches: each village's decisions by
    /// household, records decoded by content hash, and the households read ahead.
    struct RecordReads: Sendable {
        var decisions: [DivisionCode: [String: [CaseSummaryRow]]] = [:]
        var decoded: [String: FeedRecord] = [:]
        var ahead: ConcernedHouseholds?

        mutating func record(_ stored: StoredFeedRecord) -> FeedRecord? {
            if let record = decoded[stored.contentHash] { return record }
            let record = try? JSONDecoder().decode(FeedRecord.self, from: Data(stored.payload.utf8))
            decoded[stored.contentHash] = record
            return record
        }
    }

    /// The warnings the record rules find for `batch`, and how many of its records are about a
    /// registered person.
    ///
    /// Set-wise: one read finds the households listing anyone in the batch (most people a
    /// department reports are in none), and one more the records held about their members.
    /// Only the households some rule could concern are decoded: what each receives is known
    /// from the registry index and the decisions (``FeedRules/mayConcern(_:receiving:)``). A
    /// household whose new enrolment the index has not taken in yet is the household pass's,
    /// as is one the index does not list yet.
    func drafts(for batch: some Collection<StoredFeedRecord>, context: WarningContext, reads: inout RecordReads)
        async throws -> (matched: Int, drafts: [WarningDraft])
    {
        // Read ahead for these people, the households stand; a person listed since (the
        // record waits for its rules because someone lists them) is read again.
        let concerned: ConcernedHouseholds
        if let ahead = reads.ahead,
            batch.allSatisfy({ ahead.people.contains($0.citizenID) && ahead.listed.byPerson[$0.citizenID] != nil })
        {
            concerned = ahead
        } else {
            concerned = try await concernedHouseholds(for: batch, reads: &reads)
        }
        let (listed, households) = (concerned.listed, concerned.households)
        let matched = batch.count(where: { listed.byPerson[$0.citizenID] != nil && reads.record($0) != nil })
        guard matched > 0 else { return (0, []) }
        let members = Set(households.values.flatMap { $0.record.members.map { $0.citizenID.uppercased() } })
        var held: [String: [FeedRecord]] = [:]
        for stored in try await store.feedRecords(about: Array(members), feeds: []) {
            if let record = reads.record(stored) { held[stored.citizenID, default: []].append(record) }
        }
        var subjects: [RuleSubject] = []
        for stored in batch {
            let found = (listed.byPerson[stored.citizenID] ?? []).compactMap { households[$0] }
            guard !found.isEmpty, let record = reads.record(stored) else { continue }
            for household in found {
                // In the order the store gives them: by person, then day, feed and number.
                let related = Set(household.record.members.map { $0.citizenID.uppercased() }).sorted()
                    .flatMap { held[$0] ?? [] }
                subjects.append(RuleSubject(record: record, household: household, related: related))
            }
        }
        return (matched, Self.drafts(for: subjects, context: context))
    }

    /// The households listing some of a set of people that a rule could concern, decoded.
    struct ConcernedHouseholds: Sendable {
        /// Whom the households were read for.
        let people: Set<String>
        let listed: ListedHouseholds
        let households: [String: HouseholdFacts]
    }

    /// The households listing the people of `records`, those some rule of a record about them
    /// could concern decoded on every core.
    func concernedHouseholds(for records: some Collection<StoredFeedRecord>, reads: inout RecordReads)
        async throws -> ConcernedHouseholds
    {
        let people = Set(records.map(\.citizenID))
        let listed = try await store.households(listing: Array(people))
        var concerned: Set<String> = []
        for stored in records {
            guard let keys = listed.byPerson[stored.citizenID], let record = reads.record(stored) else { continue }
            for key in keys where !concerned.contains(key) {
                guard let indexed = listed.indexed[key], let village = try? DivisionCode(indexed.village) else {
                    concerned.insert(key)
                    continue
                }
                let received = try await received(
                    by: key, village: village, enrolled: indexed.enrolled, decisions: &reads.decisions)
                if FeedRules.mayConcern(record, receiving: received) { concerned.insert(key) }
            }
        }
        var households: [String: HouseholdFacts] = [:]
        for (key, record) in Self.households(listed.payloads.filter { concerned.contains($0.key) }) {
            households[key] = try await householdFacts(key, record, decisions: &reads.decisions)
        }
        return ConcernedHouseholds(people: people, listed: listed, households: households)
    }

    /// ``concernedHouseholds(for:reads:)`` for an import's records, read while they are stored.
    func concernedHouseholds(for records: some Collection<StoredFeedRecord> & Sendable, reads: RecordReads)
        async throws -> (households: ConcernedHouseholds, reads: RecordReads)
    {
        var reads = reads
        return (try await concernedHouseholds(for: records, reads: &reads), reads)
    }

    /// A record, a household listing its person, and every record held about the household's members.
    struct RuleSubject: Sendable {
        let record: FeedRecord
        let household: HouseholdFacts
        let related: [FeedRecord]
    }

    /// The record rules run for each subject, on every core (the wage rule runs the calculator).
    static func drafts(for subjects: [RuleSubject], context: WarningContext) -> [WarningDraft] {
        subjects.concurrentMap(minimumSlice: 200) {
            FeedRules.drafts(for: $0.record, in: [$0.household], related: $0.related, context: context)
        }.flatMap { $0 }
    }

    /// The households of `payloads` (by key) that can be read, decoded on every core.
    static func households(_ payloads: [String: String]) -> [(key: String, record: HouseholdRecord)] {
        Array(payloads).concurrentMap(minimumSlice: 200) { key, payload in
            (try? HouseholdRecord(json: Data(payload.utf8))).map { (key, $0) }
        }.compactMap { $0 }
    }

    /// Runs the record rules again for the households that arrived or changed since the last
    /// pass and whose members some record names: a record received before its household
    /// reached the city raises its warning when the household comes.
    func evaluateChangedHouseholds() async throws -> Raised {
        var raised = Raised()
        var reads = RecordReads()
        while true {
            let cursor = try await store.householdCursor()
            let (keys, through) = try await store.householdsWithRecords(changedAfter: cursor, limit: 5_000)
            guard let through else { break }
            if !keys.isEmpty {
                let (context, current) = try await context()
                var drafts: [WarningDraft] = []
                for key in keys {
                    guard let stored = try await registry.household(key),
                        let record = try? HouseholdRecord(json: Data(stored.payload.utf8))
                    else { continue }
                    let household = try await householdFacts(key, record, decisions: &reads.decisions)
                    let related = try await store.feedRecords(
                        about: household.record.members.map { $0.citizenID.uppercased() }, feeds: []
                    ).compactMap { reads.record($0) }
                    for record in related {
                        drafts += FeedRules.drafts(for: record, in: [household], related: related, context: context)
                    }
                }
                raised = raised + (try await raise(drafts, context: context, current: current))
            }
            try await store.setHouseholdCursor(through)
        }
        return raised
    }

    /// The household `key` with what it receives; `decisions` keeps each village's decisions,
    /// by household, once read.
    func householdFacts(
        _ key: String, _ record: HouseholdRecord, decisions: inout [DivisionCode: [String: [CaseSummaryRow]]]
    ) async throws -> HouseholdFacts {
        HouseholdFacts(
            record: record,
            received: try await received(
                by: key, village: record.village, enrolled: record.enrolments.map(\.rawValue), decisions: &decisions))
    }

    /// What household `key` of `village` receives, its record enrolling it in `enrolled`;
    /// `decisions` keeps each village's decisions, by household, once read.
    func received(
        by key: String, village: DivisionCode, enrolled: [String],
        decisions: inout [DivisionCode: [String: [CaseSummaryRow]]]
    ) async throws -> [Programme] {
        if decisions[village] == nil {
            decisions[village] = Dictionary(
                grouping: try await cases.store.decisions(village: village), by: { $0.household ?? "" })
        }
        let ledger = RecipientLedger(
            enrolments: enrolled.map { EnrolmentFact(household: key, village: village.digits, programme: $0) },
            decisions: decisions[village]?[key] ?? [])
        return ledger.received(by: key)
    }
}
