/// The text encodings a registry file from Excel can arrive in.
public enum RegistryTextEncoding: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// UTF-8 without a byte-order mark (LibreOffice, WPS, most scripts).
    case utf8
    /// UTF-8 starting with EF BB BF ("CSV UTF-8" in Excel 2016+).
    case utf8BOM
    /// GB18030, what "CSV (comma delimited)" in Excel on Chinese Windows writes; GBK and GB2312 are subsets.
    case gb18030

    /// The name to show the user after an import, e.g. "UTF-8（带 BOM）".
    public var description: String {
        switch self {
        case .utf8: "UTF-8"
        case .utf8BOM: "UTF-8（带 BOM）"
        case .gb18030: "GB18030（GBK）"
        }
    }
}

/// Guesses the encoding of a text file from its bytes.
///
/// The rule is deliberately simple: a UTF-8 byte-order mark wins; otherwise bytes that are
/// well-formed UTF-8 are UTF-8; anything else is taken to be GB18030. Well-formed UTF-8 is
/// very unlikely to be produced by GB18030 text of any length, so this rarely guesses wrong;
/// a very short GB18030 file can still happen to be valid UTF-8 (the classic "联通" case).
///
/// ```swift
/// TextEncodingDetector.detect([0xEF, 0xBB, 0xBF, 0x41])  // .utf8BOM
/// TextEncodingDetector.detect([0xD6, 0xD0, 0xCE, 0xC4])  // .gb18030 ("中文")
/// ```
public enum TextEncodingDetector {
    /// The UTF-8 byte-order mark.
    public static let utf8BOM: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// Returns the encoding the bytes are most likely in.
    /// - Parameter bytes: The whole file.
    public static func detect(_ bytes: some Collection<UInt8>) -> RegistryTextEncoding {
        if bytes.starts(with: utf8BOM) { return .utf8BOM }
        return firstInvalidUTF8Offset(bytes) == nil ? .utf8 : .gb18030
    }

    /// The 0-based offset of the first byte that is not part of a well-formed UTF-8 sequence, or `nil`.
    ///
    /// Follows table 3-7 of the Unicode standard, so overlong forms, surrogates and code points
    /// above U+10FFFF are rejected, as are sequences cut off at the end.
    /// - Parameter bytes: The bytes to check.
    public static func firstInvalidUTF8Offset(_ bytes: some Collection<UInt8>) -> Int? {
        let bytes = Array(bytes)
        var index = 0
        while index < bytes.count {
            let lead = bytes[index]
            if lead < 0x80 {
                index += 1
                continue
            }
            // Allowed range of the second byte and total length, per lead byte.
            let second: ClosedRange<UInt8>
            let length: Int
            switch lead {
            case 0xC2...0xDF: (second, length) = (0x80...0xBF, 2)
            case 0xE0: (second, length) = (0xA0...0xBF, 3)
            case 0xE1...0xEC, 0xEE...0xEF: (second, length) = (0x80...0xBF, 3)
            case 0xED: (second, length) = (0x80...0x9F, 3)
            case 0xF0: (second, length) = (0x90...0xBF, 4)
            case 0xF1...0xF3: (second, length) = (0x80...0xBF, 4)
            case 0xF4: (second, length) = (0x80...0x8F, 4)
            default: return index
            }
            guard index + 1 < bytes.count, second.contains(bytes[index + 1]) else { return index }
            for next in (index + 2)..<(index + length) {
                guard next < bytes.count, (0x80...0xBF).contains(bytes[next]) else { return index }
            }
            index += length
        }
        return nil
    }
}
