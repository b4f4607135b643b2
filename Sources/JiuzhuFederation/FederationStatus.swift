import Foundation
import JiuzhuDomain
import JiuzhuStorage

/// The state of a node's link to its parent, channel by channel: what `jiuzhu federation status`
/// prints and the node page shows.
public struct FederationStatus: Codable, Sendable {
    /// One channel in one direction.
    public struct ChannelLink: Codable, Sendable {
        public let channel: ReplicationChannel
        public let direction: LinkDirection
        /// Changes waiting for the parent's acknowledgement (upward only).
        public let backlog: Int?
        /// Seconds since the oldest unacknowledged change was committed (upward only).
        public let oldestUnacknowledgedSeconds: Double?
        public let lastSuccessAt: Date?
        public let lastError: String?
        public let lastErrorAt: Date?
        public let checksumAgrees: Bool?
        public let checksumDetail: String?
    }

    public let node: String
    public let parent: String?
    public let links: [ChannelLink]

    /// Reads the status from the node's database; a node without parent has no links.
    public static func read(node: TopologyNode, parent: TopologyNode?, database: NodeDatabase, now: Date? = nil)
        async throws -> FederationStatus
    {
        guard let parent else { return FederationStatus(node: node.code.digits, parent: nil, links: []) }
        let now = now ?? database.wallClock.date()
        let states = try await database.changeLog.linkStates().filter { $0.peer == parent.code }
        func state(_ channel: ReplicationChannel, _ direction: LinkDirection) -> LinkState? {
            states.first { $0.channel == channel && $0.direction == direction }
        }
        var links: [ChannelLink] = []
        for channel in ReplicationChannel.upward {
            let backlog = try await database.changeLog.upwardBacklog(parent: parent.code, channel: channel)
            let recorded = state(channel, .up)
            links.append(
                ChannelLink(
                    channel: channel, direction: .up, backlog: backlog.count,
                    oldestUnacknowledgedSeconds: backlog.oldestCommittedAt.map { max(0, now.timeIntervalSince($0)) },
                    lastSuccessAt: recorded?.lastSuccessAt, lastError: recorded?.lastError,
                    lastErrorAt: recorded?.lastErrorAt, checksumAgrees: recorded?.checksumAgrees,
                    checksumDetail: recorded?.checksumDetail))
        }
        for channel in ReplicationChannel.downward {
            let recorded = state(channel, .down)
            links.append(
                ChannelLink(
                    channel: channel, direction: .down, backlog: nil, oldestUnacknowledgedSeconds: nil,
                    lastSuccessAt: recorded?.lastSuccessAt, lastError: recorded?.lastError,
                    lastErrorAt: recorded?.lastErrorAt, checksumAgrees: nil, checksumDetail: nil))
        }
        return FederationStatus(node: node.code.digits, parent: parent.code.digits, links: links)
    }

    /// Whether every channel is flowing and every compared checksum agrees.
    public var healthy: Bool {
        links.allSatisfy { $0.lastError == nil && $0.checksumAgrees != false }
    }
}

extension FederationStatus.ChannelLink {
    /// `登记上行 · 积压 0 · 正常 · 校验和一致（50 行 / 3fa2…）`
    public var summary: String {
        var parts = ["\(channel.chineseName)\(direction == .up ? "上行" : "下行")"]
        if let backlog {
            parts.append("积压 \(backlog)")
            if let age = oldestUnacknowledgedSeconds {
                parts.append("最早未确认 \(String(format: "%.1f", age)) 秒")
            }
        }
        if let lastError {
            parts.append("受阻：\(lastError)")
        } else {
            parts.append(lastSuccessAt == nil ? "尚未同步" : "正常")
        }
        if let checksumDetail {
            parts.append("校验和\(checksumDetail)")
        }
        return parts.joined(separator: " · ")
    }
}
