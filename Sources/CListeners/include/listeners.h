// Keeps a node's listening sockets from outliving it: they are marked close-on-exec, and
// closed the moment the process takes a fatal signal.
#pragma once

/// Marks every open descriptor but standard input, output and error close-on-exec, and remembers the listening sockets among them
/// so that a fatal signal closes them before the Swift runtime's crash handler runs. Returns
/// how many listening sockets are now guarded. Call it once the listeners are bound.
int jiuzhu_guard_listening_sockets(void);
