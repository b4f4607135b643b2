/// Registry input that cannot be stored: the field's path and what is wrong, in Chinese.
/// Nothing is written when one is thrown.
public struct RegistryInputError: Error, Equatable, Sendable, CustomStringConvertible {
    /// e.g. `members[1].citizenID`.
    public let field: String
    public let message: String

    public init(field: String, _ message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "字段 \(field)：\(message)" }
}
