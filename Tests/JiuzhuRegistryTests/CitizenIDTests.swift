import JiuzhuDomain
import JiuzhuRegistry
import Testing

/// Appends the MOD 11-2 check character, computed independently of the code under test.
private func withCheck(_ seventeen: String) -> String {
    let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    let map = Array("10X98765432")
    let sum = zip(seventeen.compactMap(\.wholeNumberValue), weights).reduce(0) { $0 + $1.0 * $1.1 }
    return seventeen + String(map[sum % 11])
}

private let today = (year: 2025, month: 6, day: 1)

@Suite("CitizenID")
struct CitizenIDTests {
    @Test func wellKnownSampleIsValid() throws {
        let id = try CitizenID("11010519491231002X", today: today)
        #expect(id.normalized == "11010519491231002X")
        #expect(id.regionCode == "110105")
        #expect(id.birthYear == 1949)
        #expect(id.birthMonth == 12)
        #expect(id.birthDay == 31)
        #expect(id.sex == .female)
        #expect(id.masked == "110105********002X")
        #expect("\(id)" == "110105********002X")
    }

    @Test(arguments: [
        ("32120219850101001", CitizenSex.male),
        ("32128319850101123", .male),
        ("32120320101231002", .female),
        ("81000019000101008", .female),
    ])
    func computedNumbersAreValid(seventeen: String, sex: CitizenSex) throws {
        let text = withCheck(seventeen)
        let id = try CitizenID(text, today: today)
        #expect(id.normalized == text)
        #expect(id.sex == sex)
        #expect(id.regionCode == String(seventeen.prefix(6)))
    }

    @Test func everyCheckCharacterIsAcceptedAndEveryOtherRejected() throws {
        // Vary the sequence number until all eleven check characters have been produced.
        var seen: Set<Character> = []
        for sequence in 0..<1000 where seen.count < 11 {
            let digits = String(sequence)
            let text = withCheck("32120219850101" + String(repeating: "0", count: 3 - digits.count) + digits)
            let check = try #require(text.last)
            guard seen.insert(check).inserted else { continue }
            #expect(try CitizenID(text, today: today).normalized == text)
            let wrong: Character = check == "0" ? "1" : "0"
            #expect(throws: CitizenIDError.checkDigitMismatch(expected: check)) {
                try CitizenID(String(text.dropLast()) + String(wrong), today: today)
            }
        }
        #expect(seen.count == 11)
    }

    @Test func checkCharacterMatchesSample() {
        #expect(CitizenID.checkCharacter(for: [1, 1, 0, 1, 0, 5, 1, 9, 4, 9, 1, 2, 3, 1, 0, 0, 2]) == "X")
    }

    @Test(arguments: [
        " 11010519491231002x", "11010519491231002x\t", "\n11010519491231002X\r\n", "\u{3000}11010519491231002X",
    ])
    func lowercaseXAndWhitespaceAreNormalised(text: String) throws {
        let id = try CitizenID(text, today: today)
        #expect(id.normalized == "11010519491231002X")
    }

    @Test(arguments: [
        ("", CitizenIDError.wrongLength(0)),
        ("   ", .wrongLength(0)),
        ("11010519491231002", .wrongLength(17)),
        ("11010519491231002X1", .wrongLength(19)),
        ("110105 19491231002X", .wrongLength(19)),
        ("1101051949123100XX", .invalidCharacter(position: 17)),
        ("11010519491231002Y", .invalidCharacter(position: 18)),
        ("A1010519491231002X", .invalidCharacter(position: 1)),
        ("１1010519491231002X", .invalidCharacter(position: 1)),
        ("11010519491231002１", .invalidCharacter(position: 18)),
        ("10010519491231002X", .unknownProvince("10")),
        ("99010519491231002X", .unknownProvince("99")),
        ("11010518991231002X", .implausibleBirthYear("18991231")),
        ("11010500001231002X", .impossibleBirthDate("00001231")),
        ("11010519491301002X", .impossibleBirthDate("19491301")),
        ("11010519490001002X", .impossibleBirthDate("19490001")),
        ("11010519490431002X", .impossibleBirthDate("19490431")),
        ("11010519490100002X", .impossibleBirthDate("19490100")),
        ("11010519491231002Z", .invalidCharacter(position: 18)),
        ("110105194912310021", .checkDigitMismatch(expected: "X")),
        ("11010519491231002X".replacingLastWith("0"), .checkDigitMismatch(expected: "X")),
    ])
    func badNumbersAreRejected(text: String, error: CitizenIDError) {
        #expect(throws: error) { try CitizenID(text, today: today) }
    }

    @Test func leapDays() throws {
        let leap = try CitizenID(withCheck("32120220000229001"), today: today)
        #expect(leap.birthMonth == 2 && leap.birthDay == 29)
        // 1900 is divisible by 100 but not 400, so it is not a leap year.
        #expect(throws: CitizenIDError.impossibleBirthDate("19000229")) {
            try CitizenID(withCheck("32120219000229001"), today: today)
        }
        #expect(throws: CitizenIDError.impossibleBirthDate("20230229")) {
            try CitizenID(withCheck("32120220230229001"), today: today)
        }
    }

    @Test func birthDateRelativeToReferenceDate() throws {
        let text = withCheck("32120220250601001")
        #expect(throws: Never.self) { try CitizenID(text, today: (2025, 6, 1)) }
        #expect(throws: CitizenIDError.birthDateInFuture("20250601")) { try CitizenID(text, today: (2025, 5, 31)) }
        #expect(throws: CitizenIDError.birthDateInFuture("20250601")) { try CitizenID(text, today: (2024, 12, 31)) }
    }

    @Test func messagesAreChinese() {
        #expect(CitizenIDError.checkDigitMismatch(expected: "X").description == "公民身份号码校验位错误：应为 X")
        #expect(CitizenIDError.wrongLength(3).description == "公民身份号码应为 18 位，实际为 3 位")
        #expect(CitizenIDError.unknownProvince("99").description.contains("99"))
        #expect(CitizenIDError.birthDateInFuture("20300101").description.contains("晚于"))
    }
}

extension String {
    fileprivate func replacingLastWith(_ last: String) -> String { String(dropLast()) + last }
}
