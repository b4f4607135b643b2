import Foundation
import Hummingbird
import JiuzhuDomain
import JiuzhuStorage
import Prometheus

/// What a node tells Prometheus at `/metrics`: its HTTP traffic; for each replication channel
/// and peer the backlog, the age of the oldest change waiting, the last success, whether the
/// channel is blocked, the changes applied and the batches refused; the link to the parent and
/// each child's last hello with the backlog it reported; and the registry index's backlog and
/// the households it set aside.
///
/// Every family has help text and every counter ends in `_total`, so `promtool check metrics`
/// has nothing to say. Every label takes its values from a closed set (the channels, the peers
/// the topology names, a few methods and status classes): no request can add a time series.
///
/// ```swift
/// let metrics = NodeMetrics(node: node, topology: topology, database: database)
/// let text = String(decoding: await metrics.exposition(), as: UTF8.self)
/// ```
public final class NodeMetrics: Sendable {
    /// The families, emitted by ``exposition()``.
    let registry = PrometheusCollectorRegistry()
    let node: TopologyNode
    let parent: TopologyNode?
    let children: [TopologyNode]
    let database: NodeDatabase

    public init(node: TopologyNode, topology: Topology, database: NodeDatabase) {
        self.node = node
        self.parent = topology.parent(of: node.code)
        self.children = topology.children(of: node.code)
        self.database = database
    }

    // MARK: Events, counted as they happen

    /// One request answered by the listener `server` ("operator" or "federation").
    public func answered(server: String, method: HTTPRequest.Method, status: HTTPResponse.Status, seconds: Double) {
        let labels = [("server", server), ("method", Self.methodLabel(method)), ("status", "\(status.code / 100)xx")]
        registry.makeCounter(descriptor: Self.requests, labels: labels).increment()
        registry.makeValueHistogram(
            descriptor: Self.requestSeconds, labels: [("server", server)], buckets: Self.secondsBuckets
        ).record(seconds)
    }

    /// A batch from `peer` applied on `channel`, `new` of its changes new here: pushed up by a
    /// child, or pulled down from the parent. A batch new here as a whole also gives each
    /// change's lag: the time from its commit at its origin to now, by the two wall clocks (so
    /// off by their difference; a change stamped ahead of this clock counts as no lag).
    public func applied(_ changes: [Change], new: Int, channel: ReplicationChannel, from peer: DivisionCode) {
        guard new > 0, isNeighbour(peer) else { return }
        let direction: LinkDirection = peer == parent?.code ? .down : .up
        registry.makeCounter(descriptor: Self.appliedChanges, labels: linkLabels(channel, peer, direction))
            .increment(by: Int64(new))
        guard new == changes.count else { return }
        let lag = registry.makeValueHistogram(
            descriptor: Self.lag, labels: [("channel", channel.rawValue)], buckets: Self.lagBuckets)
        let now = database.wallClock.now()
        for change in changes { lag.record(Double(max(0, now - change.clock.milliseconds)) / 1000) }
    }

    /// A batch or request from `peer` refused (on security grounds or as malformed); a peer the
    /// topology does not name is counted as `other`.
    public func refused(from peer: DivisionCode?) {
        let known = peer.flatMap { isNeighbour($0) ? $0.digits : nil }
        registry.makeCounter(descriptor: Self.refusedBatches, labels: [("peer", known ?? "other")]).increment()
    }

    /// A department's request to the feed endpoint refused, by the refusal's code.
    public func feedRefused(_ code: FederationRefusal.Code) {
        registry.makeCounter(descriptor: Self.refusedFeeds, labels: [("code", code.rawValue)]).increment()
    }

    // MARK: State, read from the database before each scrape

    /// Every family in Prometheus's text format, the gauges read afresh.
    public func exposition() async -> [UInt8] {
        await refresh()
        return registry.emitToBuffer()
    }

    /// Sets every gauge from the database; a read that fails leaves the gauges as they were.
    func refresh() async {
        let now = database.wallClock.date()
        if let parent {
            for channel in ReplicationChannel.upward {
                guard let backlog = try? await database.changeLog.upwardBacklog(parent: parent.code, channel: channel)
                else { continue }
                let labels = linkLabels(channel, parent.code, .up)
                registry.makeGauge(descriptor: Self.backlog, labels: labels).set(Int64(backlog.count))
                registry.makeGauge(descriptor: Self.oldestAge, labels: labels).set(
                    backlog.oldestCommittedAt.map { max(0, now.timeIntervalSince($0)) } ?? 0)
            }
        }
        if let states = try? await database.changeLog.linkStates() {
            for state in states where isNeighbour(state.peer) {
                let labels = linkLabels(state.channel, state.peer, state.direction)
                registry.makeGauge(descriptor: Self.blocked, labels: labels).set(Int64(state.lastError == nil ? 0 : 1))
                if let success = state.lastSuccessAt {
                    registry.makeGauge(descriptor: Self.lastSuccess, labels: labels).set(success.timeIntervalSince1970)
                }
            }
        }
        if let contacts = try? await database.changeLog.peerContacts() {
            for contact in contacts where isNeighbour(contact.peer) {
                let labels = [("peer", contact.peer.digits)]
                if contact.relation == .parent {
                    let up = (contact.lastContact ?? .distantPast) > (contact.lastErrorAt ?? .distantPast)
                    registry.makeGauge(descriptor: Self.parentUp, labels: labels).set(Int64(up ? 1 : 0))
                } else {
                    if let contact = contact.lastContact {
                        registry.makeGauge(descriptor: Self.childContact, labels: labels).set(
                            contact.timeIntervalSince1970)
                    }
                    if let backlog = contact.reportedBacklog {
                        registry.makeGauge(descriptor: Self.childBacklog, labels: labels).set(Int64(backlog))
                    }
                }
            }
        }
        if let links = try? await database.changeLog.childLinks() {
            for link in links where isNeighbour(link.child) {
                let labels = [("peer", link.child.digits), ("channel", link.channel.rawValue)]
                if let push = link.lastPush {
                    registry.makeGauge(descriptor: Self.childPush, labels: labels).set(push.timeIntervalSince1970)
                }
                if let pull = link.lastPull {
                    registry.makeGauge(descriptor: Self.childPull, labels: labels).set(pull.timeIntervalSince1970)
                }
            }
        }
        if let entries = try? await database.changeLog.logSize() {
            registry.makeGauge(descriptor: Self.logEntries).set(Int64(entries))
        }
        if let index = try? await database.registry.indexState() {
            registry.makeGauge(descriptor: Self.indexBacklog).set(Int64(index.backlog))
            registry.makeGauge(descriptor: Self.setAside).set(Int64(index.setAside))
        }
    }

    // MARK: Labels

    /// Whether `peer` is this node's parent or one of its children: no other node gets a
    /// time series.
    private func isNeighbour(_ peer: DivisionCode) -> Bool {
        peer == parent?.code || children.contains { $0.code == peer }
    }

    private func linkLabels(_ channel: ReplicationChannel, _ peer: DivisionCode, _ direction: LinkDirection)
        -> [(String, String)]
    {
        [("channel", channel.rawValue), ("peer", peer.digits), ("direction", direction.rawValue)]
    }

    static func methodLabel(_ method: HTTPRequest.Method) -> String {
        let known: Set<HTTPRequest.Method> = [.get, .head, .post, .put, .patch, .delete, .options]
        return known.contains(method) ? method.rawValue : "other"
    }

    // MARK: Families (computed: the descriptor type is not `Sendable`)

    static let secondsBuckets = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]
    static let lagBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 3600]

    static var requests: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "jiuzhu", metricName: "http_requests", unitName: "total",
            helpText: "HTTP requests answered, by listener, method and status class.")
    }
    static var requestSeconds: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "jiuzhu", metricName: "http_request_duration", unitName: "seconds",
            helpText: "Time to answer an HTTP request, by listener.")
    }
    static var appliedChanges: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "jiuzhu", subsystem: "replication", metricName: "applied_changes", unitName: "total",
            helpText:
                "Changes applied from a peer: pushed up by a child (direction up) or pulled from the parent (down).")
    }
    static var lag: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "jiuzhu", subsystem: "replication", metricName: "lag", unitName: "seconds",
            helpText: "Time from a change's commit at its origin to its application here, by channel.")
    }
    static var refusedBatches: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "jiuzhu", subsystem: "replication", metricName: "refused_requests", unitName: "total",
            helpText: "Batches and requests from a peer refused on security grounds or as malformed.")
    }
    static var refusedFeeds: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "jiuzhu", subsystem: "feeds", metricName: "refused_requests", unitName: "total",
            helpText: "Department files and requests refused at the city's feed endpoint, by refusal code.")
    }
    static var backlog: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "jiuzhu", subsystem: "replication", metricName: "backlog", unitName: "changes",
            helpText: "Changes committed here that the parent has not acknowledged, by channel.")
    }
    static var oldestAge: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "jiuzhu", subsystem: "replication", metricName: "oldest_unacknowledged_age", unitName: "seconds",
            helpText: "Age of the oldest change the parent has not acknowledged (0 when none waits).")
    }
    static var blocked: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "jiuzhu", subsystem: "replication", metricName: "channel_blocked", unitName: "",
            helpText: "1 when the channel's latest exchange with the parent failed, 0 when it succeeded.")
    }
    static var lastSuccess: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "jiuzhu", subsystem: "replication", metricName: "last_success_timestamp", unitName: "seconds",
            helpText: "When the channel last exchanged with the parent successfully (Unix time).")
    }
    static var parentUp: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "jiuzhu", subsystem: "federation", metricName: "parent_up", unitName: "",
            helpText: "1 when the last hello to the parent succeeded.")
    }
    static var childContact: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "jiuzhu", subsystem: "federation", metricName: "child_last_hello_timestamp", unitName: "seconds",
            helpText: "When each child last said hello (Unix time).")
    }
    static var childBacklog: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "jiuzhu", subsystem: "federation", metricName: "child_reported_backlog", unitName: "changes",
            helpText: "The changes each child said it still had to push, at its last hello.")
    }
    static var childPush: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "jiuzhu", subsystem: "federation", metricName: "child_last_push_timestamp", unitName: "seconds",
            helpText: "When each child's last push on a channel was committed here (Unix time, to the second).")
    }
    static var childPull: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "jiuzhu", subsystem: "federation", metricName: "child_last_pull_timestamp", unitName: "seconds",
            helpText: "When each child last pulled on a channel (Unix time, to the second).")
    }
    static var logEntries: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "jiuzhu", subsystem: "replication", metricName: "log_entries", unitName: "",
            helpText: "Entries the change log holds; with retention on it follows the traffic, not the history.")
    }
    static var indexBacklog: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "jiuzhu", subsystem: "registry", metricName: "index_backlog", unitName: "changes",
            helpText: "Household changes logged that the registry index has not taken in yet.")
    }
    static var setAside: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "jiuzhu", subsystem: "registry", metricName: "set_aside", unitName: "households",
            helpText: "Households the index set aside because their records cannot be decoded or profiled.")
    }
}

/// Counts every request a listener answers, with its time, in ``NodeMetrics``.
public struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: NodeMetrics
    let server: String

    public init(metrics: NodeMetrics, server: String) {
        self.metrics = metrics
        self.server = server
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        let started = ContinuousClock.now
        func seconds() -> Double {
            let elapsed = ContinuousClock.now - started
            return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        }
        do {
            let response = try await next(request, context)
            metrics.answered(server: server, method: request.method, status: response.status, seconds: seconds())
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status ?? .internalServerError
            metrics.answered(server: server, method: request.method, status: status, seconds: seconds())
            throw error
        }
    }
}
