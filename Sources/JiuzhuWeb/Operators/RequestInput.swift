import Foundation
import Hummingbird
import JiuzhuServices
import NIOCore

/// The fields of an `application/x-www-form-urlencoded` body.
struct FormInput: Sendable {
    private let fields: [String: String]

    init(_ buffer: ByteBuffer) {
        var fields: [String: String] = [:]
        for pair in String(buffer: buffer).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ part: Substring) -> String {
                String(part).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            fields[decode(parts[0])] = parts.count > 1 ? decode(parts[1]) : ""
        }
        self.fields = fields
    }

    subscript(_ name: String) -> String? { fields[name] }

    /// A field that must be present and not blank.
    func required(_ name: String, label: String) throws -> String {
        guard let value = fields[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else {
            throw InputError(field: name, "请填写\(label)")
        }
        return value
    }
}

/// Strict JSON decoding for the API: the error names the field and says what was wrong.
enum JSONInput {
    static func decode<T: Decodable>(_ type: T.Type, from buffer: ByteBuffer) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(buffer: buffer))
        } catch let error as DecodingError {
            throw inputError(error)
        } catch {
            throw InputError(field: nil, "请求体不是有效的 JSON")
        }
    }

    static func inputError(_ error: DecodingError) -> InputError {
        func path(_ codingPath: [any CodingKey]) -> String? {
            codingPath.isEmpty
                ? nil : codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            return InputError(field: path(context.codingPath + [key]), "缺少此字段")
        case .typeMismatch(_, let context):
            return InputError(field: path(context.codingPath), "类型不对")
        case .valueNotFound(_, let context):
            return InputError(field: path(context.codingPath), "不能为空")
        case .dataCorrupted(let context):
            if let field = path(context.codingPath) { return InputError(field: field, "取值无效") }
            return InputError(field: nil, "请求体不是有效的 JSON")
        @unknown default:
            return InputError(field: nil, "请求体无法解读")
        }
    }
}
