/// Pure aggregation functions. None allocates when given scratch space of enough capacity.
public enum Aggregation {
    /// Sorts `values` in place (insertion sort for the small counts markets have).
    @inlinable
    static func sortSmall(_ values: inout [Double]) {
        let n = values.count
        if n > 32 { values.sort(); return }
        values.withUnsafeMutableBufferPointer { buf in
            var i = 1
            while i < n {
                let x = buf[i]
                var j = i - 1
                while j >= 0 && buf[j] > x {
                    buf[j + 1] = buf[j]
                    j -= 1
                }
                buf[j + 1] = x
                i += 1
            }
        }
    }

    /// Median of an already sorted, non-empty array (even count: mean of the middle two).
    @inlinable
    static func medianOfSorted(_ sorted: [Double]) -> Double {
        let n = sorted.count
        if n % 2 == 1 { return sorted[n / 2] }
        return (sorted[n / 2 - 1] + sorted[n / 2]) / 2
    }

    /// Median of `values`, sorting them in place; `nil` when empty.
    public static func median(sorting values: inout [Double]) -> Double? {
        if values.isEmpty { return nil }
        sortSmall(&values)
        return medianOfSorted(values)
    }

    /// Median of `values`; `nil` when empty.
    public static func median(_ values: [Double]) -> Double? {
        var copy = values
        return median(sorting: &copy)
    }

    /// Pyth's three-vote aggregation.
    ///
    /// Every source i with confidence c_i > 0 votes `p_i - c_i`, `p_i`, `p_i + c_i`; with the
    /// n votes sorted: p25 = s[n/4], p75 = s[n-1-n/4], p50 = s[n/2] (odd n) or the mean of
    /// s[n/2-1] and s[n/2] (even n). Returns (p50, max(p50 - p25, p75 - p50)), or `nil` when
    /// no source has a positive confidence. Sources with c <= 0 or non-finite values are ignored.
    /// `votes` is scratch space; its contents are replaced.
    public static func pyth(prices: [Double], confidences: [Double], votes: inout [Double]) -> (price: Double, confidence: Double)? {
        votes.removeAll(keepingCapacity: true)
        for i in 0..<min(prices.count, confidences.count) {
            let p = prices[i], c = confidences[i]
            guard p.isFinite, c.isFinite, c > 0 else { continue }
            votes.append(p - c)
            votes.append(p)
            votes.append(p + c)
        }
        let n = votes.count
        if n == 0 { return nil }
        sortSmall(&votes)
        let p25 = votes[n / 4]
        let p75 = votes[n - 1 - n / 4]
        let p50 = medianOfSorted(votes)
        return (p50, max(p50 - p25, p75 - p50))
    }

    /// Pyth's aggregation without caller scratch space.
    public static func pyth(prices: [Double], confidences: [Double]) -> (price: Double, confidence: Double)? {
        var votes: [Double] = []
        return pyth(prices: prices, confidences: confidences, votes: &votes)
    }
}
