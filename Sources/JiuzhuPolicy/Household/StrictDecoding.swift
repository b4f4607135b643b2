/// A coding key for any field name, used to find fields a type does not know.
struct AnyCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int?

    init(stringValue: String) {
        self.stringValue = stringValue
        self.intValue = nil
    }

    init(intValue: Int) {
        self.stringValue = String(intValue)
        self.intValue = intValue
    }
}

/// A field the input type does not define; what-if input is refused rather than half-read.
struct UnknownFieldError: Error {
    var codingPath: [any CodingKey]
}

extension Decoder {
    /// A keyed container that first refuses any field not among `K`'s cases.
    ///
    /// A misspelt field ("membres") would otherwise be ignored and the household silently
    /// computed without it.
    public func strictContainer<K: CodingKey & CaseIterable>(keyedBy type: K.Type) throws -> KeyedDecodingContainer<K> {
        let all = try container(keyedBy: AnyCodingKey.self)
        for key in all.allKeys where K(stringValue: key.stringValue) == nil {
            throw UnknownFieldError(codingPath: codingPath + [key])
        }
        return try container(keyedBy: K.self)
    }
}

extension KeyedDecodingContainer {
    /// Decodes an optional field, or `defaultValue` when it is absent or null.
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key, default defaultValue: T) throws -> T {
        try decodeIfPresent(type, forKey: key) ?? defaultValue
    }

    /// Fails with a Chinese message at `key` unless `condition` holds.
    func require(_ condition: Bool, forKey key: Key, _ message: @autoclosure () -> String) throws {
        guard condition else {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: message())
        }
    }
}

/// A what-if household that could not be read: the field's path and what is wrong, in Chinese.
///
/// ```swift
/// do { _ = try HouseholdSituation(json: data) } catch { print(error.description) }
/// // 字段 members[0].birthDate：日期“1980-02-30”无效：应为存在的日期，格式 YYYY-MM-DD
/// ```
public struct HouseholdInputError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The path of the field, e.g. "members[0].disability.grade"; empty for the whole document.
    public var path: String
    /// What is wrong, in Chinese.
    public var message: String

    public var description: String {
        path.isEmpty ? "输入无效：\(message)" : "字段 \(path)：\(message)"
    }

    /// Turns a decoding failure into a message naming the field.
    public init(_ error: any Error) {
        switch error {
        case let unknown as UnknownFieldError:
            self.init(path: Self.path(unknown.codingPath), message: "未知字段")
        case DecodingError.keyNotFound(let key, let context):
            self.init(path: Self.path(context.codingPath + [key]), message: "缺少必填字段")
        case DecodingError.valueNotFound(_, let context):
            self.init(path: Self.path(context.codingPath), message: "不能为空")
        case DecodingError.typeMismatch(let type, let context):
            self.init(path: Self.path(context.codingPath), message: "类型错误，应为\(Self.typeName(type))")
        case DecodingError.dataCorrupted(let context):
            let message =
                context.codingPath.isEmpty ? "不是有效的 JSON" : context.debugDescription
            self.init(path: Self.path(context.codingPath), message: message)
        default:
            self.init(path: "", message: "\(error)")
        }
    }

    init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    static func path(_ codingPath: [any CodingKey]) -> String {
        var text = ""
        for key in codingPath {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return text
    }

    static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "文本"
        case is Int64.Type, is Int.Type, is Int32.Type: "整数（金额以分计）"
        case is Bool.Type: "true 或 false"
        case is [Any].Type: "列表"
        default: type == [String: Any].self ? "对象" : "\(type)"
        }
    }
}
