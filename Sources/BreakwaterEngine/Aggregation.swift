/// Pure aggregation functions. The pointer-based core is what the engine runs on its stack
/// buffers; the array forms wrap the same code (and are what the Pyth vectors test).
public enum Aggregation {
    /// Insertion sort of `values[0..<n]` (markets have few sources; votes are 3 per source).
    static func sort(_ values: UnsafeMutablePointer<Double>, _ n: Int) {
        guard n > 1 else { return }
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
