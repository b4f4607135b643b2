import Foundation
import JiuzhuDomain
import JiuzhuPolicy

extension FeedRecord {
    /// The record as the city stores it: JSON with sorted keys and unescaped slashes, amounts
    /// as whole fen, so equal records are equal bytes.
    ///
    /// ```swift
    /// record.canonicalJSON()
    /// // {"citizenID":"321202195803010113","date":"2026-10-12","facts":{"death":{"certificate":"…"}},"feed":"deaths",…}
    /// ```
    ///
    /// Written field by field: a file of 100,000 records is encoded on import, and
    /// `JSONEncoder` took a second for it. The bytes are `JSONEncoder`'s with
    /// `[.sortedKeys, .withoutEscapingSlashes]` (a test holds them equal for every feed), and a
    /// record holding a control character, which no file may carry, is left to `JSONEncoder`.
    public func canonicalJSON() -> String {
        guard !hasControlCharacter else { return encodedByFoundation() }
        var json = JSONWriter(capacity: 256)
        json.beginObject()
        json.field("citizenID", citizenID)
        json.field("date", date.description)
        json.key("facts")
        facts.write(to: &json)
        json.field("feed", feed.rawValue)
        json.field("name", name)
        json.field("recordID", recordID)
        json.endObject()
        return String(decoding: json.bytes, as: UTF8.self)
    }

    /// SHA-256 of ``canonicalJSON()``, 64 lowercase hex digits: the same record number sent
    /// again with the same hash is a repeat, with another hash a change.
    public var contentHash: String {
        // The policy files' fingerprint is the same SHA-256 (swift-crypto, which this module
        // reaches only through JiuzhuPolicy).
        PolicyDocument.contentHash(Array(canonicalJSON().utf8))
    }

    /// The canonical form as `JSONEncoder` writes it.
    func encodedByFoundation() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    private var hasControlCharacter: Bool {
        ([recordID, citizenID, name ?? ""] + facts.texts).contains { $0.utf8.contains { $0 < 0x20 } }
    }
}

extension FeedFacts {
    /// `{"<case>":{<its values, keys sorted>}}`, as `Codable` writes an enum's case; a nil
    /// value is left out.
    fileprivate func write(to json: inout JSONWriter) {
        json.beginObject()
        switch self {
        case .death(let certificate):
            json.key("death")
            json.beginObject()
            json.field("certificate", certificate)
        case .employment(let employer, let monthlyWage, let contributionBase):
            json.key("employment")
            json.beginObject()
            json.field("contributionBase", contributionBase?.rawValue)
            json.field("employer", employer)
            json.field("monthlyWage", monthlyWage.rawValue)
        case .medical(let totalCost, let outOfPocket, let seriousIllness, let diagnosis):
            json.key("medical")
            json.beginObject()
            json.field("diagnosis", diagnosis)
            json.field("outOfPocket", outOfPocket.rawValue)
            json.field("seriousIllness", seriousIllness)
            json.field("totalCost", totalCost.rawValue)
        case .disability(let category, let grade):
            json.key("disability")
            json.beginObject()
            json.field("category", category.rawValue)
            json.field("grade", Int64(grade))
        case .schooling(let event, let level, let school):
            json.key("schooling")
            json.beginObject()
            json.field("event", event.rawValue)
            json.field("level", level.rawValue)
            json.field("school", school)
        case .property(let kind, let description, let value):
            json.key("property")
            json.beginObject()
            json.field("description", description)
            json.field("kind", kind.rawValue)
            json.field("value", value?.rawValue)
        case .business(let name, let registeredCapital, let active):
            json.key("business")
            json.beginObject()
            json.field("active", active)
            json.field("name", name)
            json.field("registeredCapital", registeredCapital?.rawValue)
        case .disaster(let event, let kind, let loss):
            json.key("disaster")
            json.beginObject()
            json.field("event", event)
            json.field("kind", kind)
            json.field("loss", loss?.rawValue)
        }
        json.endObject()
        json.endObject()
    }

    /// The free texts the facts hold.
    fileprivate var texts: [String] {
        switch self {
        case .death(let certificate): [certificate ?? ""]
        case .employment(let employer, _, _): [employer]
        case .medical(_, _, _, let diagnosis): [diagnosis ?? ""]
        case .disability: []
        case .schooling(_, _, let school): [school ?? ""]
        case .property(_, let description, _): [description]
        case .business(let name, _, _): [name]
        case .disaster(let event, let kind, _): [event, kind]
        }
    }
}
