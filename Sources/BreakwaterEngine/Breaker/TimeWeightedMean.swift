/// Time-weighted mean of a piecewise-constant price over a trailing window, in O(1) per update.
///
/// The window is split into `bucketCount` buckets held inline (no heap, so a market's state
/// is one contiguous block); the mean covers the buckets that end within the window, so its
/// span lies between (1 - 1/bucketCount) and 1 window. Intervals with no price (the oracle
/// had none) contribute nothing. Bucket k of the time grid lives in slot k mod `bucketCount`;
/// the slots of the `bucketCount` most recent grid buckets are the live ones, except that the
/// current bucket accumulates in the header (`currentIntegral`, `currentDuration`) and is
/// written to its slot when the next bucket begins: an observation touches no slot.
public struct TimeWeightedMean: Sendable {
    public static let bucketCount = 60
    private let bucketSeconds: Double
    /// Length of the window, seconds.
    public var windowSeconds: Double { bucketSeconds * Double(Self.bucketCount) }
    private var totalIntegral = 0.0
    private var totalDuration = 0.0
    /// Time and price of the last observation; NaN before the first (or price none).
    private var lastTime: EpochSeconds = .nan
    private var lastPrice: Double = .nan
    /// Newest grid bucket; `Int64.min` when nothing is held (`GridIndex` never returns it).
    private var currentBucket: Int64 = .min
    /// The current bucket's price x seconds and seconds with a price (its slot holds 0).
    private var currentIntegral = 0.0
    private var currentDuration = 0.0
    /// Per slot k: price x seconds at 2k, seconds with a price at 2k + 1 (one slot, 16 bytes,
    /// never straddles two cache lines). Declared last so the scalars above share a line.
    private var slots = InlineArray<120, Double>(repeating: 0)

    public init(windowSeconds: Double) {
        self.bucketSeconds = windowSeconds / Double(Self.bucketCount)
    }

    /// The mean over the window, or `nil` before any time has been covered with a price.
    @inline(__always)
    public var mean: Double? { totalDuration > 0 ? totalIntegral / totalDuration : nil }

    /// Integrates the previous price up to `time`, then holds `price` (nil: no price) from `time` on.
    public mutating func observe(price: Double?, at time: EpochSeconds) {
        let bucket = GridIndex.of(time, step: bucketSeconds)
        if !lastPrice.isNaN, time > lastTime {
            if bucket == currentBucket && currentBucket != .min {
                // Common case: the last observation is in the current bucket too (the current
                // bucket is always the last observation's), so the interval is all current.
                let dt = time - lastTime
                currentIntegral += lastPrice * dt
                currentDuration += dt
                totalIntegral += lastPrice * dt
                totalDuration += dt
            } else {
                integrate(price: lastPrice, from: lastTime, to: time)
            }
        }
        rotate(to: bucket)
        if lastTime.isNaN || time >= lastTime { lastTime = time }
        lastPrice = price ?? .nan
    }

    /// Forgets the history and starts again from `price` at `time` (re-anchoring after a halt).
    public mutating func reset(price: Double?, at time: EpochSeconds) {
        clearAll()
        lastTime = time
        lastPrice = price ?? .nan
    }

    private mutating func clearAll() {
        for i in 0..<2 * Self.bucketCount { slots[i] = 0 }
        totalIntegral = 0
        totalDuration = 0
        currentIntegral = 0
        currentDuration = 0
        currentBucket = .min
    }

    /// Byte offset of the bucket slots within the struct (everything before is touched by
    /// every observation; the slots only when a bucket ends).
    static var slotsOffset: Int { MemoryLayout<TimeWeightedMean>.offset(of: \TimeWeightedMean.slots)! }

    private static func slot(_ b: Int64) -> Int {
        let n = Int64(bucketCount)
        return Int(((b % n) + n) % n)
    }

    private mutating func integrate(price: Double, from t0: EpochSeconds, to t1: EpochSeconds) {
        let n = Int64(Self.bucketCount)
        let b1 = GridIndex.of(t1, step: bucketSeconds)
        var start = max(t0, Double(b1 &- n &+ 1) * bucketSeconds)
        while start < t1 {
            let b = GridIndex.of(start, step: bucketSeconds)
            let end = min(t1, Double(b &+ 1) * bucketSeconds)
            rotate(to: b)  // b is now the current bucket
            let dt = end - start
            currentIntegral += price * dt
            currentDuration += dt
            totalIntegral += price * dt
            totalDuration += dt
            if end <= start { break }
            start = end
        }
    }

    /// Makes `b` the newest bucket: writes the current bucket to its slot, empties the slots
    /// of buckets that fell out of the window and recomputes the totals from the slots (not
    /// by subtraction: leftovers of rounding would make an empty window look non-empty).
    private mutating func rotate(to b: Int64) {
        let n = Int64(Self.bucketCount)
        let current = currentBucket
        guard current != .min else {
            currentBucket = b
            return
        }
        guard b > current else { return }
        if b &- current >= n || b &- current < 0 {
            clearAll()
            currentBucket = b
            return
        }
        let c = Self.slot(current)
        slots[2 * c] = currentIntegral
        slots[2 * c + 1] = currentDuration
        currentIntegral = 0
        currentDuration = 0
        var k = current &+ 1
        while k <= b {
            let s = Self.slot(k)
            slots[2 * s] = 0
            slots[2 * s + 1] = 0
            k &+= 1
        }
        currentBucket = b
        recomputeTotals()
    }

    private mutating func recomputeTotals() {
        var integral = 0.0
        var duration = 0.0
        for i in 0..<Self.bucketCount {
            integral += slots[2 * i]
            duration += slots[2 * i + 1]
        }
        totalIntegral = integral
        totalDuration = duration
    }
}

/// Index of the grid cell of width `step` that contains `t`: floor(t / step), clamped so
/// that absurd times (1e300 s) cannot trap the conversion to an integer.
enum GridIndex {
    static func of(_ t: Double, step: Double) -> Int64 {
        let x = t / step
        if x >= 4e18 { return 4_000_000_000_000_000_000 }
        if !(x > -4e18) { return -4_000_000_000_000_000_000 }  // also NaN
        // floor without a libm call: truncate toward zero, then step down for negative fractions.
        let i = Int64(x)
        return Double(i) > x ? i - 1 : i
    }
}
