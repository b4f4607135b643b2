/// One setting a module reads from the environment: its variable, what it does and its
/// default, so `jiuzhu serve --help` and the README list every key from the modules' own tables.
///
/// ```swift
/// static let helloInterval = ConfigurationKey(
///     "JIUZHU_HELLO_INTERVAL", "向上级发送问候的间隔（秒，0–3600）", default: "5")
/// let seconds = try helloInterval.read(environment, Double.init) ?? 5
/// ```
public struct ConfigurationKey: Sendable, Hashable {
    /// The environment variable, `JIUZHU_…`.
    public let name: String
    /// What it sets, in Chinese, with its unit and range.
    public let meaning: String
    /// The value without it, as text.
    public let defaultValue: String

    public init(_ name: String, _ meaning: String, default defaultValue: String) {
        self.name = name
        self.meaning = meaning
        self.defaultValue = defaultValue
    }

    /// The key's value in `environment` parsed by `parse`; nil when unset or empty, and a
    /// ``ConfigurationError`` naming the key when the text does not parse.
    public func read<T>(_ environment: [String: String], _ parse: (String) -> T?) throws(ConfigurationError) -> T? {
        guard let text = environment[name], !text.isEmpty else { return nil }
        guard let value = parse(text) else { throw .invalid(key: name, value: text, expected: "\(T.self)") }
        return value
    }

    /// One line of help: `JIUZHU_HELLO_INTERVAL  向上级发送问候的间隔（秒）（默认 5）`.
    public var helpLine: String { "\(name)：\(meaning)（默认 \(defaultValue)）" }
}

/// A configuration value that cannot be used.
public enum ConfigurationError: Error, Sendable, CustomStringConvertible {
    case invalid(key: String, value: String, expected: String)

    public var description: String {
        switch self {
        case .invalid(let key, let value, let expected): "环境变量 \(key)=“\(value)”无效，应为 \(expected)"
        }
    }
}
