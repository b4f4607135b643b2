extension CaseworkStore {
    static let migration = "v9 casework"

    /// Which replicated rows belong to which case (``RowFiling`` keeps it, in the same
    /// transaction as the row, whether written here or replicated), the per-case summary the indexer keeps,
    /// and the node's own counter of case numbers.
    ///
    /// A case is the `caseOpened` row whose key is the case's ID; another row joins the case its
    /// payload's `caseID` names. Replaying a case decides which of them count (a step from a
    /// node that does not hold the case's village does not).
    static let schema = """
        CREATE TABLE case_row (
            case_id TEXT NOT NULL,
            entity TEXT NOT NULL,
            key TEXT NOT NULL,
            jurisdiction TEXT NOT NULL,
            step INTEGER,
            PRIMARY KEY (case_id, entity, key)
        ) WITHOUT ROWID;
        \(rowTrigger("INSERT"))
        \(rowTrigger("UPDATE"))
        CREATE TABLE case_summary (
            case_id TEXT PRIMARY KEY,
            village TEXT NOT NULL,
            kind TEXT NOT NULL,
            programme TEXT NOT NULL,
            stage TEXT NOT NULL,
            holder_level TEXT,
            closed INTEGER NOT NULL,
            due_on TEXT,
            overdue_from INTEGER,
            provisional INTEGER NOT NULL DEFAULT 0,
            escalated INTEGER NOT NULL DEFAULT 0,
            last_step INTEGER NOT NULL,
            opened_on TEXT NOT NULL,
            applicant TEXT NOT NULL,
            household TEXT,
            taken_at TEXT NOT NULL,
            updated_at INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX case_summary_by_village ON case_summary (village, closed);
        CREATE INDEX case_summary_open_by_due ON case_summary (closed, overdue_from);
        CREATE TABLE case_index_state (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            position INTEGER NOT NULL,
            rules TEXT NOT NULL DEFAULT ''
        );
        INSERT INTO case_index_state (id, position) VALUES (1, 0);
        CREATE TABLE case_counter (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            last INTEGER NOT NULL
        );
        INSERT INTO case_counter (id, last) VALUES (1, 0);
        """

    static let decisionColumnsMigration = "v12 decided cases in the summaries"

    static let decisionColumns = """
        ALTER TABLE case_summary ADD COLUMN outcome TEXT;
        ALTER TABLE case_summary ADD COLUMN decided_on TEXT;
        """

    static let stateColumnMigration = "v13 the replayed case state in the summaries"

    /// The state a summary was counted from, so that new rules recount deadlines without
    /// replaying every open case.
    static let stateColumn = "ALTER TABLE case_summary ADD COLUMN state TEXT;"

    static let rowTriggerMigration = "v14 case rows filed once without OR IGNORE"

    /// The triggers again, for a row filed already: a new version of a case's opening (a death
    /// added to an open task) is written by an upsert, whose conflict clause overrides the
    /// trigger's `OR IGNORE`, so the second filing failed the whole write.
    static let rowTriggers = """
        DROP TRIGGER case_row_insert;
        DROP TRIGGER case_row_update;
        \(rowTrigger("INSERT"))
        \(rowTrigger("UPDATE"))
        """

    /// Files a replicated casework row under the case its payload names, after it is inserted
    /// or updated, unless it is filed already; a `caseOpened` row only under its own key.
    /// (Migration v17 drops these triggers for ``fileRow``.)
    private static func rowTrigger(_ event: String) -> String {
        """
        CREATE TRIGGER case_row_\(event.lowercased()) AFTER \(event) ON replica_row
            WHEN NEW.channel = 'casework' AND json_valid(NEW.payload)
                AND json_type(NEW.payload, '$.caseID') = 'text'
                AND (NEW.entity <> 'caseOpened' OR json_extract(NEW.payload, '$.caseID') = NEW.key)
        BEGIN
            INSERT INTO case_row (case_id, entity, key, jurisdiction, step)
            SELECT json_extract(NEW.payload, '$.caseID'), NEW.entity, NEW.key, NEW.jurisdiction,
                CASE WHEN json_type(NEW.payload, '$.n') = 'integer' THEN json_extract(NEW.payload, '$.n') END
            WHERE NOT EXISTS (
                SELECT 1 FROM case_row WHERE case_id = json_extract(NEW.payload, '$.caseID')
                    AND entity = NEW.entity AND key = NEW.key);
        END;
        """
    }

    /// Files the casework row `?1`/`?2` (entity, key) as it now stands under the case its
    /// payload names, unless it is filed already; a `caseOpened` row only under its own key.
    static let fileRow = """
        INSERT INTO case_row (case_id, entity, key, jurisdiction, step)
        SELECT json_extract(r.payload, '$.caseID'), r.entity, r.key, r.jurisdiction,
            CASE WHEN json_type(r.payload, '$.n') = 'integer' THEN json_extract(r.payload, '$.n') END
        FROM replica_row r
        WHERE r.channel = 'casework' AND r.entity = ?1 AND r.key = ?2 AND json_valid(r.payload)
            AND json_type(r.payload, '$.caseID') = 'text'
            AND (r.entity <> 'caseOpened' OR json_extract(r.payload, '$.caseID') = r.key)
            AND NOT EXISTS (
                SELECT 1 FROM case_row c WHERE c.case_id = json_extract(r.payload, '$.caseID')
                    AND c.entity = r.entity AND c.key = r.key)
        """
}
