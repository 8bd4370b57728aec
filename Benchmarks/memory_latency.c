// Memory latency and overlap on this machine, to read the engine benchmark against:
// a chain of dependent loads over a random cyclic permutation (each load waits for the
// previous one: the latency of one miss), then independent random loads (misses overlap).
//
//   clang -O2 Benchmarks/memory_latency.c -o /tmp/memory_latency && /tmp/memory_latency [huge]
//
// With `huge`, each buffer is 2 MiB aligned and advised as huge pages (MADV_HUGEPAGE), as the
// engine's arrays are: the figures are then the caches' alone, without TLB misses.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    const int huge = argc > 1 && strcmp(argv[1], "huge") == 0;
    const size_t loads = 20000000;
    for (size_t mb = 1; mb <= 64; mb *= 2) {
        size_t lines = mb * 1024 * 1024 / 64;
        size_t bytes = lines * 64, align = huge ? (size_t)2 << 20 : 64;
        bytes = (bytes + align - 1) / align * align;
        size_t *chain = aligned_alloc(align, bytes), *order = malloc(lines * sizeof(size_t));
        if (huge) madvise(chain, bytes, MADV_HUGEPAGE);
        for (size_t i = 0; i < lines; i++) order[i] = i;
        for (size_t i = lines - 1; i > 0; i--) {
            size_t j = (size_t)rand() % (i + 1), t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        for (size_t i = 0; i < lines; i++) chain[order[i] * 8] = order[(i + 1) % lines] * 8;
        double start = now();
        size_t p = 0;
        for (size_t i = 0; i < loads; i++) p = chain[p];
        double dependent = (now() - start) / loads * 1e9;
        uint64_t state = 88172645463325252ULL, sum = 0;
        start = now();
        for (size_t i = 0; i < loads; i++) {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17;
            sum += chain[(state % lines) * 8];
        }
        double independent = (now() - start) / loads * 1e9;
        printf("%3zu MiB: dependent %.1f ns/load, independent %.1f ns/load (%zu)\n", mb, dependent, independent,
               (size_t)((p + sum) & 1));
        free(chain);
        free(order);
    }
    return 0;
}
