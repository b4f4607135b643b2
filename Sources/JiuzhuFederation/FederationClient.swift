import AsyncHTTPClient
import Foundation
import JiuzhuDomain
import NIOCore
import NIOSSL

/// Calls other nodes' federation listeners over mutual TLS, presenting this node's certificate.
///
/// ```swift
/// let client = FederationClient(credentials: credentials)
/// let hello = try await client.hello(parent)
/// try await client.shutdown()
/// ```
public final class FederationClient: Sendable {
    private let http: HTTPClient
    private let timeout: TimeAmount

    public init(credentials: NodeCredentials, timeout: TimeAmount = .seconds(5)) {
        var configuration = HTTPClient.Configuration(tlsConfiguration: credentials.federationClientTLS())
        configuration.timeout = .init(connect: timeout, read: timeout)
        self.http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        self.timeout = timeout
    }

    /// Says hello to `target` and checks that the node that answered is the one dialled.
    public func hello(_ target: TopologyNode) async throws(FederationError) -> FederationHello {
        let url = "https://\(target.federation)/federation/v1/hello"
        let body: ByteBuffer
        do {
            let response = try await http.execute(HTTPClientRequest(url: url), timeout: timeout)
            body = try await response.body.collect(upTo: 1 << 20)
            guard response.status == .ok else {
                throw FederationError.refused(target: target.code, status: Int(response.status.code))
            }
        } catch let error as FederationError {
            throw error
        } catch {
            throw .unreachable(target: target.code, address: target.federation, reason: Self.describe(error))
        }
        let hello: FederationHello
        do {
            hello = try JSONDecoder().decode(FederationHello.self, from: Data(body.readableBytesView))
        } catch {
            throw .malformedAnswer(target: target.code, reason: "\(error)")
        }
        guard hello.server == target.code.digits else {
            throw .wrongNode(target: target.code, answeredAs: hello.server)
        }
        return hello
    }

    /// Closes every connection; call before the node stops.
    public func shutdown() async throws {
        try await http.shutdown()
    }

    private static func describe(_ error: any Error) -> String {
        switch error {
        case let error as NIOSSLError: "TLS 错误：\(error)"
        case let error as BoringSSLError: "TLS 错误：\(error)"
        case let error as HTTPClientError where error == .connectTimeout: "连接超时"
        case let error as HTTPClientError where error == .deadlineExceeded: "应答超时"
        default: "\(error)"
        }
    }
}

/// Why a call to another node failed.
public enum FederationError: Error, Equatable, Sendable, CustomStringConvertible {
    case unreachable(target: DivisionCode, address: ListenAddress, reason: String)
    case refused(target: DivisionCode, status: Int)
    case malformedAnswer(target: DivisionCode, reason: String)
    case wrongNode(target: DivisionCode, answeredAs: String)

    public var description: String {
        switch self {
        case .unreachable(let target, let address, let reason):
            "无法连接节点 \(target)（\(address)）：\(reason)"
        case .refused(let target, let status):
            "节点 \(target) 拒绝了请求（HTTP \(status)）"
        case .malformedAnswer(let target, let reason):
            "节点 \(target) 的应答无法解析：\(reason)"
        case .wrongNode(let target, let answeredAs):
            "拨打节点 \(target) 的地址，应答的却是节点 \(answeredAs)"
        }
    }
}
