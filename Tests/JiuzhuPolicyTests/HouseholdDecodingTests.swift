import Foundation
import JiuzhuDomain
import JiuzhuPolicy
import Testing

@Suite("What-if household JSON is decoded strictly")
struct HouseholdDecodingTests {
    static let valid = """
        {"id": "h-1", "registration": "urban",
         "members": [
           {"birthDate": "1950-05-01", "sex": "female", "relation": "applicant",
            "disability": {"category": "physical", "grade": 2}, "selfCareItemsFailed": 4},
           {"birthDate": "2010-02-28", "sex": "male", "relation": "grandchild", "childStatus": "orphan"}],
         "incomes": [{"type": "wages", "monthly": 30000}, {"type": "assistance", "monthly": 5000}],
         "assets": {"deposits": 100000, "vehicles": [{"value": 500000, "exempt": true}], "housingUnits": 1},
         "expenditures": [{"type": "medical", "last12Months": 240000}],
         "supporters": [{"relation": "child", "ableToSupport": false}],
         "enrolments": ["dibao"],
         "emergency": {"kind": "illness", "need": 300000}}
        """

    @Test("a complete household decodes and survives a round trip")
    func decodesValid() throws {
        let household = try HouseholdSituation(json: Data(Self.valid.utf8))
        #expect(household.members.count == 2)
        #expect(household.members[0].disability?.grade == 2)
        #expect(household.members[1].childStatus == .orphan)
        #expect(household.incomes[1].monthly == Fen(5000))
        #expect(household.enrolments == [.dibao])
        #expect(household.emergency?.need == Fen(300000))
        let again = try HouseholdSituation(json: JSONEncoder().encode(household))
        #expect(again == household)
    }

    @Test(
        "a bad field is refused with its path and a Chinese message",
        arguments: [
            (#""registration": "urban""#, #""registration": "urban", "membres": []"#, "membres", "未知字段"),
            (#""birthDate": "1950-05-01""#, #""brithDate": "1950-05-01""#, "members[0].brithDate", "未知字段"),
            (#""grade": 2"#, #""grade": "二""#, "members[0].disability.grade", "类型错误"),
            (#""grade": 2"#, #""grade": 5"#, "members[0].disability.grade", "残疾等级应为 1 到 4"),
            (#""birthDate": "2010-02-28""#, #""birthDate": "2010-02-30""#, "members[1].birthDate", "2010-02-30"),
            (#""sex": "male", "#, "", "members[1].sex", "缺少必填字段"),
            (#""type": "wages""#, #""type": "salary""#, "incomes[0].type", "wages"),
            (#""monthly": 30000"#, #""monthly": "300.00""#, "incomes[0].monthly", "整数"),
            (#""monthly": 30000"#, #""monthly": -1"#, "incomes[0].monthly", "不能为负"),
            (#""enrolments": ["dibao"]"#, #""enrolments": ["dibaoo"]"#, "enrolments[0]", "dibaoEdge"),
            (#""selfCareItemsFailed": 4"#, #""selfCareItemsFailed": 7"#, "members[0].selfCareItemsFailed", "0 到 6"),
            (#""exempt": true"#, #""exempt": "yes""#, "assets.vehicles[0].exempt", "true 或 false"),
            (#""ableToSupport": false"#, #""ableToSupport": false, "phone": "1""#, "supporters[0].phone", "未知字段"),
        ] as [(String, String, String, String)])
    func refuses(original: String, replacement: String, path: String, message: String) throws {
        #expect(Self.valid.contains(original), "the test's anchor text exists")
        let json = Self.valid.replacingOccurrences(of: original, with: replacement)
        let error = try #require(throws: HouseholdInputError.self) { try HouseholdSituation(json: Data(json.utf8)) }
        #expect(error.path == path)
        #expect(error.message.contains(message), "\(error.message)")
        #expect(error.description.hasPrefix("字段 \(path)："))
    }

    @Test("no members, or not JSON at all, is refused")
    func refusesEmpty() throws {
        let empty = try #require(throws: HouseholdInputError.self) {
            try HouseholdSituation(json: Data(#"{"registration": "rural", "members": []}"#.utf8))
        }
        #expect(empty.path == "members")
        #expect(empty.message == "家庭成员不能为空")
        let garbage = try #require(throws: HouseholdInputError.self) { try HouseholdSituation(json: Data("{".utf8)) }
        #expect(garbage.path.isEmpty)
    }
}
