import Testing

@testable import BreakwaterServer

struct RateLimiterTests {
    /// Time is passed in: a burst of twice the rate passes, then one request per 1/rate seconds.
    @Test func burstThenSustainedRate() {
        let limiter = RateLimiter(ratePerSecond: 2)
        for _ in 0..<4 { #expect(throws: Never.self) { try limiter.take("k", now: 100) } }
        #expect(throws: APIError.self) { try limiter.take("k", now: 100) }
        #expect(throws: Never.self) { try limiter.take("k", now: 100.5) }
        #expect(throws: APIError.self) { try limiter.take("k", now: 100.5) }
        #expect(throws: Never.self) { try limiter.take("other", now: 100.5) }
    }
}
