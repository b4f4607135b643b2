import Foundation
import JiuzhuDomain
import JiuzhuFederation
import JiuzhuStorage
import Logging

/// Everything one node needs to start, from the topology, the command line and the environment.
///
/// Precedence: a command-line option, then an environment variable, then the topology
/// or the default. Environment keys:
/// - `JIUZHU_DATA`: the node's data folder (default `data/<code>`).
/// - `JIUZHU_CERTS`: the certificate folder (default `certs`).
/// - `JIUZHU_FEDERATION_BIND`, `JIUZHU_OPERATOR_BIND`: `host:port` the listeners bind
///   instead of the topology's (peers still dial the topology's address).
/// - `JIUZHU_HELLO_INTERVAL`: seconds between hellos to the parent (default 5).
/// - `JIUZHU_LOG_LEVEL`: `trace`, `debug`, `info`, `notice`, `warning`, `error` (default `info`).
/// - `JIUZHU_SUPERVISOR_PID`: the node stops when that process is gone (set by `jiuzhu demo`).
/// - `JIUZHU_CHECKSUM_INTERVAL`: least seconds between checksum comparisons of a channel (default 30).
/// - `JIUZHU_CLOCK_OFFSET_MS`: milliseconds added to the node's wall clock (tests of clock skew).
/// - `JIUZHU_MAX_PEER_CLOCK_LEAD`: seconds a peer's clock may run ahead of this node's before its
///   changes are refused as a security event (600).
public struct NodeConfiguration: Sendable {
    public let topology: Topology
    public let node: TopologyNode
    public let dataDirectory: URL
    public let certificates: CertificateDirectory
    public let federationBind: ListenAddress
    public let operatorBind: ListenAddress
    public let helloInterval: Duration
    public let logLevel: Logger.Level
    public let supervisorPID: Int32?
    /// The node's one clock: the system's, moved by `JIUZHU_CLOCK_OFFSET_MS`.
    public let clock: NodeClock
    /// Milliseconds a peer's clock may run ahead of this node's.
    public let maximumPeerLead: Int64
    public let checksumInterval: Duration

    public init(
        topology: Topology, code: DivisionCode, dataDirectory: String? = nil, certificatesDirectory: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws {
        let node = try topology.requireNode(code)
        self.topology = topology
        self.node = node
        self.dataDirectory = URL(filePath: dataDirectory ?? environment["JIUZHU_DATA"] ?? "data/\(code)")
        self.certificates = CertificateDirectory(
            URL(filePath: certificatesDirectory ?? environment["JIUZHU_CERTS"] ?? "certs"))
        self.federationBind = try Self.address(environment, "JIUZHU_FEDERATION_BIND") ?? node.federation
        self.operatorBind = try Self.address(environment, "JIUZHU_OPERATOR_BIND") ?? node.operator
        let seconds = try Self.value(environment, "JIUZHU_HELLO_INTERVAL", Double.init) ?? 5
        guard seconds > 0, seconds <= 3600 else {
            throw ConfigurationError.invalid(
                key: "JIUZHU_HELLO_INTERVAL", value: "\(seconds)", expected: "0 到 3600 之间的秒数")
        }
        self.helloInterval = .milliseconds(Int64(seconds * 1000))
        self.logLevel = try Self.value(environment, "JIUZHU_LOG_LEVEL", Logger.Level.init(rawValue:)) ?? .info
        self.supervisorPID = try Self.value(environment, "JIUZHU_SUPERVISOR_PID", Int32.init)
        let checksumSeconds = try Self.value(environment, "JIUZHU_CHECKSUM_INTERVAL", Double.init) ?? 30
        guard checksumSeconds >= 0 else {
            throw ConfigurationError.invalid(
                key: "JIUZHU_CHECKSUM_INTERVAL", value: "\(checksumSeconds)", expected: "非负的秒数")
        }
        self.checksumInterval = .milliseconds(Int64(checksumSeconds * 1000))
        let leadSeconds = try Self.value(environment, "JIUZHU_MAX_PEER_CLOCK_LEAD", Int64.init) ?? 600
        guard (1...86_400).contains(leadSeconds) else {
            throw ConfigurationError.invalid(
                key: "JIUZHU_MAX_PEER_CLOCK_LEAD", value: "\(leadSeconds)", expected: "1 到 86400 之间的秒数")
        }
        let offset = try Self.value(environment, "JIUZHU_CLOCK_OFFSET_MS", Int64.init) ?? 0
        guard offset.magnitude <= 365 * 86_400_000 else {
            throw ConfigurationError.invalid(key: "JIUZHU_CLOCK_OFFSET_MS", value: "\(offset)", expected: "一年以内的毫秒数")
        }
        self.clock = NodeClock.system.offset(by: offset)
        self.maximumPeerLead = leadSeconds * 1000
    }

    /// How long a neighbour stays "reachable" after its last hello: three missed hellos.
    public var freshness: TimeInterval {
        let components = helloInterval.components
        return 3 * (Double(components.seconds) + Double(components.attoseconds) / 1e18) + 1
    }

    private static func address(_ environment: [String: String], _ key: String) throws -> ListenAddress? {
        try value(environment, key, ListenAddress.init)
    }

    private static func value<T>(_ environment: [String: String], _ key: String, _ parse: (String) -> T?) throws -> T? {
        guard let text = environment[key], !text.isEmpty else { return nil }
        guard let value = parse(text) else {
            throw ConfigurationError.invalid(key: key, value: text, expected: "\(T.self)")
        }
        return value
    }
}

/// A configuration value that cannot be used.
public enum ConfigurationError: Error, Sendable, CustomStringConvertible {
    case invalid(key: String, value: String, expected: String)

    public var description: String {
        switch self {
        case .invalid(let key, let value, let expected): "环境变量 \(key)=“\(value)”无效，应为 \(expected)"
        }
    }
}
