import Testing

@testable import BreakwaterEngine

/// The bucketed reference mean equals a brute-force time-weighted mean over the same span.
struct TimeWeightedMeanTests {
    @Test func matchesBruteForceOverManyWindows() {
        var rng = SplitMix(seed: 11)
        let window = 300.0
        let bucket = window / Double(TimeWeightedMean.bucketCount)
        var mean = TimeWeightedMean(windowSeconds: window)
        var segments: [(from: Double, to: Double, price: Double)] = []
        var t = 1_700_000_000.0
        var price: Double? = 100
        mean.observe(price: price, at: t)
        for step in 0..<20_000 {
            // Mostly short steps, sometimes a gap longer than the whole window.
            let dt = step % 997 == 0 ? 400 : Double(rng.next() % 4000) / 1000
            let next = t + dt
            if let p = price { segments.append((t, next, p)) }
            t = next
            price = rng.next() % 20 == 0 ? nil : 100 + Double(rng.next() % 1000) / 100
            mean.observe(price: price, at: t)
            let start = (Double(GridIndex.of(t, step: bucket)) - Double(TimeWeightedMean.bucketCount) + 1) * bucket
            var integral = 0.0
            var duration = 0.0
            for s in segments.reversed() {
                if s.to <= start { break }
                let overlap = min(s.to, t) - max(s.from, start)
                if overlap > 0 {
                    integral += s.price * overlap
                    duration += overlap
                }
            }
            if duration > 1e-9 {
                let expected = integral / duration
                #expect(abs((mean.mean ?? .nan) - expected) <= 1e-9 * expected, "step \(step)")
            }
        }
    }

    @Test func windowWithoutPricesHasNoMean() {
        // Rounding leftovers must not make an emptied window look priced (found in review).
        var mean = TimeWeightedMean(windowSeconds: 60)
        for (t, p) in [(1.1, 99.5), (1.2, 99.5), (1.9, 101), (4.4, 100)] { mean.observe(price: p, at: t) }
        var t = 5.4
        while t < 67 {
            mean.observe(price: nil, at: t)
            t += 1
        }
        #expect(mean.mean == nil)
        mean.observe(price: 100, at: 67.4)
        mean.observe(price: 100, at: 68.4)
        #expect(abs((mean.mean ?? .nan) - 100) < 1e-9)
    }
}
