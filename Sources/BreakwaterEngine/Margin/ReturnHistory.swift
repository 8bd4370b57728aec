/// A market's trailing window of standardized returns z_t = r_t / sigma_{t-1} (filtered
/// historical simulation), kept outside the per-quote state and written at volatility
/// samples only.
///
/// Invariants: at most `capacity` values; `ring` holds them in arrival order (the oldest at
/// `head` once full), `sorted` the same values ascending. Memory: 8 bytes per sample (two
/// `Float`s), so 8 KB per market at `historySamples` 1,000 (the default). A history of capacity 0 (a market
/// with a parametric distribution) holds nothing and allocates nothing.
public struct ReturnHistory: Sendable, Equatable {
    public let capacity: Int
    private var ring: [Float] = []
    private var sorted: [Float] = []
    private var head = 0

    public init(capacity: Int) {
        self.capacity = max(0, capacity)
        ring.reserveCapacity(self.capacity)
        sorted.reserveCapacity(self.capacity)
    }

    /// Number of standardized returns held.
    public var count: Int { sorted.count }

    /// Adds one standardized return, dropping the oldest when full. A value that is not
    /// finite is not added.
    public mutating func append(_ z: Double) {
        guard capacity > 0, z.isFinite else { return }
        let value = Float(z)
        if ring.count < capacity {
            ring.append(value)
        } else {
            let oldest = ring[head]
            ring[head] = value
            head = head + 1 == capacity ? 0 : head + 1
            sorted.remove(at: Self.firstIndex(notBelow: oldest, in: sorted))
        }
        sorted.insert(value, at: Self.firstIndex(notBelow: value, in: sorted))
    }

    /// The `p`-quantile of the held values, linearly interpolated between order statistics
    /// (numpy's default): position p x (n - 1) in the ascending values. Nil when empty.
    public func quantile(_ p: Double) -> Double? {
        guard !sorted.isEmpty else { return nil }
        let position = min(max(p, 0), 1) * Double(sorted.count - 1)
        let below = Int(position.rounded(.down))
        let above = min(below + 1, sorted.count - 1)
        let weight = position - Double(below)
        return Double(sorted[below]) * (1 - weight) + Double(sorted[above]) * weight
    }

    /// Each side's quantile at `coverage` (unit: standardized return): longs lose on a down
    /// move, so theirs is the coverage-quantile of -z (= -(1 - coverage)-quantile of z, the
    /// interpolation being symmetric); shorts', the coverage-quantile of z.
    public func sideQuantiles(coverage: Double) -> (long: Double, short: Double)? {
        guard let low = quantile(1 - coverage), let high = quantile(coverage) else { return nil }
        return (-low, high)
    }

    /// The values in arrival order, oldest first.
    public var values: [Float] { Array(ring[head...] + ring[..<head]) }

    /// Index of the first element of ascending `values` not below `x` (binary search).
    private static func firstIndex(notBelow x: Float, in values: [Float]) -> Int {
        var lo = 0
        var hi = values.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if values[mid] < x { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}
