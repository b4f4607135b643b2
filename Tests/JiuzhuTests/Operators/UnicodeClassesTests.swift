import Foundation
import Testing

@testable import JiuzhuWeb

/// The character classes in the OpenAPI document's patterns say what Swift's own Unicode
/// properties say for characters of each kind.
@Suite struct UnicodeClassesTests {
    /// The node holds the classes written out; derived again from this toolchain's properties,
    /// they are the same. When they are not (a toolchain with newer Unicode tables), the test
    /// writes the file anew in the temporary directory, for a developer to compare and copy over.
    @Test func theWrittenClassesAreWhatSwiftsPropertiesGive() throws {
        let derived = [
            UnicodeClassDerivation.plainTextPattern, UnicodeClassDerivation.displayNamePattern,
            UnicodeClassDerivation.whitespace,
        ]
        let written = [UnicodeClasses.plainTextPattern, UnicodeClasses.displayNamePattern, UnicodeClasses.whitespace]
        guard derived.map(\.unicodeScalars).map(Array.init) != written.map(\.unicodeScalars).map(Array.init) else {
            return
        }
        let file = FileManager.default.temporaryDirectory.appending(path: "UnicodeClasses.swift")
        try UnicodeClassDerivation.source().write(to: file, atomically: true, encoding: .utf8)
        Issue.record("Sources/JiuzhuWeb/Operators/UnicodeClasses.swift differs from this toolchain's: see \(file.path)")
    }

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

/// How the classes are derived: one pass over every scalar, reading each one's category once.
enum UnicodeClassDerivation {
    /// `^W*[^WCM][^C]*$`: whitespace, then a character that is neither whitespace, a control or
    /// format character nor a combining mark, then no control or format characters.
    static let plainTextPattern: String = {
        let notFirst = classBody(scan.forbidden + scan.marks + scan.spaces)
        return "^[\(classBody(scan.spaces))]*[^\(notFirst)][^\(classBody(scan.forbidden))]*$"
    }()

    /// A display name as `NewAccount` checks it: tabs and spaces (Zs) around it are trimmed,
    /// 1 to 40 characters remain, none of them a control character.
    static let displayNamePattern: String = {
        let (spaces, controls) = (classBody(scan.tabsAndSpaces), classBody(scan.controls))
        let edge = classBody(scan.tabsAndSpaces + scan.controls)
        return "^[\(spaces)]*[^\(edge)]([^\(controls)]*[^\(edge)])?[\(spaces)]*$"
    }()

    /// Every scalar Swift's `Character.isWhitespace` counts, as the body of a class.
    static let whitespace: String = classBody(scan.whitespace)

    /// The scalars of each class, as ranges.
    private struct Scan {
        /// Control (Cc) and format (Cf) characters.
        var forbidden: [ClosedRange<UInt32>] = []
        /// Combining marks (Mn, Mc, Me).
        var marks: [ClosedRange<UInt32>] = []
        /// Whitespace that is not a control character.
        var spaces: [ClosedRange<UInt32>] = []
        /// The tab and space separators (Zs).
        var tabsAndSpaces: [ClosedRange<UInt32>] = []
        /// Control characters (Cc).
        var controls: [ClosedRange<UInt32>] = []
        /// All whitespace.
        var whitespace: [ClosedRange<UInt32>] = []
    }

    /// One pass over every scalar, reading each one's category once.
    private static let scan: Scan = {
        var scan = Scan()
        func add(_ value: UInt32, to ranges: inout [ClosedRange<UInt32>]) {
            if let last = ranges.last, last.upperBound + 1 == value {
                ranges[ranges.count - 1] = last.lowerBound...value
            } else {
                ranges.append(value...value)
            }
        }
        for value in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let category = scalar.properties.generalCategory
            // White_Space holds only for control characters and separators (Zs, Zl, Zp): the
            // one lookup per scalar is its category.
            let isWhitespace =
                switch category {
                case .control, .spaceSeparator, .lineSeparator, .paragraphSeparator: scalar.properties.isWhitespace
                default: false
                }
            switch category {
            case .control:
                add(value, to: &scan.forbidden)
                add(value, to: &scan.controls)
            case .format: add(value, to: &scan.forbidden)
            case .nonspacingMark, .spacingMark, .enclosingMark: add(value, to: &scan.marks)
            default: break
            }
            if isWhitespace {
                add(value, to: &scan.whitespace)
                if category != .control { add(value, to: &scan.spaces) }
            }
            if value == 0x09 || category == .spaceSeparator { add(value, to: &scan.tabsAndSpaces) }
        }
        return scan
    }()

    /// `\u0000-\u001F…`: BMP scalars as `\uXXXX` (read alike by ECMA-262 and Python), others
    /// as themselves, since the two write escapes beyond the BMP differently.
    private static func classBody(_ ranges: [ClosedRange<UInt32>]) -> String {
        func write(_ value: UInt32) -> String {
            if value <= 0xFFFF {
                let hex = String(value, radix: 16, uppercase: true)
                return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            }
            return Unicode.Scalar(value).map { String(Character($0)) } ?? ""
        }
        return ranges.sorted { $0.lowerBound < $1.lowerBound }.map { range in
            range.lowerBound == range.upperBound
                ? write(range.lowerBound) : write(range.lowerBound) + "-" + write(range.upperBound)
        }.joined()
    }
    /// `UnicodeClasses.swift` as it should read: each pattern in ASCII-only literals of about
    /// 80 characters, joined.
    static func source() -> String {
        func literal(_ text: String) -> [String] {
            var pieces: [String] = []
            var piece = ""
            for scalar in text.unicodeScalars {
                // A line ends before an escape, never inside one.
                if scalar == "\\" || !scalar.isASCII, piece.utf8.count >= 80 {
                    pieces.append(piece)
                    piece = ""
                }
                let written =
                    switch scalar {
                    case "\\": "\\\\"
                    case "\"": "\\\""
                    case " "..."~": String(scalar)
                    default: "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
                    }
                piece += written
            }
            if !piece.isEmpty || pieces.isEmpty { pieces.append(piece) }
            return pieces
        }
        func declaration(_ name: String, _ value: String) -> String {
            let pieces = literal(value)
            if pieces.count == 1 { return "    static let \(name) = \"\(pieces[0])\"" }
            let lines = pieces.map { "        \"\($0)\"," }.joined(separator: "\n")
            return "    static let \(name) = [\n\(lines)\n    ].joined()"
        }
        return """
            /// Character classes for patterns, from the Unicode properties Swift itself checks, so the
            /// document and the validation agree on every code point.
            ///
            /// Written out rather than derived as the node starts: the one pass over every scalar that
            /// derives them took 0.06–0.08 s of a restarted node's start, while its children waited.
            /// `UnicodeClassesTests` derives them again and fails, writing this file anew, when a
            /// toolchain's Unicode tables differ.
            enum UnicodeClasses {
                /// `^W*[^WCM][^C]*$`: whitespace, then a character that is neither whitespace, a control
                /// or format character nor a combining mark, then no control or format characters.
            \(declaration("plainTextPattern", plainTextPattern))

                /// A display name as `NewAccount` checks it: tabs and spaces (Zs) around it are trimmed,
                /// 1 to 40 characters remain, none of them a control character.
            \(declaration("displayNamePattern", displayNamePattern))

                /// Every scalar Swift's `Character.isWhitespace` counts, as the body of a class.
            \(declaration("whitespace", whitespace))
            }

            """
    }
}
