import GRDB

/// A registry search as SQL: `body` (`FROM … WHERE …`) yields each matching household once,
/// by its key `key`, so the count is `SELECT COUNT(*) body` and a page is the first keys in order.
///
/// Most filters are conditions on the household row (`h`). A programme, a tag and a member's
/// qualities are sets of households kept in their own tables. When one of those sets lists
/// each household at most once (programmes and tags always; the members of an age range
/// through `next_birth`), that table drives the search instead of the whole registry: "dibao
/// in one county" reads that county's dibao rows, not every household of the county, and
/// counting them needs no DISTINCT over thousands of keys.
struct RegistrySearch {
    let key: String
    let body: String
    let arguments: StatementArguments

    init(_ query: RegistryQuery) {
        var household = Conditions()
        var sets: [HouseholdSet] = []
        let division = query.division.map { [$0, $0 + "~"] }
        if let low = query.minPerCapitaIncome { household.append("h.per_capita_income >= ?", [low]) }
        if let high = query.maxPerCapitaIncome { household.append("h.per_capita_income <= ?", [high]) }
        for (code, table, alias, column) in [
            (query.programme, "registry_programme", "pr", "programme"), (query.tag, "registry_tag", "tg", "tag"),
        ] {
            guard let code else { continue }
            if code.isEmpty || code.contains(",") {
                // Not one code: the text match finds what it always found.
                household.append("instr(h.\(column)s, ?) > 0", ["," + code + ","])
                continue
            }
            var conditions = Conditions()
            conditions.append("\(alias).\(column) = ?", [code])
            if let division { conditions.append("\(alias).village >= ? AND \(alias).village < ?", division) }
            sets.append(HouseholdSet(table: table, alias: alias, conditions: conditions, once: true, division: true))
        }
        var person = Conditions()
        // A literal, not a parameter: the partial index on serious illness is used only for a
        // condition the planner can read when it prepares the statement.
        if let ill = query.seriousIllness { person.append("p.serious_illness = \(ill ? 1 : 0)", []) }
        if let low = query.minDisabilityGrade { person.append("p.disability_grade >= ?", [low]) }
        if let high = query.maxDisabilityGrade { person.append("p.disability_grade <= ?", [high]) }
        switch (query.bornOnOrAfter, query.bornOnOrBefore) {
        case (let after?, let before?):
            // Both bounds: some one member must lie between them.
            person.append("p.birth_ordinal >= ? AND p.birth_ordinal <= ?", [after, before])
        case (let after?, nil): household.append("h.youngest_birth >= ?", [after])
        case (nil, let before?): household.append("h.oldest_birth <= ?", [before])
        case (nil, nil): break
        }
        if !person.isEmpty {
            // An age range alone: only the youngest member of the range has the next birth after it.
            let onlyAge =
                query.seriousIllness == nil && query.minDisabilityGrade == nil
                && query.maxDisabilityGrade == nil
            if onlyAge, let before = query.bornOnOrBefore { person.append("p.next_birth > ?", [before]) }
            sets.append(
                HouseholdSet(table: "registry_person", alias: "p", conditions: person, once: onlyAge, division: false))
        }

        var conditions = Conditions()
        let from: String
        if let index = sets.firstIndex(where: \.once) {
            let driver = sets.remove(at: index)
            key = "\(driver.alias).household_key"
            conditions.append(driver.conditions)
            if !driver.division, let division { household.append("h.village >= ? AND h.village < ?", division) }
            // The household row only when a filter needs it: every indexed set row has one.
            from =
                "FROM \(driver.table) \(driver.alias)"
                + (household.isEmpty ? "" : " JOIN registry_household h ON h.key = \(key)")
        } else {
            key = "h.key"
            if let division { conditions.append("h.village >= ? AND h.village < ?", division) }
            from = "FROM registry_household h"
        }
        conditions.append(household)
        for set in sets {
            // One pass over the set's rows (by the index of its first condition), not one probe per household.
            conditions.append("\(key) IN (\(set.select))", set.conditions.arguments)
        }
        body = conditions.isEmpty ? from : from + " WHERE " + conditions.sql
        arguments = conditions.arguments
    }
}

/// Households listed in one table: programmes, tags or members.
private struct HouseholdSet {
    let table: String
    let alias: String
    let conditions: Conditions
    /// Lists each household at most once, so its rows count households.
    let once: Bool
    /// Already limited to the query's division.
    let division: Bool

    var select: String { "SELECT \(alias).household_key FROM \(table) \(alias) WHERE \(conditions.sql)" }
}

/// SQL conditions joined by AND, with their arguments in the same order.
private struct Conditions {
    private var parts: [String] = []
    private(set) var arguments: StatementArguments = []

    var isEmpty: Bool { parts.isEmpty }
    var sql: String { parts.joined(separator: " AND ") }

    mutating func append(_ condition: String, _ values: [any DatabaseValueConvertible]) {
        append(condition, StatementArguments(values.map { $0 as (any DatabaseValueConvertible)? }))
    }

    mutating func append(_ condition: String, _ values: StatementArguments) {
        parts.append(condition)
        arguments += values
    }

    mutating func append(_ other: Conditions) {
        parts += other.parts
        arguments += other.arguments
    }
}
