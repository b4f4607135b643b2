/// Hides most of a citizen ID number from roles that do not need it.
///
/// The first six characters (the issuing region) and the last four stay, as on printed
/// public notices: `321202********123X`. Anything that is not 18 characters is masked
/// entirely rather than guessed at.
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
}
