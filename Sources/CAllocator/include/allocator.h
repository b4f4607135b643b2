// The C library allocator's tuning calls, which Swift's Glibc module does not export.
#pragma once

/// Caps glibc's per-thread arenas at `count` (mallopt M_ARENA_MAX); returns 1 on success.
int jiuzhu_limit_arenas(int count);

/// Returns free heap memory to the system (malloc_trim); returns 1 if any was released.
int jiuzhu_release_free_memory(void);
