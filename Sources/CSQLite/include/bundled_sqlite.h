// The SQLite the node is built with (see bundled_sqlite.c).
#pragma once

/// The version number (3054001 for 3.54.1) of the SQLite compiled into this binary. A running
/// node's `sqlite3_libversion_number()` must equal it: anything else means that a system
/// library, not the bundled code, answers GRDB's calls.
int jiuzhu_bundled_sqlite_version_number(void);

struct sqlite3;

/// Turns on the query planner stability guarantee (`SQLITE_DBCONFIG_ENABLE_QPSG`) for one
/// connection: a cached statement keeps its plan whatever values are bound to it. Without it,
/// SQLite marks a statement for re-preparation on every bind of a parameter the planner looked
/// at (a `LIMIT ?`, or `channel = ?` on a table with partial indexes on `channel`), and the
/// node's cached log statements were parsed and planned again on every use. Returns an SQLite
/// result code. (`sqlite3_db_config` takes variable arguments, which Swift cannot call.)
int jiuzhu_enable_query_planner_stability(struct sqlite3 *db);
