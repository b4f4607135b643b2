// The SQLite the node is built with (see bundled_sqlite.c).
#pragma once

/// The version number (3054001 for 3.54.1) of the SQLite compiled into this binary. A running
/// node's `sqlite3_libversion_number()` must equal it: anything else means that a system
/// library, not the bundled code, answers GRDB's calls.
int jiuzhu_bundled_sqlite_version_number(void);
