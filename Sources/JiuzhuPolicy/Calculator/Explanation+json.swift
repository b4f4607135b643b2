import JiuzhuDomain

/// A direct JSON writer for `Explanation`: the same document `JSONEncoder` writes (the API
/// answers with one per request) in a fraction of the time, because Foundation's encoder
/// dominates the calculator's cost once the rules themselves take microseconds.
extension Explanation {
    /// The explanation as UTF-8 JSON, with the shape of its `Codable` encoding.
    public func json() -> [UInt8] {
        var out = JSONWriter()
        out.beginObject()
        out.key("policyVersion")
        out.beginObject()
        out.field("id", policyVersion.id)
        out.field("contentHash", policyVersion.contentHash)
        out.endObject()
        out.field("date", date.description)
        out.key("figures")
        out.beginArray()
        for figure in figures {
            out.beginObject()
            out.field("name", figure.name)
            out.field("value", figure.value)
            out.endObject()
        }
        out.endArray()
        out.key("programmes")
        out.beginArray()
        for programme in programmes { out.write(programme) }
        out.endArray()
        out.field("tier", Int64(tier.rawValue))
        out.field("tierText", tierText)
        out.endObject()
        return out.bytes
    }
}

extension JSONWriter {
    fileprivate mutating func write(_ item: Explanation.ProgrammeExplanation) {
        beginObject()
        field("programme", item.programme.rawValue)
        field("name", item.name)
        field("eligible", item.eligible)
        field("amount", item.amount.rawValue)
        field("period", item.period)
        field("rule", item.rule)
        key("conditions")
        beginArray()
        for condition in item.conditions {
            beginObject()
            field("text", condition.text)
            field("met", condition.met)
            endObject()
        }
        endArray()
        key("parameters")
        beginArray()
        for parameter in item.parameters {
            beginObject()
            field("key", parameter.key.rawValue)
            field("name", parameter.name)
            field("value", parameter.value)
            field("effectiveFrom", parameter.effectiveFrom.description)
            field("valueText", parameter.valueText)
            field("definitionText", parameter.definitionText)
            endObject()
        }
        endArray()
        field("calculation", item.calculation)
        field("excludedBy", item.excludedBy?.rawValue)
        endObject()
    }
}
