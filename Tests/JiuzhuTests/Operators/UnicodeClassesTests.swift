import Testing

@testable import JiuzhuWeb

/// The character classes in the OpenAPI document's patterns, built in one pass over every
/// scalar, say what Swift's own Unicode properties say for characters of each kind.
@Suite struct UnicodeClassesTests {
    @Test func namesAndAddressesRefuseControlsFormatsAndALeadingMark() {
        let plain = CompiledPattern(UnicodeClasses.plainTextPattern)
        for accepted in ["张三", "泰州市海陵区 1 号", "\u{3000}李四", " a\u{0301}", "Zoë"] {
            #expect(plain.matchesWhole(accepted), "\(accepted.unicodeScalars.map(\.value))")
        }
        // A control, a format character (zero-width space, a tag), a leading combining mark,
        // nothing but whitespace.
        for refused in ["王\u{0007}五", "\u{200B}王五", "王五\u{E0041}", "\u{0301}a", "\u{3000} ", ""] {
            #expect(!plain.matchesWhole(refused), "\(refused.unicodeScalars.map(\.value))")
        }
    }

    @Test func displayNamesAreTrimmedOfTabsAndSpacesOnly() {
        let display = CompiledPattern(UnicodeClasses.displayNamePattern)
        for accepted in ["王五", "\t王五\u{3000}", "王 五"] {
            #expect(display.matchesWhole(accepted), "\(accepted.unicodeScalars.map(\.value))")
        }
        for refused in ["王\u{0000}五", "\u{0085}王五", " ", "\t"] {
            #expect(!display.matchesWhole(refused), "\(refused.unicodeScalars.map(\.value))")
        }
    }

    @Test func whitespaceIsWhatSwiftCountsAsWhitespace() {
        let whitespace = CompiledPattern("^[\(UnicodeClasses.whitespace)]+$")
        for value in [0x09, 0x0A, 0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2028, 0x2029, 0x3000] as [UInt32] {
            #expect(whitespace.matchesWhole(String(Unicode.Scalar(value)!)), "\(value)")
        }
        for value in [0x00, 0x41, 0x200B, 0x4E00, 0xFEFF] as [UInt32] {
            #expect(!whitespace.matchesWhole(String(Unicode.Scalar(value)!)), "\(value)")
        }
    }
}
