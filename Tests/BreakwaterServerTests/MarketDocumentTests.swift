import BreakwaterEngine
import BreakwaterFeeds
import Testing

@testable import BreakwaterServer

/// A source's `error` in the market JSON is its current failure only.
struct MarketDocumentTests {
    @Test func aRecoveredSourceShowsNoError() throws {
        let engine = try RiskEngine(
            markets: [
                MarketParameters(
                    id: "BTC-USD",
                    sources: [SourceParameters(id: "coinbase", kind: "coinbase")],
                    aggregation: .init(minSources: 1, maxAgeSeconds: 30)
                )
            ],
            start: 0
        )
        var stats = FeedStatistics(market: "BTC-USD", source: "coinbase", kind: "coinbase")
        stats.lastError = "Coinbase answered HTTP 502 with an HTML error page"
        stats.failures = 3
        stats.consecutiveFailures = 3
        let failing = String(
            decoding: MarketDocument.bytes(engine.snapshot(market: 0), validUntil: 2, feeds: ["coinbase": stats]),
            as: UTF8.self
        )
        #expect(failing.contains("\"error\":\"Coinbase answered HTTP 502"))
        stats.consecutiveFailures = 0
        stats.successes = 1
        let recovered = String(
            decoding: MarketDocument.bytes(engine.snapshot(market: 0), validUntil: 2, feeds: ["coinbase": stats]),
            as: UTF8.self
        )
        #expect(recovered.contains("\"error\":null"), "\(recovered)")
    }
}
