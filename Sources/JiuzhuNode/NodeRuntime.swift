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
        let federation = try FederationApp.build(
            node: node, topology: configuration.topology, credentials: credentials, database: database,
            logger: logger, address: configuration.federationBind, feeds: nodeServices.warnings, metrics: metrics,
            onServerRunning: guardSockets)
        let operatorContext = OperatorContext(
            node: node, topology: configuration.topology, services: nodeServices, startedAt: configuration.clock.date(),
            freshness: configuration.freshness, metrics: metrics)
        let operatorApp = try OperatorApp.build(
            operatorContext, credentials: credentials, logger: logger, address: configuration.operatorBind,
            onServerRunning: guardSockets)

        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: Listener(app: federation, name: "联邦监听", node: node, address: configuration.federationBind)),
            .init(service: Listener(app: operatorApp, name: "运营监听", node: node, address: configuration.operatorBind)),
        ]
        services.append(.init(service: ExternalCommitWatch(database: database)))
        services.append(.init(service: nodeServices.indexer))
        services.append(.init(service: nodeServices.caseIndexer))
        services.append(.init(service: nodeServices.caseSweeper))
        if node.role == .village { services.append(.init(service: nodeServices.reverification)) }
        if node.role == .city { services.append(.init(service: nodeServices.warningSweeper)) }
        services.append(.init(service: MemoryRelief(database: database, interval: .seconds(10))))
        services.append(
            .init(service: LogCheckpointer(database: database, interval: .milliseconds(500), logger: logger)))
        if let retention = configuration.federation.logRetention {
            services.append(
                .init(
                    service: LogPruner(
                        node: node, topology: configuration.topology, database: database, retention: retention,
                        interval: configuration.federation.pruneInterval, logger: logger)))
        }
        let client = FederationClient(credentials: credentials)
        if let parent = configuration.topology.parent(of: node.code) {
            services.append(
                .init(
                    service: ParentLink(
                        node: node, parent: parent, client: client, database: database,
                        interval: configuration.federation.helloInterval, logger: logger)))
            services.append(
                .init(
                    service: UpstreamReplicator(
                        node: node, parent: parent, client: client, database: database,
                        checksumInterval: configuration.federation.checksumInterval, logger: logger)))
            services.append(
                .init(
                    service: DownstreamReplicator(
                        parent: parent, client: client, database: database, logger: logger, metrics: metrics)))
        }
        if let pid = configuration.supervisorPID {
            services.append(
                .init(service: SupervisorWatch(pid: pid), successTerminationBehavior: .gracefullyShutdownGroup))
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
