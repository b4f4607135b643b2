/// The small part of JSON Schema the OpenAPI document needs to describe request bodies.
indirect enum JSONSchema: Encodable, Sendable {
    case string
    case integer
    case boolean
    case enumeration([String])
    case array(JSONSchema)
    /// Every property listed is required; no others are accepted.
    case object([String: JSONSchema])

    private enum Key: String, CodingKey {
        case type, items, properties, required, additionalProperties
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
        case .object(let properties):
            try container.encode("object", forKey: .type)
            try container.encode(properties, forKey: .properties)
            try container.encode(properties.keys.sorted(), forKey: .required)
            try container.encode(false, forKey: .additionalProperties)
        }
    }
}
