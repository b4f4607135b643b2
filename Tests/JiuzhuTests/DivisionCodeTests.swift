import JiuzhuDomain
import Testing

@Suite struct DivisionCodeTests {
    @Test(arguments: [
        ("321200", DivisionLevel.city), ("321281", .county), ("321281100", .township), ("321281100201", .village),
    ])
    func levelFollowsTheCodeShape(text: String, level: DivisionLevel) throws {
        #expect(try DivisionCode(text).level == level)
    }

    @Test(arguments: [
        ("32120A", DivisionCodeError.notDigits("32120A")),
        ("", .notDigits("")),
        ("3212", .wrongLength("3212")),
        ("3212810011", .wrongLength("3212810011")),
        ("320000", .provinceLevel("320000")),
        ("３２１２００", .notDigits("３２１２００")),
    ])
    func refusesCodesThatNameNoNode(text: String, error: DivisionCodeError) {
        #expect(throws: error) { try DivisionCode(text) }
    }

    @Test func jurisdictionContainment() throws {
        let city = try DivisionCode("321200")
        let county = try DivisionCode("321281")
        let township = try DivisionCode("321281100")
        #expect(county.isWithin(city))
        #expect(township.isWithin(county) && township.isWithin(city))
        #expect(try !DivisionCode("321181").isWithin(city))
        #expect(try !DivisionCode("321283100").isWithin(county))
        #expect(!city.isWithin(county))
    }
}
