/// Time-weighted mean of a piecewise-constant price over a trailing window, in O(1) per update.
///
/// The window is split into `bucketCount` buckets; the mean covers the buckets that end
/// within the window, so its span lies between (1 - 1/bucketCount) and 1 window. Intervals
/// with no price (the oracle had none) contribute nothing.
public struct TimeWeightedMean: Sendable, Equatable {
    public let windowSeconds: Double
    public let bucketCount: Int
    private let bucketSeconds: Double
    private struct Bucket: Sendable, Equatable {
        var integral = 0.0
        var duration = 0.0
        var id: Int64 = .min
    }
    private var buckets: [Bucket]
    private var totalIntegral = 0.0
    private var totalDuration = 0.0
    private var lastTime: EpochSeconds?
    private var lastPrice: Double?
    private var currentBucket: Int64 = .min

    public init(windowSeconds: Double, bucketCount: Int = 60) {
        self.windowSeconds = windowSeconds
        self.bucketCount = bucketCount
        self.bucketSeconds = windowSeconds / Double(bucketCount)
        buckets = Array(repeating: Bucket(), count: bucketCount)
    }

    /// The mean over the window, or `nil` before any time has been covered with a price.
    public var mean: Double? { totalDuration > 0 ? totalIntegral / totalDuration : nil }

    /// Integrates the previous price up to `time`, then holds `price` (nil: no price) from `time` on.
    public mutating func observe(price: Double?, at time: EpochSeconds) {
        if let t0 = lastTime, let p = lastPrice, time > t0 {
            integrate(price: p, from: t0, to: time)
        }
        rotate(to: bucketID(time))
        if lastTime == nil || time >= lastTime! { lastTime = time }
        lastPrice = price
    }

    /// Forgets the history and starts again from `price` at `time` (re-anchoring after a halt).
    public mutating func reset(price: Double?, at time: EpochSeconds) {
        for i in 0..<bucketCount { buckets[i] = Bucket() }
        totalIntegral = 0; totalDuration = 0
        currentBucket = .min
        lastTime = time
        lastPrice = price
    }

    private func bucketID(_ t: EpochSeconds) -> Int64 { Int64((t / bucketSeconds).rounded(.down)) }

    private mutating func integrate(price: Double, from t0: EpochSeconds, to t1: EpochSeconds) {
        let b1 = bucketID(t1)
        var start = max(t0, Double(b1 - Int64(bucketCount) + 1) * bucketSeconds)
        while start < t1 {
            let b = bucketID(start)
            let end = min(t1, Double(b + 1) * bucketSeconds)
            rotate(to: b)
            let slot = Int(b.remainderReportingOverflow(dividingBy: Int64(bucketCount)).partialValue + Int64(bucketCount)) % bucketCount
            if buckets[slot].id != b { buckets[slot] = Bucket(integral: 0, duration: 0, id: b) }
            let dt = end - start
            buckets[slot].integral += price * dt
            buckets[slot].duration += dt
            totalIntegral += price * dt
            totalDuration += dt
            if end <= start { break }
            start = end
        }
    }

    /// Drops buckets that fell out of the window ending at bucket `b`, recomputing the totals.
    private mutating func rotate(to b: Int64) {
        guard b > currentBucket else { return }
        currentBucket = b
        let oldest = b - Int64(bucketCount) + 1
        var integral = 0.0, duration = 0.0
        for i in 0..<bucketCount {
            if buckets[i].id < oldest {
                buckets[i] = Bucket()
            } else {
                integral += buckets[i].integral; duration += buckets[i].duration
            }
        }
        totalIntegral = integral
        totalDuration = duration
    }
}
