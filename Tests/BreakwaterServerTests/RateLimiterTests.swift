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

struct HTTPMetricsTests {
    /// Labels go through the one Prometheus escaping: a quote in a method or route cannot end the value.
    @Test func labelValuesAreEscaped() {
        let metrics = HTTPMetrics()
        metrics.record(method: "GET", route: "/v1/markets/:id", status: 200, seconds: 0.001)
        metrics.record(method: "X\"Y", route: "a\\b\nc", status: 404, seconds: 0.001)
        let text = metrics.render()
        #expect(text.contains(#"breakwater_http_requests_total{method="GET",route="/v1/markets/:id",status="200"} 1"#))
        #expect(text.contains(#"breakwater_http_requests_total{method="X\"Y",route="a\\b\nc",status="404"} 1"#), "\(text)")
    }
}
