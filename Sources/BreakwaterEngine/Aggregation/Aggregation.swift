/// Pure aggregation functions. The core works on `Slots` (the engine's stack scratch);
/// the array forms run the same code on a copy (and are what the Pyth vectors test).
public enum Aggregation {
    /// Sorts `values[0..<n]` ascending in place. Two to eight values (a market's sources)
    /// go through a branch-free optimal sorting network of exactly that size (3, 5, 9, 12,
    /// 16 and 19 comparators for 3 to 8); longer runs (Pyth's votes) use insertion sort, and
    /// past 48 values the standard library's sort. Built with -DBREAKWATER_SORT_INSERTION or
    /// -DBREAKWATER_SORT_STANDARD, those sort the short runs too (for EngineBenchmark to
    /// measure the networks: docs/benchmarks.md).
    static func sort(_ values: Slots<Double>, _ n: Int) {
        #if BREAKWATER_SORT_INSERTION
        if n >= 2 && n <= 48 {
            insertionSort(values, n)
            return
        }
        #elseif BREAKWATER_SORT_STANDARD
        if n >= 2 {
            values.standardSort(first: n)
            return
        }
        #endif
        switch n {
        case ..<2: return
        case 2: network2(values)
        case 3: network3(values)
        case 4: network4(values)
        case 5: network5(values)
        case 6: network6(values)
        case 7: network7(values)
        case 8: network8(values)
        case 49...:
            values.standardSort(first: n)
        default:
            insertionSort(values, n)
        }
    }

    @inline(__always)
    private static func insertionSort(_ values: Slots<Double>, _ n: Int) {
        for i in 1..<n {
            let x = values[i]
            var j = i - 1
            while j >= 0 && values[j] > x {
                values[j + 1] = values[j]
                j -= 1
            }
            values[j + 1] = x
        }
    }

    /// Compare-exchange: afterwards a <= b. Written as the two selects x86 computes with
    /// one `minsd` and one `maxsd`.
    @inline(__always)
    private static func order(_ a: inout Double, _ b: inout Double) {
        let swap = b < a
        let low = swap ? b : a
        b = swap ? a : b
        a = low
    }

    // Networks from Knuth, TAOCP vol. 3, 5.3.4 (checked on all 0-1 inputs by SortingTests).
    @inline(__always)
    private static func network2(_ v: Slots<Double>) {
        var x0 = v[0]
        var x1 = v[1]
        order(&x0, &x1)
        v[0] = x0
        v[1] = x1
    }

    @inline(__always)
    private static func network3(_ v: Slots<Double>) {
        var x0 = v[0]
        var x1 = v[1]
        var x2 = v[2]
        order(&x0, &x2)
        order(&x0, &x1)
        order(&x1, &x2)
        v[0] = x0
        v[1] = x1
        v[2] = x2
    }

    @inline(__always)
    private static func network4(_ v: Slots<Double>) {
        var x0 = v[0]
        var x1 = v[1]
        var x2 = v[2]
        var x3 = v[3]
        order(&x0, &x1)
        order(&x2, &x3)
        order(&x0, &x2)
        order(&x1, &x3)
        order(&x1, &x2)
        v[0] = x0
        v[1] = x1
        v[2] = x2
        v[3] = x3
    }

    @inline(__always)
    private static func network5(_ v: Slots<Double>) {
        var x0 = v[0]
        var x1 = v[1]
        var x2 = v[2]
        var x3 = v[3]
        var x4 = v[4]
        order(&x0, &x3)
        order(&x1, &x4)
        order(&x0, &x2)
        order(&x1, &x3)
        order(&x0, &x1)
        order(&x2, &x4)
        order(&x1, &x2)
        order(&x3, &x4)
        order(&x2, &x3)
        v[0] = x0
        v[1] = x1
        v[2] = x2
        v[3] = x3
        v[4] = x4
    }

    @inline(__always)
    private static func network6(_ v: Slots<Double>) {
        var x0 = v[0]
        var x1 = v[1]
        var x2 = v[2]
        var x3 = v[3]
        var x4 = v[4]
        var x5 = v[5]
        order(&x0, &x5)
        order(&x1, &x3)
        order(&x2, &x4)
        order(&x1, &x2)
        order(&x3, &x4)
        order(&x0, &x3)
        order(&x2, &x5)
        order(&x0, &x1)
        order(&x2, &x3)
        order(&x4, &x5)
        order(&x1, &x2)
        order(&x3, &x4)
        v[0] = x0
        v[1] = x1
        v[2] = x2
        v[3] = x3
        v[4] = x4
        v[5] = x5
    }

    @inline(__always)
    private static func network7(_ v: Slots<Double>) {
        var x0 = v[0]
        var x1 = v[1]
        var x2 = v[2]
        var x3 = v[3]
        var x4 = v[4]
        var x5 = v[5]
        var x6 = v[6]
        order(&x0, &x6)
        order(&x2, &x3)
        order(&x4, &x5)
        order(&x0, &x2)
        order(&x1, &x4)
        order(&x3, &x6)
        order(&x0, &x1)
        order(&x2, &x5)
        order(&x3, &x4)
        order(&x1, &x2)
        order(&x4, &x6)
        order(&x2, &x3)
        order(&x4, &x5)
        order(&x1, &x2)
        order(&x3, &x4)
        order(&x5, &x6)
        v[0] = x0
        v[1] = x1
        v[2] = x2
        v[3] = x3
        v[4] = x4
        v[5] = x5
        v[6] = x6
    }

    @inline(__always)
    private static func network8(_ v: Slots<Double>) {
        var x0 = v[0]
        var x1 = v[1]
        var x2 = v[2]
        var x3 = v[3]
        var x4 = v[4]
        var x5 = v[5]
        var x6 = v[6]
        var x7 = v[7]
        order(&x0, &x2)
        order(&x1, &x3)
        order(&x4, &x6)
        order(&x5, &x7)
        order(&x0, &x4)
        order(&x1, &x5)
        order(&x2, &x6)
        order(&x3, &x7)
        order(&x0, &x1)
        order(&x2, &x3)
        order(&x4, &x5)
        order(&x6, &x7)
        order(&x2, &x4)
        order(&x3, &x5)
        order(&x1, &x4)
        order(&x3, &x6)
        order(&x1, &x2)
        order(&x3, &x4)
        order(&x5, &x6)
        v[0] = x0
        v[1] = x1
        v[2] = x2
        v[3] = x3
        v[4] = x4
        v[5] = x5
        v[6] = x6
        v[7] = x7
    }

    /// Median of `values[0..<n]` (n > 0; even n: mean of the middle two), sorting them in place.
    @inline(__always)
    static func median(_ values: Slots<Double>, _ n: Int) -> Double {
        sort(values, n)
        // Halves first: the same result as (a + b) / 2 (halving is exact), without overflow
        // to infinity for two prices near the largest double.
        return n % 2 == 1 ? values[n / 2] : values[n / 2 - 1] / 2 + values[n / 2] / 2
    }

    /// Pyth's three-vote aggregation over `prices[0..<n]` and `confidences[0..<n]`, using
    /// `votes` (capacity >= 3n) as scratch.
    ///
    /// Every source i with confidence c_i > 0 votes `p_i - c_i`, `p_i`, `p_i + c_i`; with the
    /// k votes sorted: p25 = s[k/4], p75 = s[k-1-k/4], p50 = the median. Returns
    /// (p50, max(p50 - p25, p75 - p50)), or nil when no source has a positive, finite confidence.
    static func pyth(
        _ prices: Slots<Double>,
        _ confidences: Slots<Double>,
        _ n: Int,
        votes: Slots<Double>
    ) -> (price: Double, confidence: Double)? {
        var k = 0
        for i in 0..<n {
            let p = prices[i]
            let c = confidences[i]
            guard p.isFinite, c.isFinite, c > 0 else { continue }
            votes[k] = p - c
            votes[k + 1] = p
            votes[k + 2] = p + c
            k += 3
        }
        guard k > 0 else { return nil }
        let p50 = median(votes, k)
        let p25 = votes[k / 4]
        let p75 = votes[k - 1 - k / 4]
        return (p50, max(p50 - p25, p75 - p50))
    }

    /// Median of `values`; nil when empty.
    public static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        return Slots.withCopy(of: values) { median($0, $0.count) }
    }

    /// Pyth's aggregation of `prices` with their `confidences` (see the `Slots` form).
    public static func pyth(prices: [Double], confidences: [Double]) -> (price: Double, confidence: Double)? {
        let n = min(prices.count, confidences.count)
        guard n > 0 else { return nil }
        return Slots.withScratch(count: 3 * n) { votes in
            Slots.withCopy(of: prices) { p in
                Slots.withCopy(of: confidences) { c in pyth(p, c, n, votes: votes) }
            }
        }
    }
}
