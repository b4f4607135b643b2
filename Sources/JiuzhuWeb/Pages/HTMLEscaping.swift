import Mustache

/// HTML escaping by Unicode scalars, for every value a page template shows.
///
/// swift-mustache's own HTML escaping compares whole Characters, so a `<` that shares its
/// grapheme cluster with a neighbour (`"\u{0600}<"`, `"\"\u{0301}"`) is not the Character
/// `<` and passes through; a browser parses scalars and sees the markup. Here every `&`,
/// `<`, `>`, `"` and `'` is replaced wherever it stands. They are ASCII, and in UTF-8 an
/// ASCII byte is never part of another scalar, so working on bytes is working on scalars.
///
/// ```swift
/// HTMLEscaping.escape("\u{0600}<b>")  // "\u{0600}&lt;b&gt;"
/// ```
struct HTMLEscaping: MustacheContentType {
    /// The name templates select this escaping by: `{{% CONTENT_TYPE: HTML_SCALARS }}`.
    static let contentTypeName = "HTML_SCALARS"

    /// The pragma `PageRenderer` puts before every template, so none can forget it.
    static let pragma = "{{% CONTENT_TYPE: \(contentTypeName) }}"

    func escapeText(_ text: String) -> String { Self.escape(text) }

    /// `text` with `&`, `<`, `>`, `"` and `'` replaced by character references.
    static func escape(_ text: String) -> String {
        let bytes = text.utf8
        guard bytes.contains(where: { replacement(for: $0) != nil }) else { return text }
        var escaped: [UInt8] = []
        escaped.reserveCapacity(bytes.count + 16)
        for byte in bytes {
            if let replacement = replacement(for: byte) {
                escaped.append(contentsOf: replacement.utf8)
            } else {
                escaped.append(byte)
            }
        }
        return String(decoding: escaped, as: UTF8.self)
    }

    private static func replacement(for byte: UInt8) -> String? {
        switch byte {
        case UInt8(ascii: "&"): "&amp;"
        case UInt8(ascii: "<"): "&lt;"
        case UInt8(ascii: ">"): "&gt;"
        case UInt8(ascii: "\""): "&quot;"
        case UInt8(ascii: "'"): "&#39;"
        default: nil
        }
    }
}
