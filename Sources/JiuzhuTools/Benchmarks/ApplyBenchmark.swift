import Foundation
import JiuzhuDomain
import JiuzhuFederation
import JiuzhuStorage

/// `jiuzhu bench apply`: what one hop costs per change without a network, step by step, in
/// this process: three counties commit the federation benchmark's ingest changes, read them
/// from their logs as their push loops do and write the binary push bodies; the city decodes
/// each body, admits it and applies it, as its push endpoint does.
///
/// Every hop of the federation pays the reading, the decoding and the applying, so their sum
/// bounds how fast a backlog drains through a hop on one core.
public struct ApplyBenchmark: Sendable {
    /// Changes each county commits.
    public let changesPerCounty: Int
    let say: @Sendable (String) -> Void

    public init(changesPerCounty: Int, say: @escaping @Sendable (String) -> Void) {
        self.changesPerCounty = changesPerCounty
        self.say = say
    }

    /// Microseconds per change of each step.
    public struct Figures: Sendable {
        public var commit = 0.0
        public var readAndEncode = 0.0
        public var decodeAndAdmit = 0.0
        public var apply = 0.0
    }

    public func run() async throws -> Figures {
        let folder = FileManager.default.temporaryDirectory.appending(path: "jiuzhu-bench-apply-\(getpid())")
        try? FileManager.default.removeItem(at: folder)
        defer { try? FileManager.default.removeItem(at: folder) }
        let topology = try Self.topology()
        let city = topology.root
        let counties = topology.children(of: city.code)
        var figures = Figures()
        let total = Double(changesPerCounty * counties.count)
        func perChange(_ duration: Duration) -> Double { BenchMeasure.seconds(duration) * 1e6 / total }

        var databases: [NodeDatabase] = []
        var elapsed = Duration.zero
        for county in counties {
            let database = try NodeDatabase.open(
                in: folder.appending(path: county.code.digits),
                for: .init(code: county.code, name: county.name, role: county.role))
            let transactions = FederationBenchmark.registryChanges(
                count: changesPerCounty, at: county, prefix: "ingest")
            let started = ContinuousClock.now
            _ = try await FederationBenchmark.commit(transactions, into: database)
            elapsed += ContinuousClock.now - started
            databases.append(database)
        }
        figures.commit = perChange(elapsed)

        // The counties' batches, interleaved as their pushes reach the city.
        var bodies: [[[UInt8]]] = []
        elapsed = .zero
        for database in databases {
            let started = ContinuousClock.now
            var batches: [[UInt8]] = []
            var after: Int64 = 0
            while let read = try await database.changeLog.recordsToPushUp(
                channel: .registry, after: after, limit: FederationProtocol.pushBatchSize,
                byteLimit: FederationProtocol.pushBatchBytes)
            {
                batches.append(BinaryBatches.push(channel: .registry, records: read.records))
                after = read.last
            }
            elapsed += ContinuousClock.now - started
            bodies.append(batches)
        }
        figures.readAndEncode = perChange(elapsed)

        let cityDatabase = try NodeDatabase.open(
            in: folder.appending(path: city.code.digits), for: .init(code: city.code, name: city.name, role: city.role))
        var (decoding, applying) = (Duration.zero, Duration.zero)
        for round in 0..<(bodies.map(\.count).max() ?? 0) {
            for (county, batches) in zip(counties, bodies) where round < batches.count {
                let started = ContinuousClock.now
                // As the city's endpoint reads a body: where it lies, keeping no copy to forward.
                let (channel, changes, _) = try batches[round].withUnsafeBufferPointer { body in
                    try BinaryBatches.decodePush(body, keepingRecords: false)
                }
                let request = PushRequest(channel: channel, changes: changes)
                try BatchAdmission.checkPush(request, from: county.code, to: city, in: topology)
                let decoded = ContinuousClock.now
                _ = try await cityDatabase.changeLog.applyFromChild(changes, channel: channel)
                decoding += decoded - started
                applying += ContinuousClock.now - decoded
            }
        }
        figures.decodeAndAdmit = perChange(decoding)
        figures.apply = perChange(applying)
        let sum = figures.readAndEncode + figures.decodeAndAdmit + figures.apply
        say(
            "每条变更耗时（微秒，\(Int(total)) 条，3 个县）：县级提交 \(BenchMeasure.format(figures.commit))；"
                + "读日志并编码 \(BenchMeasure.format(figures.readAndEncode))；市级解码并准入 \(BenchMeasure.format(figures.decodeAndAdmit))；"
                + "市级应用 \(BenchMeasure.format(figures.apply))（进程内上限 \(BenchMeasure.format(1e6 / figures.apply, digits: 0)) 条/秒）；"
                + "一跳合计 \(BenchMeasure.format(sum))，即单核每秒 \(BenchMeasure.format(1e6 / sum, digits: 0)) 条")
        return figures
    }

    /// The city and the federation benchmark's three counties; nothing listens.
    static func topology() throws -> Topology {
        var port = 0
        func node(_ code: String, _ name: String, _ role: NodeRole, _ parent: String?) throws -> TopologyNode {
            port += 2
            return TopologyNode(
                code: try DivisionCode(code), name: name, role: role, parent: try parent.map(DivisionCode.init),
                federation: ListenAddress("127.0.0.1:\(port)")!, operator: ListenAddress("127.0.0.1:\(port + 1)")!)
        }
        return try Topology(
            name: "bench-apply",
            nodes: [
                try node("321200", "泰州市", .city, nil), try node("321281", "兴化市", .county, "321200"),
                try node("321282", "靖江市", .county, "321200"), try node("321283", "泰兴市", .county, "321200"),
            ])
    }
}
