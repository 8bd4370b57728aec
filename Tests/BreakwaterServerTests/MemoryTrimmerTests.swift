import Testing

@testable import BreakwaterServer

/// The heap is trimmed once at the first tick after a burst of pushes, never during one and
/// never again while idle.
struct MemoryTrimmerTests {
    @Test func trimsOnceAtTheFirstQuietTickAfterPushes() {
        var trimmer = MemoryTrimmer()
        // (pushed quotes so far at each tick, trimmed at that tick)
        let ticks: [(Int, Bool)] = [
            (0, false), (0, false), (1_000, false), (5_000, false), (5_000, true), (5_000, false),
            (5_000, false), (6_000, false), (6_000, true), (6_000, false),
        ]
        for (k, (count, trims)) in ticks.enumerated() {
            #expect(trimmer.tick(pushedQuotes: count) == trims, "tick \(k)")
        }
    }
}
