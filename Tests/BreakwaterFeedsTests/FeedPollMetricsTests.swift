import BreakwaterConfig
import MetricsTestKit
import Testing

@testable import BreakwaterFeeds

struct FeedPollMetricsTests {
    /// Polls are counted through swift-metrics where the statistics are kept: both results from
    /// start-up at 0, failures in a row back to 0 on a success, the last latency once polled.
    @Test func pollsAreCountedWhereTheStatisticsAre() async throws {
        let metrics = TestMetrics()
        let source = FeedSource(market: "BTC-USD", id: "k", kind: .kraken)
        let store = FeedStatisticsStore([source], metrics: metrics)
        let labels = [("market", "BTC-USD"), ("source", "k")]
        func polls(_ result: String) throws -> Int64 {
            try metrics.expectCounter("breakwater_feed_polls_total", labels + [("result", result)]).totalValue
        }
        func inARow() throws -> Double? {
            try metrics.expectRecorder("breakwater_feed_consecutive_failures", labels).lastValue
        }
        #expect(try polls("success") == 0 && polls("failure") == 0 && inARow() == 0)
        #expect(throws: (any Error).self) { try metrics.expectRecorder("breakwater_feed_latency_seconds", labels) }

        await store.failure(source, FeedError(.timeout, "slow"), at: 10, latency: 5)
        await store.failure(source, FeedError(.transport, "refused"), at: 11, latency: 0.25)
        #expect(try polls("failure") == 2 && polls("success") == 0 && inARow() == 2)
        #expect(try metrics.expectRecorder("breakwater_feed_latency_seconds", labels).lastValue == 0.25)

        await store.success(source, at: 12, latency: 0.125)
        #expect(try polls("success") == 1 && polls("failure") == 2 && inARow() == 0)
        #expect(try metrics.expectRecorder("breakwater_feed_latency_seconds", labels).lastValue == 0.125)
    }
}
