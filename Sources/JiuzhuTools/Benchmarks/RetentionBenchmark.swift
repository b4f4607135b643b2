import Foundation
import JiuzhuDomain
import JiuzhuFederation
import JiuzhuStorage

/// `jiuzhu bench retention`: a week of the city's registry traffic, applied day by day to two
/// city databases on disk, one pruning its change log every simulated night (entries older
/// than `retentionDays`), the other keeping every entry; their file sizes after each day.
///
/// Each day, the three counties push `updatesPerDay` new versions of each of their
/// `households / 3` rows (about 600 bytes of JSON each), in batches of 5,000, as pushes
/// arrive. The city has no parent, and the registry does not flow down, so nothing but the
/// age holds an entry; the entity is not `household`, so no index holds one either.
public struct RetentionBenchmark: Sendable {
    public let households: Int
    public let updatesPerDay: Int
    public let days: Int
    public let retentionDays: Double
    let say: @Sendable (String) -> Void

    public init(
        households: Int, updatesPerDay: Int, days: Int, retentionDays: Double, say: @escaping @Sendable (String) -> Void
    ) {
        self.households = households
        self.updatesPerDay = updatesPerDay
        self.days = days
        self.retentionDays = retentionDays
        self.say = say
    }

    /// Both databases' sizes (database file and write-ahead log, in bytes) after one day.
    public struct Day: Sendable {
        public let day: Int
        public let changes: Int
        public let keptBytes: Int64
        public let prunedBytes: Int64
        public let prunedEntries: Int
    }

    public func run() async throws -> [Day] {
        let folder = FileManager.default.temporaryDirectory.appending(path: "jiuzhu-retention-\(getpid())")
        try? FileManager.default.removeItem(at: folder)
        defer { try? FileManager.default.removeItem(at: folder) }
        let city = NodeDatabase.Owner(code: try DivisionCode("321200"), name: "泰州市", role: .city)
        let counties = try ["321281", "321282", "321283"].map { try DivisionCode($0) }
        var sequences = [DivisionCode: Int64]()
        var results: [Day] = []
        var changes = 0
        say("\(days) 天，每天 \(households) 行各更新 \(updatesPerDay) 次；保留 \(retentionDays) 天的库每晚清理一次，另一库不清理。")
        for day in 0..<days {
            // Each simulated day runs on a clock that many days before today's.
            let clock = NodeClock.system.offset(by: -Int64(days - day) * 86_400_000)
            var batches: [[Change]] = []
            for update in 0..<updatesPerDay {
                for county in counties {
                    var batch: [Change] = []
                    for index in 0..<(households / counties.count) {
                        let sequence = sequences[county, default: 0] + 1
                        sequences[county] = sequence
                        batch.append(
                            Change(
                                origin: county, originSequence: sequence,
                                clock: HybridLogicalClock(milliseconds: clock.now(), counter: 0), channel: .registry,
                                entity: FederationBenchmark.benchmarkEntity, key: "\(county.digits)-\(index)",
                                jurisdiction: county,
                                payload: Self.payload(index: index, day: day, update: update)))
                        if batch.count == FederationProtocol.pushBatchSize {
                            batches.append(batch)
                            batch = []
                        }
                    }
                    if !batch.isEmpty { batches.append(batch) }
                }
            }
            changes += batches.reduce(0) { $0 + $1.count }
            var sizes: [Int64] = []
            var prunedEntries = 0
            for pruning in [false, true] {
                let directory = folder.appending(path: pruning ? "pruned" : "kept")
                let database = try NodeDatabase.open(in: directory, for: city, clock: clock)
                for batch in batches { _ = try await database.changeLog.applyFromChild(batch, channel: .registry) }
                if pruning {
                    let cutoff = clock.now() - Int64(retentionDays * 86_400_000)
                    prunedEntries = try await database.changeLog.prune(
                        committedBefore: cutoff, parent: nil, children: counties
                    ).pruned
                }
                // What the database takes, not what its write-ahead log happens to hold.
                _ = try await database.checkpoint(truncating: true)
                try database.close()
                sizes.append(Self.bytes(in: directory))
            }
            let result = Day(
                day: day + 1, changes: changes, keptBytes: sizes[0], prunedBytes: sizes[1], prunedEntries: prunedEntries
            )
            results.append(result)
            say(
                "第 \(result.day) 天：累计 \(changes) 条变更；不清理 \(Self.megabytes(result.keptBytes)) MB，"
                    + "清理后 \(Self.megabytes(result.prunedBytes)) MB（本晚清理 \(prunedEntries) 条）")
        }
        return results
    }

    /// A household-sized record: about 600 bytes of JSON.
    static func payload(index: Int, day: Int, update: Int) -> String {
        let members = (0..<4).map { member in
            #"{"name":"成员\#(member)","citizenID":"3212811980010\#(String(format: "%05d", index % 100_000))","#
                + #""relation":"\#(member == 0 ? "户主" : "家属")","incomeFen":\#((index + day * 7 + update) * 100 + member)}"#
        }
        return #"{"day":\#(day),"update":\#(update),"members":[\#(members.joined(separator: ","))]}"#
    }

    static func bytes(in directory: URL) -> Int64 {
        let files =
            (try? FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: [.fileSizeKey]))
            ?? []
        return files.reduce(0) { total, file in
            total + Int64((try? file.resourceValues(forKeys: [.fileSizeKey]).fileSize) ?? 0)
        }
    }

    static func megabytes(_ bytes: Int64) -> String { BenchMeasure.format(Double(bytes) / 1_048_576, digits: 1) }
}
