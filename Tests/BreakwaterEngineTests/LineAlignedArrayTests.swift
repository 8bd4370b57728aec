import Testing
@testable import BreakwaterEngine

/// The engine's aligned storage: elements on cache-line boundaries, value semantics.
struct LineAlignedArrayTests {
    @Test func elementsStartOnACacheLine() {
        for count in [1, 10, 100_000] {
            var a = LineAlignedArray((0..<count).map(Double.init))
            a.withUnsafeMutableBufferPointer { #expect(Int(bitPattern: $0.baseAddress!) % 64 == 0) }
            #expect(a.count == count && a[count - 1] == Double(count - 1))
        }
    }

    @Test func copiesDoNotShareWrites() {
        var a = LineAlignedArray(["x", "y"])
        let b = a
        a[0] = "changed"
        #expect(b[0] == "x" && a[0] == "changed")
        var c = a
        c.withUnsafeMutableBufferPointer { $0[1] = "buffer" }
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
