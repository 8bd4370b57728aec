/// Switches for the engine's low-level speed tricks, so that `Benchmarks/EngineBenchmark` can
/// measure each with and without it (docs/benchmarks.md). None changes a result: a prefetch
/// and a huge-page advice are hints, and every sort orders the same values the same way.
///
/// Set by the benchmark before it builds an engine; the engine reads them and never the
/// environment. Everything else leaves them at their defaults (every trick on).
public enum LowLevelTricks {
    /// How a market's few values (2 to 8) are sorted for a median.
    public enum SmallSort: String, Sendable, CaseIterable {
        /// A branch-free optimal sorting network of exactly that size.
        case network
        /// Insertion sort.
        case insertion
        /// The standard library's sort.
        case standard
    }

    /// Prefetch the memory of the quote's market (and, in a batch, of the next quotes').
    nonisolated(unsafe) public static var prefetch = true
    /// Advise the kernel to back arrays of 2 MiB or more with huge pages (`madvise`).
    nonisolated(unsafe) public static var hugePages = true
    nonisolated(unsafe) public static var smallSort = SmallSort.network
}
