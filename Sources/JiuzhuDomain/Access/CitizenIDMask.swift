/// Hides most of a citizen ID number from roles that do not need it.
///
/// The first six characters (the issuing region) and the last four stay, as on printed
/// public notices: `321202********123X`. Anything that is not 18 characters is masked
/// entirely rather than guessed at.
///
/// The eight hidden characters are exactly the birth date, so wherever a role sees masked
/// IDs it must not see birth dates either, or the two together give the number back: such
/// roles see an age instead.
public enum CitizenIDMask {
    /// The number as `viewer` may see it: in full with `fullAccess`, masked otherwise.
    public static func show(_ number: String, fullAccess: Bool) -> String {
        fullAccess ? number : masked(number)
    }

    /// `321202198001011234` → `321202********1234`.
    public static func masked(_ number: String) -> String {
        let characters = Array(number)
        guard characters.count == 18 else { return String(repeating: "*", count: characters.count) }
        return String(characters[0..<6]) + String(repeating: "*", count: 8) + String(characters[14...])
    }

    /// `text` with every number that could be a citizen ID masked: each run of 15 or more
    /// ASCII digits (a trailing `X` or `x` counted in) keeps its first six characters, and an
    /// 18-character run its last four as well (`masked`). Division codes (at most 12 digits)
    /// and household numbers (`321281001001-000002`) stay as they are.
    ///
    /// For free text that may hold an ID, such as an audit entry's target
    /// `/api/v1/people/321202198001011234` → `/api/v1/people/321202********1234`.
    public static func maskingNumbers(in text: String) -> String {
        var result = String.UnicodeScalarView()
        var run: [Unicode.Scalar] = []
        func flush() {
            if run.count >= 15 {
                let number = String(String.UnicodeScalarView(run))
                result.append(
                    contentsOf: (run.count == 18
                        ? masked(number) : String(number.prefix(6)) + String(repeating: "*", count: run.count - 6))
                        .unicodeScalars)
            } else {
                result.append(contentsOf: run)
            }
            run.removeAll()
        }
        for scalar in text.unicodeScalars {
            if ("0"..."9").contains(scalar) {
                run.append(scalar)
            } else if scalar == "X" || scalar == "x", !run.isEmpty {
                // The check character ends a number.
                run.append(scalar)
                flush()
            } else {
                flush()
                result.append(scalar)
            }
        }
        flush()
        return String(result)
    }
}
