import Foundation
import JiuzhuDomain
import JiuzhuPolicy
import Testing

@Suite("Fen: integer money parsed exactly")
struct FenTests {
    @Test(
        "yuan text parses to exact fen",
        arguments: [
            ("710", 71000), ("710.5", 71050), ("710.50", 71050), ("0.01", 1), ("0", 0), ("-3.20", -320),
            ("123456789012345", 12_345_678_901_234_500),
        ] as [(String, Int64)])
    func parses(text: String, fen: Int64) throws {
        #expect(try Fen(yuan: text).rawValue == fen)
    }

    @Test(
        "bad yuan text is refused",
        arguments: [
            "", ".", "710.", ".5", "710.505", "7,10", "710元", "1e3", "--1", "1.2.3", " 710", "1234567890123456",
        ])
    func refuses(text: String) {
        #expect(throws: FenParseError.self) { try Fen(yuan: text) }
    }

    @Test(
        "shown with two decimals and the unit",
        arguments: [(71000, "710.00元"), (5, "0.05元"), (-320, "-3.20元"), (70999, "709.99元")] as [(Int64, String)])
    func shows(fen: Int64, text: String) {
        #expect(Fen(fen).description == text)
    }

    @Test("encodes as a bare integer and refuses strings and fractions")
    func codable() throws {
        let data = try JSONEncoder().encode([Fen(71000)])
        #expect(String(decoding: data, as: UTF8.self) == "[71000]")
        #expect(try JSONDecoder().decode([Fen].self, from: Data("[71000]".utf8)) == [Fen(71000)])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([Fen].self, from: Data(#"["710"]"#.utf8)) }
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([Fen].self, from: Data("[710.5]".utf8)) }
    }
}
