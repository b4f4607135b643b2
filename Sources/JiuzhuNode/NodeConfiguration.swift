import Foundation
import JiuzhuDomain
import JiuzhuFederation
import JiuzhuStorage
import Logging

/// Everything one node needs to start, from the topology, the command line and the environment.
///
/// Precedence: a command-line option, then an environment variable, then the topology
/// or the default. Keys of this module (``keys``; ``environmentKeys`` adds the federation's):
/// - `JIUZHU_DATA`: the node's data folder (default `data/<code>`).
/// - `JIUZHU_CERTS`: the certificate folder (default `certs`).
/// - `JIUZHU_FEDERATION_BIND`, `JIUZHU_OPERATOR_BIND`: `host:port` the listeners bind
///   instead of the topology's (peers still dial the topology's address).
/// - `JIUZHU_LOG_LEVEL`: `trace`, `debug`, `info`, `notice`, `warning`, `error` (default `info`).
/// - `JIUZHU_SUPERVISOR_PID`: the node stops when that process is gone (set by `jiuzhu demo`).
/// - `JIUZHU_CLOCK_OFFSET_MS`: milliseconds added to the node's wall clock (tests of clock skew).
public struct NodeConfiguration: Sendable {
    public let topology: Topology
    public let node: TopologyNode
    public let dataDirectory: URL
    public let certificates: CertificateDirectory
    public let federationBind: ListenAddress
    public let operatorBind: ListenAddress
    public let logLevel: Logger.Level
    public let supervisorPID: Int32?
    /// The node's one clock: the system's, moved by `JIUZHU_CLOCK_OFFSET_MS`.
    public let clock: NodeClock
    /// The federation's settings.
    public let federation: FederationConfiguration

    static let data = ConfigurationKey("JIUZHU_DATA", "本节点的数据目录", default: "data/<代码>")
    static let certs = ConfigurationKey("JIUZHU_CERTS", "证书目录", default: "certs")
    static let federationAddress = ConfigurationKey(
        "JIUZHU_FEDERATION_BIND", "联邦监听绑定的 host:port（对端仍按拓扑中的地址连接）", default: "拓扑中的地址")
    static let operatorAddress = ConfigurationKey(
        "JIUZHU_OPERATOR_BIND", "运营监听绑定的 host:port", default: "拓扑中的地址")
    static let logLevelKey = ConfigurationKey(
        "JIUZHU_LOG_LEVEL", "日志级别：trace、debug、info、notice、warning、error", default: "info")
    static let supervisor = ConfigurationKey(
        "JIUZHU_SUPERVISOR_PID", "监督进程号：该进程不在时本节点停止（由 jiuzhu demo 设置）", default: "无")
    static let clockOffset = ConfigurationKey(
        "JIUZHU_CLOCK_OFFSET_MS", "加到本节点时钟上的毫秒数（一年以内；用于时钟偏差测试）", default: "0")

    /// Every key this module reads.
    public static let keys = [data, certs, federationAddress, operatorAddress, logLevelKey, supervisor, clockOffset]
    /// Every key a node reads, its own and its modules'.
    public static let environmentKeys = keys + FederationConfiguration.keys

    public init(
        topology: Topology, code: DivisionCode, dataDirectory: String? = nil, certificatesDirectory: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws {
        let node = try topology.requireNode(code)
        self.topology = topology
        self.node = node
        self.dataDirectory = URL(filePath: dataDirectory ?? environment[Self.data.name] ?? "data/\(code)")
        self.certificates = CertificateDirectory(
            URL(filePath: certificatesDirectory ?? environment[Self.certs.name] ?? "certs"))
        self.federationBind = try Self.federationAddress.read(environment, ListenAddress.init) ?? node.federation
        self.operatorBind = try Self.operatorAddress.read(environment, ListenAddress.init) ?? node.operator
        self.logLevel = try Self.logLevelKey.read(environment, Logger.Level.init(rawValue:)) ?? .info
        self.supervisorPID = try Self.supervisor.read(environment, Int32.init)
        let offset = try Self.clockOffset.read(environment, Int64.init) ?? 0
        guard offset.magnitude <= 365 * 86_400_000 else {
            throw ConfigurationError.invalid(key: Self.clockOffset.name, value: "\(offset)", expected: "一年以内的毫秒数")
        }
        self.clock = NodeClock.system.offset(by: offset)
        self.federation = try FederationConfiguration(environment: environment)
    }

    /// How long a neighbour stays "reachable" after its last hello: three missed hellos.
    public var freshness: TimeInterval {
        let components = federation.helloInterval.components
        return 3 * (Double(components.seconds) + Double(components.attoseconds) / 1e18) + 1
    }
}
