/// When to try a failed delivery again.
public struct RetryPolicy: Sendable, Equatable {
    /// Delay before attempt n+1 after attempt n fails, seconds; the last entry repeats.
    /// Default: the Standard Webhooks schedule (5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h).
    public var delays: [Double]
    /// Attempts before a delivery is marked failed.
    public var maxAttempts: Int
    /// Random spread applied to each delay, as a fraction (0.2 = ±20 %).
    public var jitter: Double
    /// Upper bound on a receiver's `Retry-After`, seconds.
    public var maxRetryAfter: Double

    public static let standardDelays: [Double] = [5, 300, 1800, 7200, 18000, 36000, 36000]

    public init(
        delays: [Double] = RetryPolicy.standardDelays,
        maxAttempts: Int = 8,
        jitter: Double = 0.2,
        maxRetryAfter: Double = 3600
    ) {
        self.delays = delays.isEmpty ? [0] : delays
        self.maxAttempts = max(1, maxAttempts)
        self.jitter = max(0, min(jitter, 1))
        self.maxRetryAfter = maxRetryAfter
    }

    /// Seconds to wait after failed attempt `attempt` (1-based), or nil when no attempts are left.
    /// `retryAfter` (seconds, from the receiver) is honoured when larger than the schedule.
    public func delay(
        afterAttempt attempt: Int,
        retryAfter: Double? = nil,
        random: Double = Double.random(in: -1...1)
    ) -> Double? {
        guard attempt < maxAttempts else { return nil }
        let base = delays[min(max(attempt - 1, 0), delays.count - 1)]
        let jittered = max(0, base * (1 + jitter * random))
        guard let retryAfter, retryAfter.isFinite, retryAfter > 0 else { return jittered }
        return max(jittered, min(retryAfter, maxRetryAfter))
    }
}
