import Foundation
import JiuzhuDomain
import JiuzhuPolicy
import JiuzhuRegistry

/// The part of JSON Schema (2020-12, the dialect of OpenAPI 3.1) the OpenAPI document needs
/// to say exactly what a route accepts and answers: types, bounds, patterns, enumerations,
/// required keys and whether other keys are refused.
///
/// A request schema must agree with the decoder and the validation behind it both ways: what
/// it allows is accepted (unless a rule across fields, such as a citizen ID's check character,
/// refuses it) and what it forbids is refused. Optional request fields are nullable because
/// the decoders read `null` as absent.
///
/// ```swift
/// let body = JSONSchema.input(required: ["text": .string(minLength: 1)], optional: ["note": .string()])
/// ```
struct JSONSchema: Encodable, Sendable {
    private(set) var types: [String] = []
    private(set) var nullable = false
    private(set) var summary: String?
    private(set) var values: [String]?
    private(set) var minimum: Int64?
    private(set) var maximum: Int64?
    private(set) var minLength: Int?
    private(set) var maxLength: Int?
    private(set) var pattern: String?
    private(set) var format: String?
    private(set) var properties: [String: JSONSchema]?
    private(set) var required: [String]?
    private(set) var closed: Bool?
    /// The schema of every value of a map (`additionalProperties`); empty or one element.
    private(set) var valueSchema: [JSONSchema] = []
    /// The schema of every item of an array; empty or one element.
    private(set) var itemSchema: [JSONSchema] = []
    private(set) var minItems: Int?
    private(set) var maxItems: Int?
    /// A date the calculator can compute for: its pattern comes from the policy in force when
    /// the document is written (``policyStartKey`` in the encoder's user info).
    private(set) var fromPolicyStart = false
    /// `pattern`, compiled once where the schema is declared, for ``validate(_:)``.
    private(set) var compiledPattern: CompiledPattern?

    /// Where the encoder finds the first date the node's policy computes for.
    static let policyStartKey = CodingUserInfoKey(rawValue: "jiuzhu.policyStart")!

    private init(type: String?) {
        if let type { types = [type] }
    }

    /// Any JSON value (the OpenAPI document itself).
    static let anyValue = JSONSchema(type: nil)

    static let boolean = JSONSchema(type: "boolean")

    /// A string, with its length in Unicode code points and a pattern (ECMA-262, as JSON Schema
    /// writes them, limited to what Python's `re` also reads, so schemathesis can generate from it).
    static func string(
        minLength: Int? = nil, maxLength: Int? = nil, pattern: String? = nil, format: String? = nil
    ) -> JSONSchema {
        var schema = JSONSchema(type: "string")
        schema.minLength = minLength
        schema.maxLength = maxLength
        schema.pattern = pattern
        schema.compiledPattern = pattern.map(CompiledPattern.init)
        schema.format = format
        return schema
    }

    /// An integer, optionally within `range`.
    static func integer(_ range: ClosedRange<Int64>? = nil) -> JSONSchema {
        var schema = JSONSchema(type: "integer")
        schema.minimum = range?.lowerBound
        schema.maximum = range?.upperBound
        return schema
    }

    static func integer(_ range: ClosedRange<Int>) -> JSONSchema {
        integer(Int64(range.lowerBound)...Int64(range.upperBound))
    }

    /// A number (a figure that may have a fraction, such as seconds).
    static let number = JSONSchema(type: "number")

    /// One of `values`.
    static func enumeration(_ values: [String]) -> JSONSchema {
        var schema = JSONSchema(type: "string")
        schema.values = values
        return schema
    }

    /// One of the codes of `type` (`Sex`, `Programme`, …).
    static func codes<T: CaseIterable & RawRepresentable>(_ type: T.Type) -> JSONSchema where T.RawValue == String {
        enumeration(T.allCases.map(\.rawValue))
    }

    /// A list of `items`, with at most and at least `count` of them.
    static func array(_ items: JSONSchema, count: ClosedRange<Int>? = nil) -> JSONSchema {
        var schema = JSONSchema(type: "array")
        schema.itemSchema = [items]
        schema.minItems = count.map(\.lowerBound).flatMap { $0 > 0 ? $0 : nil }
        schema.maxItems = count?.upperBound
        return schema
    }

    /// An object whose keys are not known in advance (`{"321281": 12, …}`), each value `values`.
    static func map(_ values: JSONSchema) -> JSONSchema {
        var schema = JSONSchema(type: "object")
        schema.valueSchema = [values]
        return schema
    }

    /// A request object as a strict decoder reads it: the `required` keys must be there, the
    /// `optional` ones may be there or be `null`, and any other key is refused.
    static func input(required: [String: JSONSchema], optional: [String: JSONSchema] = [:]) -> JSONSchema {
        object(required: required, optional: optional.mapValues(\.orNull), closed: true)
    }

    /// A request object decoded leniently: keys not listed are ignored, not refused.
    static func lenientInput(required: [String: JSONSchema], optional: [String: JSONSchema] = [:]) -> JSONSchema {
        object(required: required, optional: optional.mapValues(\.orNull), closed: false)
    }

    /// A response object: the `required` keys are always there, the `optional` ones only when
    /// they have a value (never `null`), and nothing else.
    static func output(required: [String: JSONSchema], optional: [String: JSONSchema] = [:]) -> JSONSchema {
        object(required: required, optional: optional, closed: true)
    }

    private static func object(required: [String: JSONSchema], optional: [String: JSONSchema], closed: Bool)
        -> JSONSchema
    {
        var schema = JSONSchema(type: "object")
        schema.properties = required.merging(optional) { first, _ in first }
        schema.required = required.keys.sorted()
        schema.closed = closed
        return schema
    }

    /// The same schema, also allowing `null`.
    var orNull: JSONSchema {
        var schema = self
        schema.nullable = true
        return schema
    }

    /// The same schema with a description for the reader.
    func described(_ text: String) -> JSONSchema {
        var schema = self
        schema.summary = text
        return schema
    }

    private enum Key: String, CodingKey {
        case type, description, minimum, maximum, minLength, maxLength, pattern, format, properties, required
        case additionalProperties, items, minItems, maxItems
        case enumeration = "enum"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        let allTypes = nullable && !types.isEmpty ? types + ["null"] : types
        if allTypes.count == 1 {
            try container.encode(allTypes[0], forKey: .type)
        } else if !allTypes.isEmpty {
            try container.encode(allTypes, forKey: .type)
        }
        try container.encodeIfPresent(summary, forKey: .description)
        if let values {
            var list = container.nestedUnkeyedContainer(forKey: .enumeration)
            for value in values { try list.encode(value) }
            if nullable { try list.encodeNil() }
        }
        try container.encodeIfPresent(minimum, forKey: .minimum)
        try container.encodeIfPresent(maximum, forKey: .maximum)
        try container.encodeIfPresent(minLength, forKey: .minLength)
        try container.encodeIfPresent(maxLength, forKey: .maxLength)
        if fromPolicyStart, let first = encoder.userInfo[Self.policyStartKey] as? CivilDate {
            try container.encode(DigitPatterns.dateOnOrAfter(first), forKey: .pattern)
        } else {
            try container.encodeIfPresent(pattern, forKey: .pattern)
        }
        try container.encodeIfPresent(format, forKey: .format)
        try container.encodeIfPresent(properties, forKey: .properties)
        if let required, !required.isEmpty { try container.encode(required, forKey: .required) }
        if let value = valueSchema.first {
            try container.encode(value, forKey: .additionalProperties)
        } else if let closed {
            try container.encode(!closed, forKey: .additionalProperties)
        }
        try container.encodeIfPresent(itemSchema.first, forKey: .items)
        try container.encodeIfPresent(minItems, forKey: .minItems)
        try container.encodeIfPresent(maxItems, forKey: .maxItems)
    }
}

// The values every part of the API shares.
extension JSONSchema {
    /// An amount of money in fen, within ``InputBounds/amountFen``.
    static let fen = integer(InputBounds.amountFen).described(
        "金额（分），\(InputBounds.amountFen.lowerBound)–\(InputBounds.amountFen.upperBound)")

    /// An amount in an answer: computed figures are never bounded by what one input may be.
    static let fenValue = integer().described("金额（分）")

    /// A civil date, `YYYY-MM-DD`.
    static let date = string(pattern: "^[0-9]{4}-[0-9]{2}-[0-9]{2}$", format: "date")

    /// A date on or after the first the policy in force computes for.
    static let policyDate: JSONSchema = {
        var schema = date
        schema.fromPolicyStart = true
        return schema.described("计算日期 YYYY-MM-DD，不早于本节点政策的施行日期")
    }()

    /// Text read as a whole number in `range` (a query parameter); blank means absent.
    static func integerText(_ range: ClosedRange<Int64>) -> JSONSchema {
        string(pattern: DigitPatterns.integerText(range))
    }

    /// A point in time as the API writes it (ISO 8601, UTC).
    static let timestamp = string(format: "date-time")

    /// Any string the server writes.
    static let text = string()

    /// A division code of a node level: six digits of a prefecture or county (not a province's
    /// `xx0000`), nine of a township, twelve of a village.
    static let divisionCode = string(pattern: divisionCodePattern).described("行政区划代码（6、9 或 12 位数字）")

    static let divisionCodePattern =
        "^([0-9]{2}([1-9][0-9]{3}|0[1-9][0-9]{2}|00[1-9][0-9]|000[1-9])|[0-9]{9}|[0-9]{12})$"

    /// A division code in a query, where a blank value means none.
    static let divisionCodeOrBlank = string(pattern: "^(" + divisionCodePattern.dropFirst().dropLast() + ")?$")
        .described("行政区划代码（6、9 或 12 位数字），留空表示不限")

    /// A village's code: twelve digits.
    static let villageCode = string(pattern: "^[0-9]{12}$")

    /// A household's number, `<village>-<number>`.
    static let householdID = string(pattern: "^[0-9]{12}-[0-9A-Za-z]{1,32}$").described("户编号：村（居）代码-序号")

    /// An 18-character citizen ID number (GB 11643) as the decoder reads it: a province-level
    /// code, a birth date from 1900, a sequence and the check character (a lowercase `x` is
    /// read as `X`). The check character, whether the date exists and is not in the future, and
    /// whether it agrees with the member's sex and birth date are checked beyond the schema.
    static let citizenID = string(pattern: citizenIDPattern).described(
        "公民身份号码（18 位；校验位、出生日期与性别另行核对）")

    static let citizenIDPattern =
        "^(" + CitizenID.provinceCodes.sorted().joined(separator: "|")
        + ")[0-9]{4}(19|20)[0-9]{2}(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])[0-9]{3}[0-9Xx]$"

    /// The body of every refusal: what is wrong in Chinese, and the field when one is at fault.
    static let refusal = output(required: ["error": text], optional: ["field": text])
}

// Names and addresses, as the registry checks them.
extension JSONSchema {
    /// A name or an address of 1 to `maximum` characters: surrounding whitespace is trimmed,
    /// control (Cc) and format (Cf) characters are refused anywhere, and the first character
    /// after the whitespace must not be a combining mark (Mn, Mc, Me), which would join a
    /// character of the markup around it.
    static func plainText(maximum: Int) -> JSONSchema {
        string(minLength: 1, maxLength: maximum, pattern: UnicodeClasses.plainTextPattern)
    }

    /// A phone number: 7 to 12 ASCII digits, with spaces and hyphens between them.
    static let phone = string(
        pattern: "^[\(UnicodeClasses.whitespace)-]*([0-9][\(UnicodeClasses.whitespace)-]*){7,12}$")
}
