import Crypto
import Foundation
import HummingbirdBcrypt
import NIOPosix

/// Random tokens for sessions and CSRF, and the hash under which a session is stored.
enum SecretToken {
    /// 32 random bytes from the system's secure generator, base64url without padding.
    static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Whether `token` could be one of ours (43 base64url characters).
    static func isWellFormed(_ token: String) -> Bool {
        token.utf8.count == 43
            && token.unicodeScalars.allSatisfy {
                ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "-"
                    || $0 == "_"
            }
    }

    /// SHA-256 in hex: what the database keeps instead of the token.
    static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Compares two tokens in time independent of where they differ.
    static func matches(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        guard x.count == y.count, !x.isEmpty else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

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
