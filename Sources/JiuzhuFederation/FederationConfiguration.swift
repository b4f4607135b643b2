import JiuzhuDomain
import JiuzhuStorage

/// The federation's settings: how often a node greets its parent, how often it compares
/// checksums, and how far ahead a peer's clock may run.
///
/// Keys (``keys``):
/// - `JIUZHU_HELLO_INTERVAL`: seconds between hellos to the parent, more than 0 and at most 3600 (5).
/// - `JIUZHU_CHECKSUM_INTERVAL`: least seconds between two checksum comparisons of a channel (30).
/// - `JIUZHU_MAX_PEER_CLOCK_LEAD`: seconds a peer's clock may run ahead of this node's before its
///   changes are refused as a security event, 1 to 86400 (600).
/// - `JIUZHU_LOG_RETENTION_DAYS`: days a change-log entry is kept at least, 0 to 3650; 0 keeps
///   every entry for good (30). Entries past it go once nothing needs them (``LogPruner``).
/// - `JIUZHU_LOG_PRUNE_INTERVAL`: seconds between two prunings, 1 to 86400 (600).
///
/// ```swift
/// let federation = try FederationConfiguration(environment: ["JIUZHU_HELLO_INTERVAL": "1"])
/// federation.helloInterval  // 1 second
/// ```
public struct FederationConfiguration: Sendable {
    public var helloInterval: Duration = .seconds(5)
    public var checksumInterval: Duration = .seconds(30)
    /// Milliseconds a peer's clock may run ahead of this node's.
    public var maximumPeerLead: Int64 = NodeDatabase.defaultMaximumPeerLead
    /// How long a change-log entry is kept at least; nil keeps every entry.
    public var logRetention: Duration? = .seconds(30 * 86_400)
    public var pruneInterval: Duration = .seconds(600)

    static let hello = ConfigurationKey("JIUZHU_HELLO_INTERVAL", "向上级发送问候的间隔（秒，大于 0、至多 3600）", default: "5")
    static let checksum = ConfigurationKey("JIUZHU_CHECKSUM_INTERVAL", "同一通道两次比对校验和的最短间隔（秒）", default: "30")
    static let peerLead = ConfigurationKey(
        "JIUZHU_MAX_PEER_CLOCK_LEAD", "对端时钟可超前本节点的秒数（1–86400），超出则拒收其变更并记为安全事件", default: "600")

    static let retention = ConfigurationKey(
        "JIUZHU_LOG_RETENTION_DAYS", "变更日志至少保留的天数（0–3650，可有小数；0 为永久保留），过期且无人再需要的条目被清理", default: "30")
    static let prune = ConfigurationKey("JIUZHU_LOG_PRUNE_INTERVAL", "两次清理变更日志的间隔（秒，1–86400）", default: "600")

    /// Every key this module reads.
    public static let keys = [hello, checksum, peerLead, retention, prune]

    /// The defaults.
    public init() {}

    /// Reads the keys from `environment`; a value out of its range is refused naming the key.
    public init(environment: [String: String]) throws(ConfigurationError) {
        let seconds = try Self.hello.read(environment, Double.init) ?? 5
        guard seconds > 0, seconds <= 3600 else {
            throw .invalid(key: Self.hello.name, value: "\(seconds)", expected: "0 到 3600 之间的秒数")
        }
        helloInterval = .milliseconds(Int64(seconds * 1000))
        let checksumSeconds = try Self.checksum.read(environment, Double.init) ?? 30
        guard checksumSeconds >= 0, checksumSeconds <= 86_400 else {
            throw .invalid(key: Self.checksum.name, value: "\(checksumSeconds)", expected: "0 到 86400 之间的秒数")
        }
        checksumInterval = .milliseconds(Int64(checksumSeconds * 1000))
        let leadSeconds = try Self.peerLead.read(environment, Int64.init) ?? NodeDatabase.defaultMaximumPeerLead / 1000
        guard (1...86_400).contains(leadSeconds) else {
            throw .invalid(key: Self.peerLead.name, value: "\(leadSeconds)", expected: "1 到 86400 之间的秒数")
        }
        maximumPeerLead = leadSeconds * 1000
        let days = try Self.retention.read(environment, Double.init) ?? 30
        guard days >= 0, days <= 3650 else {
            throw .invalid(key: Self.retention.name, value: "\(days)", expected: "0 到 3650 之间的天数")
        }
        logRetention = days == 0 ? nil : .milliseconds(Int64(days * 86_400_000))
        let pruneSeconds = try Self.prune.read(environment, Double.init) ?? 600
        guard pruneSeconds >= 1, pruneSeconds <= 86_400 else {
            throw .invalid(key: Self.prune.name, value: "\(pruneSeconds)", expected: "1 到 86400 之间的秒数")
        }
        pruneInterval = .milliseconds(Int64(pruneSeconds * 1000))
    }
}
