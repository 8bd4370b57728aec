import Testing

@testable import BreakwaterEngine

/// The sorting networks behind every median agree with the standard library's sort.
struct SortingTests {
    @Test func everyLengthSortsLikeTheStandardLibrary() {
        var rng = SplitMix(seed: 7)
        for n in 1...60 {
            for _ in 0..<200 {
                // Few distinct values, so ties and repeated values are common.
                var values = (0..<n).map { _ in Double(rng.next() % 9) - 4 + (rng.next() % 3 == 0 ? 0.5 : 0) }
                let expected = values.sorted()
                Slots.withElements(of: &values) { Aggregation.sort($0, n) }
                #expect(values == expected, "n = \(n)")
            }
        }
    }

    @Test func zeroOneInputsOfEightCoverTheWholeNetwork() {
        // The 0-1 principle: a network that sorts all 2^8 binary inputs sorts every input.
        for bits in 0..<256 {
            for n in 2...8 {
                var values = (0..<n).map { Double((bits >> $0) & 1) }
                let expected = values.sorted()
                Slots.withElements(of: &values) { Aggregation.sort($0, n) }
                #expect(values == expected)
            }
        }
    }
}
