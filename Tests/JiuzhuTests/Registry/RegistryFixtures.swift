import Foundation
import JiuzhuDomain
import JiuzhuRegistry

/// Valid citizen ID numbers for tests: region, birth date and sequence, with the check
/// character computed by GB 11643.
func citizenID(_ region: String = "321281", born: String, sequence: String) -> String {
    let body = region + born + sequence
    let digits = body.compactMap { $0.wholeNumberValue }
    return body + String(CitizenID.checkCharacter(for: digits))
}

/// A household JSON body for the API: an applicant (male, born 1958) and a grandchild.
func householdJSON(
    village: String, applicant: String = citizenID(born: "19580301", sequence: "011"),
    child: String = citizenID(born: "20120615", sequence: "022"), wages: Int = 80000, extra: String = ""
) -> String {
    #"""
    {"village":"\#(village)","address":"兴化市昭阳街道海池社区 8 号","registration":"urban",
     "members":[
       {"citizenID":"\#(applicant)","name":"王建国","sex":"male","birthDate":"1958-03-01","relation":"applicant",
        "disability":{"category":"physical","grade":2},"seriousIllness":true,"ableToWork":false},
       {"citizenID":"\#(child)","name":"王小丽","sex":"female","birthDate":"2012-06-15","relation":"grandchild",
        "schooling":"primary","leftBehind":true}],
     "incomes":[{"type":"wages","monthly":\#(wages),"declaredOn":"2026-11-01","irregular":true},
                {"type":"assistance","monthly":30000,"declaredOn":"2026-11-01"}],
     "expenditures":[{"type":"medical","last12Months":2500000}],
     "enrolments":["dibao"]\#(extra)}
    """#
}
