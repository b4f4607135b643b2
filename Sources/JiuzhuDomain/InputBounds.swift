/// The plausible range of every amount and count the system accepts.
///
/// Each is checked where a value enters (the operator API and pages, CSV import, the
/// calculator, replicated payloads) and refused with the field named, and the OpenAPI
/// document states the same ranges, so nothing that passes can make the arithmetic overflow:
/// at most ``listEntries`` items of at most ``amountFen`` each, summed over a year, stay far
/// inside `Int64`.
///
/// ```swift
/// guard InputBounds.amountFen.contains(income.monthly.value) else { throw … }
/// ```
public enum InputBounds {
    /// Any one amount of money, in fen: from 0 up to 1 亿元 (a month's income, a deposit,
    /// a year's spending on one item).
    public static let amountFen: ClosedRange<Int64> = 0...10_000_000_000
    /// Members of one household.
    public static let members: ClosedRange<Int> = 1...30
    /// Entries in one of a household's lists: incomes, expenditures, vehicles, dwellings,
    /// supporters.
    public static let listEntries: ClosedRange<Int> = 0...50
    /// Dwellings a household owns (住房套数), a count rather than a list.
    public static let housingUnits: ClosedRange<Int> = 0...50
    /// Characters of a person's name (a member's or a supporter's), after trimming.
    public static let nameCharacters: ClosedRange<Int> = 1...30
    /// Characters of an address, after trimming.
    public static let addressCharacters: ClosedRange<Int> = 1...120
}
