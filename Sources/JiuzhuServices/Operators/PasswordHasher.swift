import HummingbirdBcrypt
import NIOPosix

/// bcrypt password hashing, off the event loops (one hash takes tens of milliseconds).
///
/// ```swift
/// let hash = try await PasswordHasher().hash("正确的密码")
/// ```
public struct PasswordHasher: Sendable {
    /// bcrypt's work factor: 2^cost rounds.
    public let cost: UInt8

    public init(cost: UInt8 = 11) { self.cost = cost }

    public func hash(_ password: String) async throws -> String {
        let cost = cost
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    public func verify(_ password: String, hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }

    /// A new random password: 14 characters without look-alikes (no 0/O, 1/l/I).
    public static func generatePassword() -> String {
        let alphabet = Array("abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<14).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
    }

    /// Why `password` is too weak, if it is.
    public static func weakness(of password: String) -> String? {
        if password.count < 10 { return "密码至少 10 个字符" }
        if password.utf8.count > 72 { return "密码不能超过 72 个字节" }
        if Set(password).count < 5 { return "密码过于简单" }
        return nil
    }
}
