/// Input that cannot be used, naming the field; answered with 400 and nothing changed.
public struct InputError: Error, Sendable, CustomStringConvertible {
    public let field: String?
    public let message: String

    public init(field: String?, _ message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { field.map { "字段 \($0)：\(message)" } ?? message }
}
