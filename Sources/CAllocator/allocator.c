#include "allocator.h"

#if defined(__GLIBC__)
#include <malloc.h>

int jiuzhu_limit_arenas(int count) { return mallopt(M_ARENA_MAX, count); }

int jiuzhu_release_free_memory(void) { return malloc_trim(0); }
#else
int jiuzhu_limit_arenas(int count) { (void)count; return 0; }

int jiuzhu_release_free_memory(void) { return 0; }
#endif
