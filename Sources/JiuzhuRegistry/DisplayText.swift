/// The rules for text a person reads on every page up to the city: names and addresses.
///
/// Refused, so that what is stored looks like what is shown: control characters (Unicode
/// general category Cc: tabs, line breaks, NUL, DEL, C1 controls), format characters (Cf:
/// invisible and direction-changing ones such as U+200B, U+202E, U+0600) and a combining mark
/// (Mn, Mc, Me) as the first scalar, which would fuse with whatever markup or text comes
/// before it.
///
/// ```swift
/// DisplayText.problem(in: "张\u{200B}三")  // "含有不可见的格式字符 U+200B"
/// DisplayText.problem(in: "张三")          // nil
/// ```
public enum DisplayText {
    /// Why `text` cannot be stored as a name or address, in Chinese, or nil when it can.
    public static func problem(in text: String) -> String? {
        let scalars = text.unicodeScalars
        if let first = scalars.first, isCombiningMark(first) {
            return "不能以组合符号 \(code(first)) 开头"
        }
        for scalar in scalars {
            switch scalar.properties.generalCategory {
            case .control: return "含有控制字符 \(code(scalar))"
            case .format: return "含有不可见的格式字符 \(code(scalar))"
            default: continue
            }
        }
        return nil
    }

    static func isCombiningMark(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark: true
        default: false
        }
    }

    /// `U+200B`: the scalar named by its code, since it may not be visible.
    static func code(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}
