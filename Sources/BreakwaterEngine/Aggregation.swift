/// Pure aggregation functions. The pointer-based core is what the engine runs on its stack
/// buffers; the array forms wrap the same code (and are what the Pyth vectors test).
public enum Aggregation {
    /// Sorts `values[0..<n]` ascending in place. Up to 8 values (a market's sources) go
    /// through a branch-free sorting network padded with +infinity; longer runs (Pyth's
    /// votes) use insertion sort, and past 48 values the standard library's sort.
    static func sort(_ values: UnsafeMutablePointer<Double>, _ n: Int) {
        guard n > 1 else { return }
        if n <= 4 { sortingNetwork4(values, n); return }
        if n <= 8 { sortingNetwork8(values, n); return }
        if n > 48 {
            var b = UnsafeMutableBufferPointer(start: values, count: n)
            b.sort()
            return
        }
        for i in 1..<n {
            let x = values[i]
            var j = i - 1
            while j >= 0 && values[j] > x { values[j + 1] = values[j]; j -= 1 }
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

    /// Optimal 5-comparator network on 4 inputs; n in 2...4.
    @inline(__always)
    private static func sortingNetwork4(_ v: UnsafeMutablePointer<Double>, _ n: Int) {
        var a = v[0], b = v[1], c = n > 2 ? v[2] : .infinity, d = n > 3 ? v[3] : .infinity
        order(&a, &b); order(&c, &d); order(&a, &c); order(&b, &d); order(&b, &c)
        v[0] = a; v[1] = b
        if n > 2 { v[2] = c }
        if n > 3 { v[3] = d }
    }

    /// Knuth's optimal 19-comparator network on 8 inputs; n in 5...8.
    @inline(__always)
    private static func sortingNetwork8(_ v: UnsafeMutablePointer<Double>, _ n: Int) {
        var x0 = v[0], x1 = v[1], x2 = v[2], x3 = v[3], x4 = v[4]
        var x5 = n > 5 ? v[5] : .infinity, x6 = n > 6 ? v[6] : .infinity, x7 = n > 7 ? v[7] : .infinity
        order(&x0, &x2); order(&x1, &x3); order(&x4, &x6); order(&x5, &x7)
        order(&x0, &x4); order(&x1, &x5); order(&x2, &x6); order(&x3, &x7)
        order(&x0, &x1); order(&x2, &x3); order(&x4, &x5); order(&x6, &x7)
        order(&x2, &x4); order(&x3, &x5)
        order(&x1, &x4); order(&x3, &x6)
        order(&x1, &x2); order(&x3, &x4); order(&x5, &x6)
        v[0] = x0; v[1] = x1; v[2] = x2; v[3] = x3; v[4] = x4
        if n > 5 { v[5] = x5 }
        if n > 6 { v[6] = x6 }
        if n > 7 { v[7] = x7 }
    }

    /// Median of `values[0..<n]` (n > 0; even n: mean of the middle two), sorting them in place.
    static func median(_ values: UnsafeMutablePointer<Double>, _ n: Int) -> Double {
        sort(values, n)
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2
    }

    /// Pyth's three-vote aggregation over `prices[0..<n]` and `confidences[0..<n]`, using
    /// `votes` (capacity >= 3n) as scratch.
    ///
    /// Every source i with confidence c_i > 0 votes `p_i - c_i`, `p_i`, `p_i + c_i`; with the
    /// k votes sorted: p25 = s[k/4], p75 = s[k-1-k/4], p50 = the median. Returns
    /// (p50, max(p50 - p25, p75 - p50)), or nil when no source has a positive, finite confidence.
    static func pyth(_ prices: UnsafePointer<Double>, _ confidences: UnsafePointer<Double>, _ n: Int,
                     votes: UnsafeMutablePointer<Double>) -> (price: Double, confidence: Double)? {
        var k = 0
        for i in 0..<n {
            let p = prices[i], c = confidences[i]
            guard p.isFinite, c.isFinite, c > 0 else { continue }
            votes[k] = p - c; votes[k + 1] = p; votes[k + 2] = p + c
            k += 3
        }
        guard k > 0 else { return nil }
        let p50 = median(votes, k)
        let p25 = votes[k / 4], p75 = votes[k - 1 - k / 4]
        return (p50, max(p50 - p25, p75 - p50))
    }

    /// Median of `values`; nil when empty.
    public static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        var copy = values
        return copy.withUnsafeMutableBufferPointer { median($0.baseAddress!, $0.count) }
    }

    /// Pyth's aggregation of `prices` with their `confidences` (see the pointer form).
    public static func pyth(prices: [Double], confidences: [Double]) -> (price: Double, confidence: Double)? {
        let n = min(prices.count, confidences.count)
        guard n > 0 else { return nil }
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: 3 * n) { votes in
            prices.withUnsafeBufferPointer { p in
                confidences.withUnsafeBufferPointer { c in pyth(p.baseAddress!, c.baseAddress!, n, votes: votes.baseAddress!) }
            }
        }
    }
}
