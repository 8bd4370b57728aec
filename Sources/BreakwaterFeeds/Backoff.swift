/// Delay before the next poll, seconds.
///
/// Success: the interval. Failure n (n >= 1 consecutive): interval x 2^n, capped at `capSeconds`,
/// times a random jitter in [0.5, 1], never below the interval. A venue's `Retry-After` is a
/// floor, up to `maxRetryAfterSeconds`.
struct Backoff: Sendable {
    /// Upper bound of the backoff, seconds.
    var capSeconds: Double = 60
    /// The longest `Retry-After` honoured, seconds: one absurd answer (99999999) must not stop
    /// a source for a day.
    static let maxRetryAfterSeconds: Double = 300

    func delay(
        interval: Double,
        consecutiveFailures n: Int,
        retryAfter: Double?,
        random: Double = Double.random(in: 0.5...1)
    ) -> Double {
        guard n > 0 else { return interval }
        let exponential = min(capSeconds, interval * Double(1 << min(n, 30)))
        let jittered = max(interval, exponential * random)
        guard let retryAfter else { return jittered }
        return max(jittered, min(retryAfter, Self.maxRetryAfterSeconds))
    }
}
