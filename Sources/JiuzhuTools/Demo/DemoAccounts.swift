import Foundation
import JiuzhuDomain
import JiuzhuFederation
import JiuzhuServices
import JiuzhuStorage

/// The demo cluster's operator accounts: one per role at every node, each with its own
/// generated password. There is no default password anywhere; the generated ones are
/// kept in `<data>/demo-accounts.tsv` (readable by its owner only) so that a restarted
/// demo can show them again.
public struct DemoAccounts: Sendable {
    /// One account's credentials.
    public struct Credential: Equatable, Sendable {
        public let node: DivisionCode
        public let role: OperatorRole
        public let username: String
        public let password: String
    }

    public let topology: Topology
    public let dataRoot: URL

    public init(topology: Topology, dataRoot: URL) {
        self.topology = topology
        self.dataRoot = dataRoot
    }

    /// Where the credentials are kept.
    public var file: URL { dataRoot.appending(path: "demo-accounts.tsv") }

    /// The demo user name of `role` at `node`: `specialist.321281101001`.
    public static func username(_ role: OperatorRole, at node: DivisionCode) -> String {
        let prefix =
            switch role {
            case .villageSpecialist: "specialist"
            case .townshipClerk: "clerk"
            case .townshipApprover: "approver"
            case .countyOfficer: "officer"
            case .cityAdministrator: "admin"
            case .cityAnalyst: "analyst"
            case .auditor: "auditor"
            }
        return "\(prefix).\(node.digits)"
    }

    /// Creates the accounts that do not exist yet and returns every demo credential.
    public func ensure() async throws -> [Credential] {
        var known = try load()
        let existing = Set(known.map(\.username))
        let created = try await withThrowingTaskGroup(of: [Credential].self) { group in
            for node in topology.nodes {
                group.addTask { try await create(at: node, except: existing) }
            }
            return try await group.reduce(into: [Credential]()) { $0 += $1 }
        }
        known += created
        if !created.isEmpty { try save(known) }
        let order = Dictionary(uniqueKeysWithValues: topology.nodes.enumerated().map { ($1.code, $0) })
        return known.sorted { (order[$0.node] ?? 0, $0.username) < (order[$1.node] ?? 0, $1.username) }
    }

    private func create(at node: TopologyNode, except existing: Set<String>) async throws -> [Credential] {
        let database = try NodeDatabase.open(
            in: dataRoot.appending(path: node.code.digits),
            for: .init(code: node.code, name: node.name, role: node.role))
        defer { try? database.close() }
        let administration = AccountAdministration(database: database)
        let accounts = Set(try await database.operators.accounts().map(\.username))
        var created: [Credential] = []
        for role in OperatorRole.roles(at: node.role) {
            let username = Self.username(role, at: node.code)
            guard !existing.contains(username) else { continue }
            if accounts.contains(username) {
                // The file was lost but the account exists: give it a new password to show.
                let password = try await administration.resetPassword(of: username, by: .demo)
                created.append(Credential(node: node.code, role: role, username: username, password: password))
                continue
            }
            let (_, password) = try await administration.create(
                username: username, displayName: "演示\(role.chineseName)", role: role, by: .demo)
            created.append(Credential(node: node.code, role: role, username: username, password: password))
        }
        return created
    }

    private func load() throws -> [Credential] {
        guard let text = try? String(contentsOf: file, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: "\t").map(String.init)
            guard fields.count == 4, let node = try? DivisionCode(fields[0]),
                let role = OperatorRole(rawValue: fields[1])
            else { return nil }
            return Credential(node: node, role: role, username: fields[2], password: fields[3])
        }
    }

    private func save(_ credentials: [Credential]) throws {
        try FileManager.default.createDirectory(at: dataRoot, withIntermediateDirectories: true)
        let text = credentials.map { "\($0.node.digits)\t\($0.role.rawValue)\t\($0.username)\t\($0.password)\n" }
            .joined()
        FileManager.default.createFile(
            atPath: file.path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600])
    }
}
