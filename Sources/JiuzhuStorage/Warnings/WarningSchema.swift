extension WarningStore {
    static let migration = "v15 department feeds and warnings"

    /// `feed_record`: one row per department record (feed, the department's record number);
    /// `evaluated` is cleared when a record about a registered person is new or changed and set
    /// once its rules ran, so a crash between storing records and raising their warnings is
    /// finished by the sweeper. A record about no registered person is stored evaluated: the
    /// household pass takes it up when a household listing the person comes.
    ///
    /// `warning_cursor`: how far into the change log the rules have looked at households that
    /// arrived or changed, so that a record received before its household reached the city
    /// still raises its warning when the household comes.
    ///
    /// `warning_income`: each household's per-capita income as the sweep last saw it, so that
    /// the monitoring rule fires when an income falls under the line, not every pass it stays there.
    ///
    /// `warning_index`: a warning's state, kept by ``RowFiling`` (by triggers on `replica_row`
    /// until migration v17): a new version of a warning replaces its entry (open, unless its
    /// raising has been verified), and a verification of the current raising sets the outcome.
    static let schema = """
        CREATE TABLE feed_record (
            feed TEXT NOT NULL,
            record_id TEXT NOT NULL,
            citizen_id TEXT NOT NULL,
            date INTEGER NOT NULL,
            payload TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            received_at INTEGER NOT NULL,
            evaluated INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (feed, record_id)
        ) WITHOUT ROWID;
        CREATE INDEX feed_record_by_citizen ON feed_record (citizen_id, feed, date);
        CREATE INDEX feed_record_pending ON feed_record (evaluated) WHERE evaluated = 0;
        CREATE TABLE warning_index (
            key TEXT PRIMARY KEY,
            rule TEXT NOT NULL,
            household TEXT NOT NULL,
            village TEXT NOT NULL,
            person TEXT,
            generation INTEGER NOT NULL,
            raised_on INTEGER NOT NULL,
            due_on INTEGER,
            escalation TEXT NOT NULL,
            evidence_hash TEXT NOT NULL,
            status TEXT NOT NULL,
            verified_on INTEGER,
            reason TEXT
        ) WITHOUT ROWID;
        CREATE INDEX warning_index_by_village ON warning_index (village, status);
        CREATE INDEX warning_index_open_by_due ON warning_index (status, due_on);
        CREATE INDEX warning_index_by_rule ON warning_index (rule, raised_on);
        CREATE INDEX warning_index_by_household ON warning_index (household);
        CREATE TABLE warning_cursor (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            registry_position INTEGER NOT NULL
        );
        INSERT INTO warning_cursor (id, registry_position) VALUES (1, 0);
        CREATE TABLE warning_income (
            household TEXT PRIMARY KEY,
            per_capita_income INTEGER NOT NULL
        ) WITHOUT ROWID;
        \(warningTrigger("INSERT"))
        \(warningTrigger("UPDATE"))
        CREATE TRIGGER warning_verification_insert AFTER INSERT ON replica_row
            WHEN NEW.channel = 'warnings' AND NEW.entity = 'warningVerification' AND json_valid(NEW.payload)
        BEGIN
            UPDATE warning_index SET
                status = CASE json_extract(NEW.payload, '$.outcome')
                    WHEN 'confirmed' THEN 'confirmed' ELSE 'dismissed' END,
                verified_on = CAST(replace(json_extract(NEW.payload, '$.verifiedOn'), '-', '') AS INTEGER),
                reason = json_extract(NEW.payload, '$.reason')
            WHERE key = json_extract(NEW.payload, '$.warning')
                AND generation = json_extract(NEW.payload, '$.generation')
                AND village = substr(NEW.key, 1, 12);
        END;
        """

    /// Indexes a warning's new version (a delete and an insert: an upsert's conflict clause
    /// would override an `OR REPLACE` here, as it did for case rows); its state is that of the verification of this raising
    /// (the key `<village>/<warning>/<generation>`), if one has arrived. (Migration v17 drops
    /// these triggers for ``indexWarning``.)
    private static func warningTrigger(_ event: String) -> String {
        """
        CREATE TRIGGER warning_index_\(event.lowercased()) AFTER \(event) ON replica_row
            WHEN NEW.channel = 'warnings' AND NEW.entity = 'warning' AND json_valid(NEW.payload)
                AND json_type(NEW.payload, '$.rule') = 'text' AND json_type(NEW.payload, '$.household') = 'text'
                AND json_type(NEW.payload, '$.generation') = 'integer'
        BEGIN
            DELETE FROM warning_index WHERE key = NEW.key;
            INSERT INTO warning_index (
                key, rule, household, village, person, generation, raised_on, due_on, escalation,
                evidence_hash, status, verified_on, reason)
            SELECT NEW.key, json_extract(NEW.payload, '$.rule'), json_extract(NEW.payload, '$.household'),
                NEW.jurisdiction, json_extract(NEW.payload, '$.person'), json_extract(NEW.payload, '$.generation'),
                COALESCE(CAST(replace(json_extract(NEW.payload, '$.raisedOn'), '-', '') AS INTEGER), 0),
                CAST(replace(json_extract(NEW.payload, '$.dueOn'), '-', '') AS INTEGER),
                COALESCE(json_extract(NEW.payload, '$.escalation'), 'village'),
                COALESCE(json_extract(NEW.payload, '$.evidenceHash'), ''),
                COALESCE(CASE json_extract(v.payload, '$.outcome')
                    WHEN 'confirmed' THEN 'confirmed' WHEN 'dismissed' THEN 'dismissed' END, 'open'),
                CAST(replace(json_extract(v.payload, '$.verifiedOn'), '-', '') AS INTEGER), json_extract(v.payload, '$.reason')
            FROM (SELECT 1) LEFT JOIN replica_row v ON v.channel = 'warnings' AND v.entity = 'warningVerification'
                AND v.key = NEW.jurisdiction || '/' || NEW.key || '/' || json_extract(NEW.payload, '$.generation');
        END;
        """
    }

    /// Indexes the warning `?2` (`?1` is its entity, `warning`) as its row now stands, in place
    /// of its entry: open, unless the verification of this raising (the key
    /// `<village>/<warning>/<generation>`) has arrived.
    static let indexWarning = """
        INSERT OR REPLACE INTO warning_index (
            key, rule, household, village, person, generation, raised_on, due_on, escalation,
            evidence_hash, status, verified_on, reason)
        SELECT w.key, json_extract(w.payload, '$.rule'), json_extract(w.payload, '$.household'),
            w.jurisdiction, json_extract(w.payload, '$.person'), json_extract(w.payload, '$.generation'),
            COALESCE(CAST(replace(json_extract(w.payload, '$.raisedOn'), '-', '') AS INTEGER), 0),
            CAST(replace(json_extract(w.payload, '$.dueOn'), '-', '') AS INTEGER),
            COALESCE(json_extract(w.payload, '$.escalation'), 'village'),
            COALESCE(json_extract(w.payload, '$.evidenceHash'), ''),
            COALESCE(CASE json_extract(v.payload, '$.outcome')
                WHEN 'confirmed' THEN 'confirmed' WHEN 'dismissed' THEN 'dismissed' END, 'open'),
            CAST(replace(json_extract(v.payload, '$.verifiedOn'), '-', '') AS INTEGER), json_extract(v.payload, '$.reason')
        FROM replica_row w LEFT JOIN replica_row v ON v.channel = 'warnings' AND v.entity = 'warningVerification'
            AND v.key = w.jurisdiction || '/' || w.key || '/' || json_extract(w.payload, '$.generation')
        WHERE w.channel = 'warnings' AND w.entity = ?1 AND w.key = ?2 AND json_valid(w.payload)
            AND json_type(w.payload, '$.rule') = 'text' AND json_type(w.payload, '$.household') = 'text'
            AND json_type(w.payload, '$.generation') = 'integer'
        """

    /// Sets the outcome of the raising that the verification `?2` (`?1` is its entity,
    /// `warningVerification`) verified, if that raising is the warning's current one.
    static let applyVerification = """
        UPDATE warning_index SET
            status = CASE json_extract(v.payload, '$.outcome') WHEN 'confirmed' THEN 'confirmed' ELSE 'dismissed' END,
            verified_on = CAST(replace(json_extract(v.payload, '$.verifiedOn'), '-', '') AS INTEGER),
            reason = json_extract(v.payload, '$.reason')
        FROM replica_row v
        WHERE v.channel = 'warnings' AND v.entity = ?1 AND v.key = ?2 AND json_valid(v.payload)
            AND warning_index.key = json_extract(v.payload, '$.warning')
            AND warning_index.generation = json_extract(v.payload, '$.generation')
            AND warning_index.village = substr(v.key, 1, 12)
        """
}
