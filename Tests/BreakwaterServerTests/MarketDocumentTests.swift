import BreakwaterEngine
import BreakwaterFeeds
import BreakwaterWire
import Foundation
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

    /// The margin block has each side's margins beside the larger side's.
    @Test func theMarginBlockHasEachSide() throws {
        let engine = try RiskEngine(
            markets: [
                MarketParameters(
                    id: "BTC-USD",
                    sources: [SourceParameters(id: "coinbase", kind: "coinbase")],
                    margin: .init(initialVolatility: 20, maintenanceFloor: 0)
                )
            ],
            start: 0
        )
        let s = engine.snapshot(market: 0)
        #expect(s.longMaintenanceMargin < s.shortMaintenanceMargin && s.maintenanceMargin == s.shortMaintenanceMargin)
        let json = try JSONValue.parse(Data(MarketDocument.bytes(s, validUntil: 2, feeds: [:])))
        func number(_ path: String...) -> Double? {
            var v = json
            for key in path {
                guard case let .object(o) = v, let next = o[key] else { return nil }
                v = next
            }
            guard case let .number(x) = v else { return nil }
            return x
        }
        #expect(number("margin", "long", "maintenance") == s.longMaintenanceMargin)
        #expect(number("margin", "long", "initial") == s.longInitialMargin)
        #expect(number("margin", "short", "maintenance") == s.shortMaintenanceMargin)
        #expect(number("margin", "short", "initial") == s.shortInitialMargin)
        #expect(number("margin", "maintenance") == s.maintenanceMargin)
    }
}
