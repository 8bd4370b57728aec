import Testing

@testable import BreakwaterEngine

/// The velocity window's largest move equals a brute-force scan of every earlier price in
/// the window, also through long monotone runs that overflow the inline entries.
struct PriceVelocityTests {
    @Test func matchesBruteForceThroughTrendsAndNoise() {
        var rng = SplitMix(seed: 5)
        let window = 60.0
        var velocity = PriceVelocity(windowSeconds: window)
        var entries = PriceVelocity.Entries()
        var history: [(time: Double, price: Double)] = []
        var t = 1_000.0
        var price = 100.0
        for step in 0..<30_000 {
            // Phases: a steady slide, a steady climb (both longer than the inline capacity), noise.
            switch (step / 500) % 3 {
            case 0: price *= 0.9995
            case 1: price *= 1.0004
            default: price *= 1 + (Double(rng.next() % 2001) - 1000) / 1_000_000
            }
            t += Double(rng.next() % 900) / 1000 + 0.05
            if step % 4_000 == 3_999 {
                velocity.clear()
                history.removeAll()
            }
            let move = velocity.record(price: price, at: t, entries: &entries)
            var expected = 0.0
            for h in history where h.time >= t - window { expected = max(expected, abs(price - h.price) / h.price) }
            #expect(abs(move - expected) <= 1e-12, "step \(step)")
            history.append((t, price))
        }
    }
}
