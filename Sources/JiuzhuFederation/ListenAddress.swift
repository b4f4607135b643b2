/// A `host:port` pair a node listens on or is reached at (`127.0.0.1:17000`, `[::1]:17000`).
public struct ListenAddress: Hashable, Sendable, CustomStringConvertible {
    public let host: String
    public let port: Int

    /// Parses `host:port`; an IPv6 host is written in brackets.
    public init?(_ text: String) {
        let hostPart: Substring
        let portPart: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"),
                text[text.index(after: close)...].hasPrefix(":")
            else { return nil }
            hostPart = text[text.index(after: text.startIndex)..<close]
            portPart = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":") else { return nil }
            hostPart = text[..<colon]
            portPart = text[text.index(after: colon)...]
            if hostPart.contains(":") { return nil }
        }
        guard !hostPart.isEmpty, let port = Int(portPart), (1...65535).contains(port) else { return nil }
        self.host = String(hostPart)
        self.port = port
    }

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Whether the host is a wildcard that binds every interface.
    public var isWildcard: Bool { host == "0.0.0.0" || host == "::" }

    /// Whether two listeners would compete for the same socket.
    public func collides(with other: ListenAddress) -> Bool {
        port == other.port && (host == other.host || isWildcard || other.isWildcard)
    }

    /// The host as it appears in a URL (IPv6 in brackets).
    public var urlHost: String { host.contains(":") ? "[\(host)]" : host }

    public var description: String { "\(urlHost):\(port)" }
}
