import Foundation
import Hummingbird
import JiuzhuFederation
import NIOCore
import ServiceLifecycle

/// Runs one HTTP listener and turns a bind failure into a message naming node, listener and address.
///
/// The application is built when the listener starts, beside the node's other services: the
/// operator app (its page templates, its routes) takes tens of milliseconds to build, and a
/// restarted node's children wait for the federation listener, not for the pages.
struct Listener<App: ApplicationProtocol>: Service {
    let name: String
    let node: TopologyNode
    let address: ListenAddress
    let build: @Sendable () async throws -> App

    func run() async throws {
        do {
            try await build().run()
        } catch let error as IOError where error.errnoCode == EADDRINUSE {
            throw NodeStartupError.addressInUse(node: node.code.digits, listener: name, address: address)
        } catch let error as IOError where error.errnoCode == EADDRNOTAVAIL || error.errnoCode == EACCES {
            throw NodeStartupError.cannotBind(
                node: node.code.digits, listener: name, address: address, reason: "\(error)")
        }
    }
}

/// Why a node could not start.
public enum NodeStartupError: Error, Sendable, CustomStringConvertible {
    case addressInUse(node: String, listener: String, address: ListenAddress)
    case cannotBind(node: String, listener: String, address: ListenAddress, reason: String)

    public var description: String {
        switch self {
        case .addressInUse(let node, let listener, let address):
            "节点 \(node) 的\(listener) \(address) 已被占用（端口冲突）"
        case .cannotBind(let node, let listener, let address, let reason):
            "节点 \(node) 的\(listener)无法绑定 \(address)：\(reason)"
        }
    }
}
