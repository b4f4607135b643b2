import Foundation
import JiuzhuDomain
import JiuzhuPolicy
import JiuzhuServices
import NIOCore

// The guard validates every JSON body against the schema its route publishes, before any
// decoder reads it, so what the document says a route accepts is exactly what it accepts;
// the decoders and the validation behind them then check the rules across fields.

extension JSONSchema {
    /// Checks `body` against the schema; the error names the first field at fault, as the
    /// decoders name fields (`household.members[0].name`), and says what is wrong in Chinese.
    func validate(_ body: ByteBuffer) throws(InputError) {
        let value: JSONTree
        do {
            value = try JSONDecoder().decode(JSONTree.self, from: Data(buffer: body))
        } catch {
            throw InputError(field: nil, "请求体不是有效的 JSON")
        }
        if let problem = violation(of: value, at: "") { throw problem }
    }

    /// The first way `value` breaks the schema, or nil.
    func violation(of value: JSONTree, at path: String) -> InputError? {
        func refuse(_ message: String) -> InputError { InputError(field: path.isEmpty ? nil : path, message) }
        if case .null = value {
            return nullable || types.isEmpty ? nil : refuse("不能为空")
        }
        if let expected = types.first, !value.hasType(expected) {
            return refuse("类型不对，应为\(Self.typeName(expected))")
        }
        switch value {
        case .string(let text):
            if let values, !values.contains(text) {
                return refuse("“\(text)”不是可用的值（可用：\(values.joined(separator: "、"))）")
            }
            let length = text.unicodeScalars.count
            if let minLength, length < minLength { return refuse(lengthMessage) }
            if let maxLength, length > maxLength { return refuse(lengthMessage) }
            // The document's own pattern, except a date the policy bounds: the calculator names that one.
            if let compiledPattern, !fromPolicyStart, !compiledPattern.matchesWhole(text) {
                return refuse("格式不对" + (summary.map { "：\($0)" } ?? ""))
            }
            if format == "date" {
                do { _ = try CivilDate(text) } catch { return refuse(error.description) }
            }
        case .integer(let number):
            if let minimum, number < minimum { return refuse("不能小于 \(minimum)") }
            if let maximum, number > maximum { return refuse("不能大于 \(maximum)") }
        case .number(let number):
            if let minimum, number < Double(minimum) { return refuse("不能小于 \(minimum)") }
            if let maximum, number > Double(maximum) { return refuse("不能大于 \(maximum)") }
        case .array(let items):
            if let minItems, items.count < minItems { return refuse("至少 \(minItems) 项") }
            if let maxItems, items.count > maxItems { return refuse("至多 \(maxItems) 项") }
            if let itemSchema = itemSchema.first {
                for (index, item) in items.enumerated() {
                    if let problem = itemSchema.violation(of: item, at: "\(path)[\(index)]") { return problem }
                }
            }
        case .object(let fields):
            func child(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }
            // In the decoders' order: an unknown key first, then a missing one, then each value.
            if closed == true, valueSchema.isEmpty,
                let unknown = fields.keys.sorted().first(where: { properties?[$0] == nil })
            {
                return InputError(field: child(unknown), "未知字段")
            }
            for key in required ?? [] where fields[key] == nil {
                return InputError(field: child(key), "缺少此字段")
            }
            for key in fields.keys.sorted() {
                guard let value = fields[key], let schema = properties?[key] ?? valueSchema.first else { continue }
                if let problem = schema.violation(of: value, at: child(key)) { return problem }
            }
        case .boolean, .null:
            break
        }
        return nil
    }

    private var lengthMessage: String {
        "长度须为 \(minLength ?? 0)–\(maxLength.map(String.init) ?? "不限") 个字符"
    }

    private static func typeName(_ type: String) -> String {
        switch type {
        case "string": "文本"
        case "integer": "整数"
        case "number": "数"
        case "boolean": "true 或 false"
        case "array": "列表"
        default: "对象"
        }
    }
}

/// A JSON document as parsed, before any type reads it.
enum JSONTree: Decodable, Sendable {
    case null
    case boolean(Bool)
    case integer(Int64)
    /// A number that is not a whole `Int64` (a fraction, or too large).
    case number(Double)
    case string(String)
    case array([JSONTree])
    case object([String: JSONTree])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .boolean(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONTree].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONTree].self))
        }
    }

    func hasType(_ type: String) -> Bool {
        switch (self, type) {
        case (.string, "string"), (.integer, "integer"), (.integer, "number"), (.number, "number"),
            (.boolean, "boolean"), (.array, "array"), (.object, "object"):
            true
        // A whole number written with a fraction or exponent (`2.0`, `1e3`) is still an integer
        // to JSON Schema; whether it fits is the bounds' business.
        case (.number(let value), "integer"): value.rounded() == value && value.isFinite
        default: false
        }
    }
}

/// A regular expression compiled once. `NSRegularExpression` is immutable after creation and
/// documented as safe to use from several threads at once.
final class CompiledPattern: @unchecked Sendable {
    private let expression: NSRegularExpression?

    init(_ pattern: String) {
        expression = try? NSRegularExpression(pattern: pattern)
    }

    /// Whether the pattern matches all of `text` (ICU's `$` would also match before a final
    /// line break, which JSON Schema's does not).
    func matchesWhole(_ text: String) -> Bool {
        guard let expression else { return false }
        let whole = NSRange(text.startIndex..., in: text)
        return expression.firstMatch(in: text, range: whole)?.range == whole
    }
}
