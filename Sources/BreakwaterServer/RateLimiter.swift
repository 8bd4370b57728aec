import BreakwaterEngine
import BreakwaterWire
import HTTPTypes
import Synchronization

/// Token buckets per key (a push source, the admin token, a client address): `ratePerSecond`
/// sustained with a burst of `burst` (twice the rate unless given). A refused request gets 429
/// with the seconds until a token is available.
public final class RateLimiter: Sendable {
    struct Bucket {
        var tokens: Double
        var updated: EpochSeconds
    }
    let ratePerSecond: Double
    let burst: Double
    /// What the limit counts, for the 429 message ("requests", "failed authentications").
    let counted: String
    /// Keys kept before buckets that have refilled are forgotten (a full bucket is the same as none).
    static let sweepAbove = 10_000
    private let buckets = Mutex<[String: Bucket]>([:])

    public init(ratePerSecond: Double, burst: Double? = nil, counted: String = "requests") {
        self.ratePerSecond = ratePerSecond
        self.burst = max(1, burst ?? 2 * ratePerSecond)
        self.counted = counted
    }

    /// Takes one token for `key` at `now`; throws 429 with Retry-After when none is left.
    func take(_ key: String, now: EpochSeconds) throws {
        try refuse(key, wait: seconds(key, now: now, taking: true))
    }

    /// Throws 429 when `key` has no token left at `now`, without taking one.
    func check(_ key: String, now: EpochSeconds) throws {
        try refuse(key, wait: seconds(key, now: now, taking: false))
    }

    /// Seconds until `key` has a token (nil: it has one, taken when `taking`).
    private func seconds(_ key: String, now: EpochSeconds, taking: Bool) -> Double? {
        buckets.withLock { table in
            var b = table[key] ?? Bucket(tokens: burst, updated: now)
            b.tokens = min(burst, b.tokens + max(0, now - b.updated) * ratePerSecond)
            b.updated = now
            if b.tokens >= 1 {
                guard taking else { return nil }
                b.tokens -= 1
                if table[key] == nil && table.count >= Self.sweepAbove {
                    table = table.filter { $0.value.tokens + max(0, now - $0.value.updated) * ratePerSecond < burst }
                }
                table[key] = b
                return nil
            }
            table[key] = b
            return (1 - b.tokens) / ratePerSecond
        }
    }

    private func refuse(_ key: String, wait: Double?) throws {
        guard let wait else { return }
        let seconds = RetryAfter.delaySeconds(wait)
        let rate = ratePerSecond == ratePerSecond.rounded() ? String(Int(ratePerSecond)) : String(ratePerSecond)
        var e = APIError(
            .tooManyRequests,
            "rate_limited",
            "more than \(rate) \(counted) per second for \(key); retry in \(seconds) s"
        )
        e.headers[.retryAfter] = String(seconds)
        throw e
    }
}
