import Foundation
import Testing

@testable import BreakwaterEngine

struct ReturnHistoryTests {
    /// numpy.quantile (linear) of [-3, -1, 0, 0.5, 2]: 0.1 -> -2.2, 0.9 -> 1.4, 0.5 -> 0.
    @Test func quantilesInterpolateAsNumpyDoes() throws {
        var h = ReturnHistory(capacity: 10)
        for z in [0.5, -3, 2, 0, -1] { h.append(z) }
        #expect(abs(try #require(h.quantile(0.1)) - -2.2) < 1e-6)
        #expect(abs(try #require(h.quantile(0.9)) - 1.4) < 1e-6)
        #expect(abs(try #require(h.quantile(0.5))) < 1e-9)
        #expect(try #require(h.quantile(0)) == -3 && h.quantile(1) == 2)
        // Longs: the 0.9-quantile of -z = 2.2; shorts: the 0.9-quantile of z = 1.4.
        let sides = try #require(h.sideQuantiles(coverage: 0.9))
        #expect(abs(sides.long - 2.2) < 1e-6 && abs(sides.short - 1.4) < 1e-6)
        #expect(ReturnHistory(capacity: 10).quantile(0.5) == nil)
    }

    /// The window keeps the newest `capacity` values and drops the oldest; after any sequence
    /// its quantiles are those of the last `capacity` values (checked against a sort).
    @Test func theWindowTrailsAndStaysSorted() throws {
        var h = ReturnHistory(capacity: 50)
        var all: [Float] = []
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<1_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let z = Double(Int64(bitPattern: state >> 11) % 10_000) / 1_000  // -10...10, repeats
            h.append(z)
            all.append(Float(z))
            let window = Array(all.suffix(50))
            #expect(h.values == window)
            let sorted = window.sorted()
            for p in [0.01, 0.5, 0.99] {
                let position = p * Double(sorted.count - 1)
                let below = Int(position)
                let above = min(below + 1, sorted.count - 1)
                let w = position - Double(below)
                let expected = Double(sorted[below]) * (1 - w) + Double(sorted[above]) * w
                #expect(abs(try #require(h.quantile(p)) - expected) < 1e-9)
            }
        }
        #expect(h.count == 50)
    }

    @Test func nonFiniteValuesAndAnEmptyWindowHoldNothing() {
        var h = ReturnHistory(capacity: 3)
        h.append(.nan)
        h.append(.infinity)
        #expect(h.count == 0)
        var none = ReturnHistory(capacity: 0)
        none.append(1)
        #expect(none.count == 0 && none.quantile(0.5) == nil)
    }
}
