#ifndef BREAKWATER_PREFETCH_H
#define BREAKWATER_PREFETCH_H

/// Asks the CPU to start loading the cache line holding `address` for writing; a hint
/// with no effect on results (Swift has no prefetch of its own). The engine uses it to
/// overlap the memory latency of the next quotes in a batch with the work on this one.
static inline void breakwater_prefetch(const void *address) {
    __builtin_prefetch(address, 1, 3);
}

#endif
