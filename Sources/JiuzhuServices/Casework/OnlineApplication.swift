import Foundation
import JiuzhuDomain
import JiuzhuStorage
import Logging

/// Sends a text message to a mobile number: an SMS gateway in production; here, where none is
/// reachable, the node's log.
public protocol MessageSender: Sendable {
    func send(to phone: String, text: String) async throws
}

/// Writes each message to the node's log instead of sending it (the demo's sender): whoever
/// runs the node reads the one-time code there.
public struct LoggingMessageSender: MessageSender {
    let logger: Logger

    public init(logger: Logger) {
        self.logger = logger
    }

    public func send(to phone: String, text: String) async throws {
        logger.notice("短信（未接短信网关，写入日志）", metadata: ["to": "\(phone)", "text": "\(text)"])
    }
}

/// An application by the applicant on the phone page, without an operator account: the
/// mobile number is confirmed by a one-time code before the application is taken.
///
/// Codes are six digits, valid for ten minutes, one per number a minute, five tries; the node
/// keeps only hashes of the number and the code.
public struct OnlineApplication: Sendable {
    public let store: any CaseworkRepository
    public let cases: CaseService
    public let sender: any MessageSender

    public static let validity: Int64 = 10 * 60 * 1000
    public static let interval: Int64 = 60 * 1000
    public static let maximumAttempts = 5

    public init(store: any CaseworkRepository, cases: CaseService, sender: any MessageSender) {
        self.store = store
        self.cases = cases
        self.sender = sender
    }

    /// Sends a code to `phone`; refused for a number that is not a mobile number, or when one
    /// was sent less than a minute ago (``OnlineCodeTooSoon``).
    public func sendCode(to phone: String) async throws {
        let number = try Self.mobile(phone)
        var generator = SystemRandomNumberGenerator()
        let code = String(format: "%06d", Int.random(in: 0..<1_000_000, using: &generator))
        try await store.recordOnlineCode(
            phoneHash: SecretToken.hash("phone:" + number), codeHash: SecretToken.hash(number + ":" + code),
            validFor: Self.validity, interval: Self.interval)
        try await sender.send(to: number, text: "【泰州社会救助】您的申请验证码为 \(code)，10 分钟内有效。如非本人操作请忽略。")
    }

    /// Takes the application once the code sent to the applicant's number checks.
    public func apply(_ request: CaseService.ApplicationRequest, code: String) async throws -> CaseService.Opened {
        let number = try Self.mobile(request.applicant.phone ?? "")
        let check = try await store.checkOnlineCode(
            phoneHash: SecretToken.hash("phone:" + number),
            codeHash: SecretToken.hash(number + ":" + code.trimmingCharacters(in: .whitespaces)),
            maximumAttempts: Self.maximumAttempts)
        switch check {
        case .accepted:
            return try await cases.apply(request, by: .applicant(phone: number))
        case .wrong(let left):
            throw InputError(field: "code", left > 0 ? "验证码不正确，还可再试 \(left) 次" : "验证码不正确，请重新获取")
        case .missing:
            throw InputError(field: "code", "请先获取验证码（验证码 10 分钟内有效）")
        }
    }

    static func mobile(_ phone: String) throws(InputError) -> String {
        try CaseService.mobile(phone, field: "phone")
    }
}
