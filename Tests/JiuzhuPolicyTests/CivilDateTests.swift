import Foundation
import JiuzhuDomain
import JiuzhuPolicy
import Testing

@Suite("CivilDate: validated dates and ages")
struct CivilDateTests {
    @Test(
        "valid dates parse and print back",
        arguments: ["2020-01-01", "2024-02-29", "2000-02-29", "1999-12-31", "0001-01-01"])
    func roundTrip(text: String) throws {
        #expect(try CivilDate(text).description == text)
    }

    @Test(
        "impossible or malformed dates are refused",
        arguments: [
            "2026-02-29", "1900-02-29", "2026-04-31", "2026-13-01", "2026-00-10", "2026-1-01", "20260101", "2026/01/01",
            "", "2026-01-01T00:00",
        ])
    func refuses(text: String) {
        #expect(throws: CivilDateError.self) { try CivilDate(text) }
    }

    @Test(
        "age counts completed years; 29 February completes on 1 March in a common year",
        arguments: [
            ("1965-03-01", "2025-02-28", 59), ("1965-03-01", "2025-03-01", 60), ("2007-03-02", "2025-03-01", 17),
            ("2007-03-01", "2025-03-01", 18), ("2008-02-29", "2026-02-28", 17), ("2008-02-29", "2026-03-01", 18),
            ("2008-02-29", "2028-02-29", 20), ("2020-06-15", "2020-06-15", 0), ("1999-12-31", "2000-01-01", 0),
        ] as [(String, String, Int)])
    func age(birth: String, on date: String, years: Int) throws {
        #expect(try CivilDate(birth).age(on: CivilDate(date)) == years)
    }

    @Test("ordering follows the calendar")
    func ordering() throws {
        #expect(try CivilDate("2026-06-30") < CivilDate("2026-07-01"))
        #expect(try CivilDate("2025-12-31") < CivilDate("2026-01-01"))
        #expect(try CivilDate("2026-07-15").firstOfMonth == CivilDate("2026-07-01"))
    }

    @Test("JSON uses YYYY-MM-DD and refuses an impossible date")
    func codable() throws {
        let data = try JSONEncoder().encode([try CivilDate("2026-07-01")])
        #expect(String(decoding: data, as: UTF8.self) == #"["2026-07-01"]"#)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([CivilDate].self, from: Data(#"["2026-02-30"]"#.utf8))
        }
    }
}
