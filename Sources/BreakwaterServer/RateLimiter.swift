import BreakwaterEngine
import Synchronization

/// Token buckets per key (a push source, the admin token): `ratePerSecond` sustained with a burst
/// of twice that. A refused request gets 429 with the seconds until a token is available.
public final class RateLimiter: Sendable {
    struct Bucket { var tokens: Double; var updated: EpochSeconds }
    let ratePerSecond: Double
    let burst: Double
    private let buckets = Mutex<[String: Bucket]>([:])

    public init(ratePerSecond: Double) {
        self.ratePerSecond = ratePerSecond
        self.burst = max(1, 2 * ratePerSecond)
    }

    /// Takes one token for `key` at `now`; throws 429 with Retry-After when none is left.
    func take(_ key: String, now: EpochSeconds) throws {
        let wait: Double? = buckets.withLock { table in
            var b = table[key] ?? Bucket(tokens: burst, updated: now)
            b.tokens = min(burst, b.tokens + max(0, now - b.updated) * ratePerSecond)
            b.updated = now
            defer { table[key] = b }
            if b.tokens >= 1 { b.tokens -= 1; return nil }
            return (1 - b.tokens) / ratePerSecond
        }
        if let wait {
            let seconds = max(1, Int(wait.rounded(.up)))
            var e = APIError(.tooManyRequests, "rate_limited", "more than \(Int(ratePerSecond)) requests per second for \(key); retry in \(seconds) s")
            e.headers[.retryAfter] = String(seconds)
            throw e
        }
    }
}
