#include "allocator.h"

#if defined(__GLIBC__)
#include <malloc.h>

// Caps glibc's arenas at two when the program loads. Left alone, glibc keeps up to eight per
// core, each holding on to what its threads freed; and it fixes the limit the first time a
// second thread allocates, which in a Swift program happens before `main`, so this cannot wait.
__attribute__((constructor)) static void jiuzhu_limit_arenas(void) { mallopt(M_ARENA_MAX, 2); }

int jiuzhu_release_free_memory(void) { return malloc_trim(0); }
#else
int jiuzhu_release_free_memory(void) { return 0; }
#endif
