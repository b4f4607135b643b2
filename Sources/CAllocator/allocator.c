#include "allocator.h"

// Any C library header defines __GLIBC__ under glibc; without one the test below is always false.
#include <stdlib.h>

#if defined(__GLIBC__)
#include <malloc.h>

// Tunes glibc's allocator when the program loads, for a node that handles bursts (batches of
// megabytes) and must then shrink back:
// - at most two arenas: left alone, glibc keeps up to eight per core, each holding on to what
//   its threads freed; it fixes the limit the first time a second thread allocates, which in
//   a Swift program happens before `main`, so this cannot wait;
// - blocks from 128 KiB up are mapped and unmapped on their own, and a heap gives back what
//   lies free above 256 KiB at its top. Left alone, glibc raises both limits after each large
//   block is freed (up to 32 and 64 MiB), and a node kept tens of megabytes after a burst.
__attribute__((constructor)) static void jiuzhu_tune_allocator(void) {
    mallopt(M_ARENA_MAX, 2);
    mallopt(M_MMAP_THRESHOLD, 128 * 1024);
    mallopt(M_TRIM_THRESHOLD, 256 * 1024);
}

int jiuzhu_release_free_memory(void) { return malloc_trim(0); }
#else
int jiuzhu_release_free_memory(void) { return 0; }
#endif
