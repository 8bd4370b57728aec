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
        #expect(MemoryLayout<SourceState>.stride == 64)  // one cache line a source
        #expect(LineAlignedArray<MarketState>.elementStride % 64 == 0)
        // What every quote touches of its market fits 7 cache lines (a layout guard, not a
        // timing); the rules it reads are shared between markets configured alike.
        #expect(MarketLayout().hotBytes <= 7 * 64)
        #expect(LineAlignedArray<MarketRules>.elementStride == 64)
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

/// Markets configured alike share one rules entry; any difference gives a market its own.
struct MarketRulesSharingTests {
    @Test func alikeMarketsShareTheirRules() throws {
        let sources = (0..<3).map { SourceParameters(id: "s\($0)", kind: "push") }
        var wide = MarketParameters(id: "C", sources: sources)
        wide.aggregation.maxAgeSeconds = 60
        var spread = MarketParameters(id: "D", sources: sources)
        spread.breaker.maxSpread = 0.01
        var horizon = MarketParameters(id: "F", sources: sources)
        horizon.margin.horizonSeconds = 600
        var pyth = MarketParameters(id: "G", sources: sources)
        pyth.aggregation.method = .pyth
        var quorum = MarketParameters(id: "H", sources: sources)
        quorum.aggregation.minSources = 3
        let engine = try RiskEngine(
            markets: [
                MarketParameters(id: "A", sources: sources),
                MarketParameters(id: "B", sources: sources), wide, spread,
                MarketParameters(id: "E", sources: sources), horizon, pyth, quorum,
            ],
            start: 0
        )
        #expect(engine.markets.map(\.rulesIndex) == [0, 0, 1, 2, 0, 3, 4, 5])
        #expect(engine.rules.count == 6)
        #expect(engine.rules[3].horizonSeconds == 600)
        #expect(engine.rules[1].aggregation.maxAgeSeconds == 60)
        #expect(engine.rules[2].aggregation.maxSpread == 0.01)
        #expect(engine.rules[0].aggregation.maxSpread.isNaN)
    }
}
