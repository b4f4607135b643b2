import Foundation
import JiuzhuPolicy

extension FeedRecord {
    /// The record as the city stores it: JSON with sorted keys and unescaped slashes, amounts
    /// as whole fen, so equal records are equal bytes.
    ///
    /// ```swift
    /// record.canonicalJSON()
    /// // {"citizenID":"321202195803010113","date":"2026-10-12","facts":{"death":{"certificate":"…"}},"feed":"deaths",…}
    /// ```
    public func canonicalJSON() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    /// SHA-256 of ``canonicalJSON()``, 64 lowercase hex digits: the same record number sent
    /// again with the same hash is a repeat, with another hash a change.
    public var contentHash: String {
        // The policy files' fingerprint is the same SHA-256 (swift-crypto, which this module
        // reaches only through JiuzhuPolicy).
        PolicyDocument.contentHash(Array(canonicalJSON().utf8))
    }
}
