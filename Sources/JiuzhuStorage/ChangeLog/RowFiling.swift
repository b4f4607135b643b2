import GRDB
import JiuzhuDomain

/// The tables derived from replicated rows, kept in the transaction that writes the rows,
/// wherever the row was written (here, by a child, by the parent, by a repair): which case a
/// casework row belongs to (`case_row`) and each warning's state (`warning_index`).
///
/// Each change's row is filed as it stands after the write, not as the change carried it, so a
/// repeat or an older version files nothing new, and the order of a warning and its
/// verification within a batch does not matter.
///
/// Triggers on `replica_row` kept these tables before (migration v17 drops them). SQLite runs
/// a row trigger as a sub-program with a frame of its own for every row written, before its
/// `WHEN` clause can pass the row by, so every registry row, nearly all that a relaying node
/// writes, paid about 1.3 µs for five triggers that never took it.
enum RowFiling {
    static let migration = "v17 rows filed by their writer, not by triggers"
    static let dropTriggers = """
        DROP TRIGGER case_row_insert;
        DROP TRIGGER case_row_update;
        DROP TRIGGER warning_index_insert;
        DROP TRIGGER warning_index_update;
        DROP TRIGGER warning_verification_insert;
        """

    /// Files the rows `changes` wrote to `replica_row`; rows of other channels file nothing.
    static func file(_ changes: some Collection<Change>, _ db: Database) throws {
        // Fields read where each change lies: a copy of every change (`for change in changes`)
        // would retain and release its strings, and nearly all are passed by.
        for index in changes.indices {
            let sql: String
            switch changes[index].channel {
            case .casework: sql = CaseworkStore.fileRow
            case .warnings:
                switch RowOwnership.WarningsEntity(rawValue: changes[index].entity) {
                case .warning: sql = WarningStore.indexWarning
                case .warningVerification: sql = WarningStore.applyVerification
                default: continue
                }
            default: continue
            }
            try db.cachedStatement(sql: sql).execute(arguments: [changes[index].entity, changes[index].key])
        }
    }
}
