/// The small part of JSON Schema the OpenAPI document needs to describe request bodies.
indirect enum JSONSchema: Encodable, Sendable {
    case string
    case integer
    case boolean
    case enumeration([String])
    case array(JSONSchema)
    /// Every property listed is required unless named in `optional`; no others are accepted.
    case object([String: JSONSchema], optional: Set<String> = [])
    /// An object described elsewhere (a household, a what-if situation).
    case anyObject(description: String)

    private enum Key: String, CodingKey {
        case type, items, properties, required, additionalProperties, description
        case enumeration = "enum"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        switch self {
        case .string: try container.encode("string", forKey: .type)
        case .integer: try container.encode("integer", forKey: .type)
        case .boolean: try container.encode("boolean", forKey: .type)
        case .enumeration(let values):
            try container.encode("string", forKey: .type)
            try container.encode(values, forKey: .enumeration)
        case .array(let items):
            try container.encode("array", forKey: .type)
            try container.encode(items, forKey: .items)
        case .anyObject(let description):
            try container.encode("object", forKey: .type)
            try container.encode(description, forKey: .description)
        case .object(let properties, let optional):
            try container.encode("object", forKey: .type)
            try container.encode(properties, forKey: .properties)
            try container.encode(properties.keys.filter { !optional.contains($0) }.sorted(), forKey: .required)
            try container.encode(false, forKey: .additionalProperties)
        }
    }
}
