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
    /// changed ones and raises their warnings. The records and their audit entry commit
    /// together; the warnings follow in batches, and records whose rules have not run when the
    /// node stops are taken up by the next sweep.
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
        let stored = records.map(Self.stored)
        let count = records.count
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
        let (matched, raised) = try await evaluate(outcome.added + outcome.changed)
        let message =
            "已导入\(feed.chineseName) \(count) 条：新增 \(outcome.added.count) 条，变更 \(outcome.changed.count) 条，与已有记录相同 \(outcome.unchanged) 条；"
            + "其中 \(matched) 条与登记家庭的成员相符，新发预警 \(raised.new) 条，更新 \(raised.updated) 条，重新下发 \(raised.raisedAgain) 条。"
        return FeedImported(
            feed: feed, records: count, added: outcome.added.count, changed: outcome.changed.count,
            unchanged: outcome.unchanged, matched: matched, raised: raised, message: message)
    }

    /// The record as the city stores it: its canonical JSON and that text's hash.
    static func stored(_ record: FeedRecord) -> StoredFeedRecord {
        // Encoded once: `contentHash` would encode the record again.
        let payload = record.canonicalJSON()
        return StoredFeedRecord(
            feed: record.feed.rawValue, recordID: record.recordID, citizenID: record.citizenID.uppercased(),
            date: record.date.ordinal, payload: payload, contentHash: PolicyDocument.contentHash(Array(payload.utf8)))
    }

    /// How many records one transaction of warnings covers.
    static let evaluationBatch = 500

    /// Runs the rules on stored records and raises their warnings, marking the records done;
    /// returns how many matched a registered person and what was raised.
    func evaluate(_ records: [StoredFeedRecord]) async throws -> (matched: Int, raised: Raised) {
        guard !records.isEmpty else { return (0, Raised()) }
        let (context, current) = try await context()
        var matched = 0
        var raised = Raised()
        var reads = RecordReads()
        for start in stride(from: 0, to: records.count, by: Self.evaluationBatch) {
            let batch = records[start..<min(start + Self.evaluationBatch, records.count)]
            let (found, drafts) = try await drafts(for: batch, context: context, reads: &reads)
            matched += found
            raised =
                raised
                + (try await raise(
                    drafts, evaluated: batch.map { ($0.feed, $0.recordID) }, context: context, current: current))
        }
        return (matched, raised)
    }

    /// What one pass over records has read once: each village's decisions, each person's
    /// households, each household's records.
    struct RecordReads {
        var decisions: [DivisionCode: [CaseSummaryRow]] = [:]
        var householdsByPerson: [String: [HouseholdFacts]] = [:]
        var relatedByHousehold: [String: [FeedRecord]] = [:]
    }

    /// The warnings the record rules find for `batch`, and how many of its records are about a
    /// registered person.
    func drafts(for batch: some Collection<StoredFeedRecord>, context: WarningContext, reads: inout RecordReads)
        async throws -> (matched: Int, drafts: [WarningDraft])
    {
        var matched = 0
        var drafts: [WarningDraft] = []
        // Most people a department reports are in no registered household: one query finds
        // those who are, and only their records are read further.
        let listed = try await store.households(listing: batch.map(\.citizenID))
        for stored in batch {
            guard let keys = listed[stored.citizenID], let record = Self.decoded(stored) else { continue }
            if reads.householdsByPerson[stored.citizenID] == nil {
                var facts: [HouseholdFacts] = []
                for key in keys {
                    if let household = try await householdFacts(key, decisions: &reads.decisions) {
                        facts.append(household)
                    }
                }
                reads.householdsByPerson[stored.citizenID] = facts
            }
            let households = reads.householdsByPerson[stored.citizenID] ?? []
            guard !households.isEmpty else { continue }
            matched += 1
            for household in households {
                let key = household.record.id
                if reads.relatedByHousehold[key] == nil {
                    reads.relatedByHousehold[key] = try await store.feedRecords(
                        about: household.record.members.map { $0.citizenID.uppercased() }, feeds: []
                    ).compactMap(Self.decoded)
                }
                drafts += FeedRules.drafts(
                    for: record, in: [household], related: reads.relatedByHousehold[key] ?? [], context: context)
            }
        }
        return (matched, drafts)
    }

    static func decoded(_ stored: StoredFeedRecord) -> FeedRecord? {
        try? JSONDecoder().decode(FeedRecord.self, from: Data(stored.payload.utf8))
    }

    /// Runs the record rules again for the households that arrived or changed since the last
    /// pass and whose members some record names: a record received before its household
    /// reached the city raises its warning when the household comes.
    func evaluateChangedHouseholds() async throws -> Raised {
        var raised = Raised()
        var decisions: [DivisionCode: [CaseSummaryRow]] = [:]
        while true {
            let cursor = try await store.householdCursor()
            let (keys, through) = try await store.householdsWithRecords(changedAfter: cursor, limit: 5_000)
            guard let through else { break }
            if !keys.isEmpty {
                let (context, current) = try await context()
                var drafts: [WarningDraft] = []
                for key in keys {
                    guard let household = try await householdFacts(key, decisions: &decisions) else { continue }
                    let related = try await store.feedRecords(
                        about: household.record.members.map { $0.citizenID.uppercased() }, feeds: []
                    ).compactMap(Self.decoded)
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

    /// The household `key` with what it receives, or nil when the node does not hold it;
    /// `decisions` keeps each village's decisions once read.
    func householdFacts(_ key: String, decisions: inout [DivisionCode: [CaseSummaryRow]]) async throws
        -> HouseholdFacts?
    {
        guard let stored = try await registry.household(key),
            let record = try? HouseholdRecord(json: Data(stored.payload.utf8))
        else { return nil }
        if decisions[record.village] == nil {
            decisions[record.village] = try await cases.store.decisions(village: record.village)
        }
        let ledger = RecipientLedger(
            enrolments: record.enrolments.map {
                EnrolmentFact(household: key, village: record.village.digits, programme: $0.rawValue)
            },
            decisions: (decisions[record.village] ?? []).filter { $0.household == key })
        return HouseholdFacts(record: record, received: ledger.received(by: key))
    }
}
