// SQLite, compiled into the node from its amalgamation (sqlite/sqlite3.c: version 3.54.1 as
// published at https://sqlite.org/2026/sqlite-amalgamation-3540100.zip; taken from
// vapor/sqlite-nio 1.13.2, with that package's symbol prefix removed again).
//
// Why not the system's libsqlite3 (Debian 12: 3.40.1):
// - It has the WAL-reset bug (3.7.0 to 3.51.2, https://sqlite.org/wal.html#walresetbug): a
//   database can be corrupted when two connections write and checkpoint the same file at
//   once, and a node has two (its writer and its checkpointer), besides imports beside it.
// - It is built without the lookaside allocator: every small allocation of a statement goes
//   to malloc. With this build a county's commit took 5.3 µs a change against 6.7, and reading
//   the log to push it 0.93 against 1.20 (`jiuzhu bench apply`, BENCHMARKS.md).
// Its public functions carry SQLite's own names, so GRDB, which links `-lsqlite3`, resolves to
// them when the binary is linked: a definition in the executable's own objects comes before
// any shared library's. BundledSQLiteTests checks that the running SQLite is this one.
//
// The options keep the system library's behaviour where a caller could see it (secure delete,
// URI file names, the variable limit, the interfaces GRDB may call) and drop the memory
// statistics that nothing reads; they are in Package.swift.
#include "sqlite/sqlite3.c"

#include "bundled_sqlite.h"

int jiuzhu_bundled_sqlite_version_number(void) { return SQLITE_VERSION_NUMBER; }

int jiuzhu_enable_query_planner_stability(struct sqlite3 *db) {
    return sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_QPSG, 1, (int *)0);
}
