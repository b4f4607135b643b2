// The C library allocator's tuning calls, which Swift's Glibc module does not export.
#pragma once

/// Returns free heap memory to the system (malloc_trim); returns 1 if any was released.
int jiuzhu_release_free_memory(void);
