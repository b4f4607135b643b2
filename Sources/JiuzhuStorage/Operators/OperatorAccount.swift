import Foundation
import GRDB
import JiuzhuDomain

/// A person who signs in at this node, with the one role they hold there.
public struct OperatorAccount: Codable, Equatable, Sendable {
    public let username: String
    public let displayName: String
    public let role: OperatorRole
    public let disabled: Bool
    public let createdAt: Date
    public let createdBy: String
}

/// Who is acting, as the audit log names them: an operator, or the command line.
public struct AuditActor: Sendable {
    public let name: String
    public let role: String

    public init(name: String, role: String) {
        self.name = name
        self.role = role
    }

    /// Someone with shell access to the node, using `jiuzhu users`.
    public static let commandLine = AuditActor(name: "命令行", role: "系统")
    /// The demo cluster creating its accounts.
    public static let demo = AuditActor(name: "演示初始化", role: "系统")
    /// Someone not yet signed in.
    public static func anonymous(_ claimed: String) -> AuditActor { AuditActor(name: claimed, role: "未登录") }
}

/// Why an account cannot be created or changed. Each message names the field.
public enum AccountError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidUsername(String)
    case invalidDisplayName(String)
    case roleNotAtThisLevel(role: OperatorRole, level: DivisionLevel)
    case duplicate(String)
    case unknown(String)

    /// The input field at fault.
    public var field: String {
        switch self {
        case .invalidUsername, .duplicate, .unknown: "username"
        case .invalidDisplayName: "displayName"
        case .roleNotAtThisLevel: "role"
        }
    }

    public var description: String {
        switch self {
        case .invalidUsername(let name):
            "用户名“\(name)”无效：须为 3–32 位小写字母、数字、点、横线或下划线，以字母或数字开头"
        case .invalidDisplayName(let name):
            "姓名“\(name)”无效：须为 1–40 个字符，不含控制字符"
        case .roleNotAtThisLevel(let role, let level):
            "角色“\(role.chineseName)”不能设在\(level.shortName)级节点"
        case .duplicate(let name):
            "用户名“\(name)”已存在"
        case .unknown(let name):
            "没有用户名为“\(name)”的账号"
        }
    }
}

/// What is needed to create an account; the caller hashes the password.
public struct NewAccount: Sendable {
    public let username: String
    public let displayName: String
    public let role: OperatorRole

    /// Validates the fields against the node's level.
    public init(username: String, displayName: String, role: OperatorRole, at level: DivisionLevel) throws(AccountError)
    {
        guard Self.isValidUsername(username) else { throw .invalidUsername(username) }
        let trimmed = displayName.trimmingCharacters(in: .whitespaces)
        guard (1...40).contains(trimmed.count),
            !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else { throw .invalidDisplayName(displayName) }
        guard role.levels.contains(level) else { throw .roleNotAtThisLevel(role: role, level: level) }
        self.username = username
        self.displayName = trimmed
        self.role = role
    }

    static func isValidUsername(_ name: String) -> Bool {
        let scalars = Array(name.unicodeScalars)
        guard (3...32).contains(scalars.count), let first = scalars.first,
            ("a"..."z").contains(first) || ("0"..."9").contains(first)
        else { return false }
        return scalars.allSatisfy {
            ("a"..."z").contains($0) || ("0"..."9").contains($0) || "._-".unicodeScalars.contains($0)
        }
    }
}

extension OperatorStore {
    /// Creates an account and audits it, in one transaction.
    @discardableResult
    public func createAccount(_ account: NewAccount, passwordHash: String, by actor: AuditActor) async throws
        -> OperatorAccount
    {
        try await transaction { transaction in
            let db = transaction.db
            if try Bool.fetchOne(
                db, sql: "SELECT 1 FROM operator_account WHERE username = ?", arguments: [account.username]) == true
            {
                throw AccountError.duplicate(account.username)
            }
            try db.execute(
                sql: """
                    INSERT INTO operator_account
                        (username, display_name, role, password_hash, created_at, created_by, password_set_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    account.username, account.displayName, account.role.rawValue, passwordHash, transaction.now,
                    actor.name, transaction.now,
                ])
            try Self.appendAudit(
                AuditRecord(
                    actor: actor.name, role: actor.role, action: "accounts.create", target: account.username,
                    outcome: .allowed,
                    detail: "创建账号 \(account.username)（\(account.displayName)，\(account.role.chineseName)）"),
                in: &transaction)
            return OperatorAccount(
                username: account.username, displayName: account.displayName, role: account.role, disabled: false,
                createdAt: Self.date(transaction.now), createdBy: actor.name)
        }
    }

    /// Every account of this node, by username.
    public func accounts() async throws -> [OperatorAccount] {
        try await writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM operator_account ORDER BY username").compactMap(Self.account)
        }
    }

    /// One account with its password hash, for signing in.
    public func accountForSignIn(_ username: String) async throws -> (account: OperatorAccount, passwordHash: String)? {
        try await writer.read { db in
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT * FROM operator_account WHERE username = ?", arguments: [username]),
                let account = Self.account(row)
            else { return nil }
            return (account, row["password_hash"])
        }
    }

    /// Disables or re-enables an account; disabling ends its sessions. Audited.
    public func setAccountDisabled(_ username: String, _ disabled: Bool, by actor: AuditActor) async throws {
        try await changeAccount(
            username, action: disabled ? "accounts.disable" : "accounts.enable",
            detail: disabled ? "停用账号 \(username)" : "启用账号 \(username)", by: actor
        ) { db, now in
            try db.execute(
                sql: "UPDATE operator_account SET disabled = ? WHERE username = ?", arguments: [disabled, username])
        }
    }

    /// Replaces an account's password hash and ends its sessions. Audited.
    public func setPasswordHash(_ username: String, _ passwordHash: String, by actor: AuditActor) async throws {
        try await changeAccount(username, action: "accounts.resetPassword", detail: "重置账号 \(username) 的密码", by: actor) {
            db, now in
            try db.execute(
                sql: "UPDATE operator_account SET password_hash = ?, password_set_at = ? WHERE username = ?",
                arguments: [passwordHash, now, username])
        }
    }

    private func changeAccount(
        _ username: String, action: String, detail: String, by actor: AuditActor,
        _ change: @escaping @Sendable (Database, Int64) throws -> Void
    ) async throws {
        try await transaction { transaction in
            let db = transaction.db
            guard
                try Bool.fetchOne(db, sql: "SELECT 1 FROM operator_account WHERE username = ?", arguments: [username])
                    == true
            else { throw AccountError.unknown(username) }
            try change(db, transaction.now)
            try db.execute(sql: "DELETE FROM operator_session WHERE username = ?", arguments: [username])
            try Self.appendAudit(
                AuditRecord(
                    actor: actor.name, role: actor.role, action: action, target: username, outcome: .allowed,
                    detail: detail),
                in: &transaction)
        }
    }

    static func account(_ row: Row) -> OperatorAccount? {
        guard let role = OperatorRole(rawValue: row["role"]) else { return nil }
        return OperatorAccount(
            username: row["username"], displayName: row["display_name"], role: role, disabled: row["disabled"],
            createdAt: date(row["created_at"]), createdBy: row["created_by"])
    }
}
