import Testing
@testable import BreakwaterEngine

/// The engine's aligned storage: elements on cache-line boundaries, value semantics.
struct LineAlignedArrayTests {
    struct Eighty { var values = InlineArray<10, Double>(repeating: 1) }

    @Test func elementsStartOnACacheLine() {
        for count in [1, 10, 100_000] {
            var a = LineAlignedArray((0..<count).map(Double.init))
            a.withElements { #expect(Int(bitPattern: $0.address(0)) % 64 == 0) }
            #expect(a.count == count && a[count - 1] == Double(count - 1))
            var b = LineAlignedArray(Array(repeating: Eighty(), count: count))
            b.withElements { e in
                for i in [0, count / 2, count - 1] { #expect(Int(bitPattern: e.address(i)) % 64 == 0) }
            }
            b[count - 1].values[9] = 2
            #expect(b[count - 1].values[9] == 2 && (count == 1 || b[0].values[9] == 1))
        }
        // The engine reads a market's sources as a plain pointer: they must keep their own stride.
        #expect(LineAlignedArray<SourceState>.elementStride == MemoryLayout<SourceState>.stride)
        #expect(LineAlignedArray<MarketState>.elementStride % 64 == 0)
        // What every quote touches of its market fits 8 cache lines (a layout guard, not a timing).
        #expect(MarketLayout().hotBytes <= 8 * 64)
    }

    @Test func copiesDoNotShareWrites() {
        var a = LineAlignedArray(["x", "y"])
        let b = a
        a[0] = "changed"
        #expect(b[0] == "x" && a[0] == "changed")
        var c = a
        c.withElements { $0[1] = "buffer" }
        #expect(a[1] == "y" && c[1] == "buffer")
    }

    @Test func enginesCopiedBeforeAQuoteStayApart() {
        var h = EngineHarness()
        h.step(EngineHarness.all(5, 100))
        let before = h.engine
        h.step(EngineHarness.all(5, 101))
        #expect(before.snapshot(market: 0).sources[0].price == 100)
        #expect(h.engine.snapshot(market: 0).sources[0].price == 101)
    }
}
