import CListeners
import Foundation
import JiuzhuDomain
import JiuzhuFederation
import JiuzhuServices
import JiuzhuStorage
import JiuzhuWeb
import Logging
import NIOCore
import ServiceLifecycle

/// Runs one node: its database, its two listeners and its link to the parent, until
/// SIGTERM or SIGINT asks it to stop (or its supervisor disappears).
///
/// ```swift
/// let configuration = try NodeConfiguration(topology: topology, code: code)
/// try await NodeRuntime(configuration: configuration, logger: logger).run()
/// ```
public struct NodeRuntime: Sendable {
    public let configuration: NodeConfiguration
    let logger: Logger

    public init(configuration: NodeConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    public func run() async throws {
        let node = configuration.node
        let credentials = try NodeCredentials.load(code: node.code, from: configuration.certificates)
        let database = try NodeDatabase.open(
            in: configuration.dataDirectory, for: .init(code: node.code, name: node.name, role: node.role),
            clock: configuration.clock, maximumPeerLead: configuration.federation.maximumPeerLead)
        // Once a listener is bound, no process the node starts (or its crash handler) keeps its port.
        let guardSockets: @Sendable (any Channel) async -> Void = { _ in _ = jiuzhu_guard_listening_sockets() }
        let topology = configuration.topology
        let nodeServices = NodeServices(
            database: database, delegation: topology.delegation,
            villages: Dictionary(
                uniqueKeysWithValues: topology.nodes.filter { $0.role == .village }.map { ($0.code, $0.name) }),
            logger: Logger(label: "jiuzhu.services.\(node.code)"))
        let metrics = NodeMetrics(node: node, topology: topology, database: database)
        let federationBind = configuration.federationBind
        let operatorBind = configuration.operatorBind
        let federation = Listener(name: "联邦监听", node: node, address: federationBind) {
            try FederationApp.build(
                node: node, topology: topology, credentials: credentials, database: database, logger: logger,
                address: federationBind, feeds: nodeServices.warnings, metrics: metrics, onServerRunning: guardSockets)
        }
        let operatorContext = OperatorContext(
            node: node, topology: topology, services: nodeServices, startedAt: configuration.clock.date(),
            freshness: configuration.freshness, metrics: metrics)
        let operatorApp = Listener(name: "运营监听", node: node, address: operatorBind) {
            try OperatorApp.build(
                operatorContext, credentials: credentials, logger: logger, address: operatorBind,
                onServerRunning: guardSockets)
        }

        // Each service is named: without a name, ServiceLifecycle describes the service by
        // reflection, and a listener's description held its whole application (13 ms of a
        // restart, and unreadable logs).
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        func add(
            _ service: any Service, _ name: String,
            onSuccess: ServiceGroupConfiguration.ServiceConfiguration.TerminationBehavior = .cancelGroup
        ) {
            services.append(.init(service: service, successTerminationBehavior: onSuccess, serviceName: name))
        }
        add(federation, federation.name)
        add(operatorApp, operatorApp.name)
        add(ExternalCommitWatch(database: database), "外部提交监视")
        add(nodeServices.indexer, "登记索引")
        add(nodeServices.caseIndexer, "案件汇总")
        add(nodeServices.caseSweeper, "逾期升级")
        if node.role == .village { add(nodeServices.reverification, "定期复核") }
        if node.role == .city { add(nodeServices.warningSweeper, "预警巡检") }
        add(MemoryRelief(database: database, interval: .seconds(10)), "内存释放")
        add(LogCheckpointer(database: database, interval: .milliseconds(500), logger: logger), "日志检查点")
        if let retention = configuration.federation.logRetention {
            add(
                LogPruner(
                    node: node, topology: topology, database: database, retention: retention,
                    interval: configuration.federation.pruneInterval, logger: logger),
                "日志清理")
        }
        let client = FederationClient(credentials: credentials)
        if let parent = topology.parent(of: node.code) {
            add(
                ParentLink(
                    node: node, parent: parent, client: client, database: database,
                    interval: configuration.federation.helloInterval, logger: logger),
                "上级问候")
            add(
                UpstreamReplicator(
                    node: node, parent: parent, client: client, database: database,
                    checksumInterval: configuration.federation.checksumInterval, logger: logger),
                "上行同步")
            add(
                DownstreamReplicator(
                    parent: parent, client: client, database: database, logger: logger, metrics: metrics),
                "下行同步")
        }
        if let pid = configuration.supervisorPID {
            add(SupervisorWatch(pid: pid), "监护进程监视", onSuccess: .gracefullyShutdownGroup)
        }
        let group = ServiceGroup(
            configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        logger.notice(
            "节点启动",
            metadata: [
                "role": "\(node.role.rawValue)", "federation": "\(configuration.federationBind)",
                "operator": "\(configuration.operatorBind)", "data": "\(configuration.dataDirectory.path)",
            ])
        do {
            try await group.run()
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
        logger.notice("节点已停止")
    }

}
