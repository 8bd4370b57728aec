import AsyncHTTPClient
import BreakwaterConfig
import BreakwaterEngine
import BreakwaterFeeds
import BreakwaterServer
import BreakwaterVenues
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOFoundationEssentialsCompat
import Prometheus
import Testing

@testable import breakwater

/// The service polling local venues that speak the real formats, read through `GET /v1/markets/{id}`:
/// aggregate price, source statuses, an outlier excluded, a stale source, quorum lost when too
/// many venues fail, and recovery after.
struct FeedsIntegrationTests {
    @Test(.timeLimit(.minutes(2)))
    func pollsVenuesAndReportsThroughTheAPI() async throws {
        let venues = try await SimulatedVenues.start(port: 0)
        for f in DemoScenario.feeds { await venues.state.setPrice(50_000, venue: f.venue, symbol: f.symbol) }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bw-feeds-\(UUID().uuidString)")
        let config = DemoConfig.make(
            venuesBaseURL: venues.baseURL,
            port: 0,
            speed: 10,
            storagePath: dir.appendingPathComponent("state.sqlite").path
        )
        let server = try BreakwaterServer(
            config: config,
            environment: [:],
            registry: PrometheusCollectorRegistry(),
            logger: Logger(label: "feeds-it")
        )
        try await server.connectAlerting()
        let feeds = FeedSupervisor(
            markets: config.markets,
            sink: server.monitor,
            httpClient: .shared,
            userAgent: "breakwater-test",
            logger: Logger(label: "feeds")
        )
        await server.monitor.setFeedStatistics { await feeds.statistics() }
        let polling = Task { try await feeds.run() }
        let ticking = Task {
            while !Task.isCancelled {
                try await Task.sleep(for: .milliseconds(config.server.tickMs))
                await server.monitor.tick(now: BreakwaterServer.now())
            }
        }
        defer {
            polling.cancel()
            ticking.cancel()
        }
        let app = Application(router: server.router())
        try await app.test(.router) { client in
            func market() async throws -> [String: Any] {
                try await client.execute(uri: "/v1/markets/BTC-USD", method: .get) { r in
                    try JSONSerialization.jsonObject(with: Data(buffer: r.body)) as! [String: Any]
                }
            }
            func status(_ m: [String: Any], _ id: String) -> String? {
                (m["sources"] as? [[String: Any]])?.first { $0["id"] as? String == id }?["status"] as? String
            }
            func reasons(_ m: [String: Any]) -> [String] {
                (m["breaker"] as? [String: Any])?["reasons"] as? [String] ?? []
            }
            /// Polls the API until `condition` holds (at most `seconds`).
            func until(_ seconds: Double, _ condition: ([String: Any]) -> Bool) async throws -> [String: Any] {
                let deadline = Date().addingTimeInterval(seconds)
                var m = try await market()
                while !condition(m) && Date() < deadline {
                    try await Task.sleep(for: .milliseconds(50))
                    m = try await market()
                }
                return m
            }
            var m = try await until(10) { m in
                m["price"] as? Double != nil && reasons(m).isEmpty
                    && DemoScenario.feeds.allSatisfy { status(m, $0.venue.rawValue) == "ok" }
                    && ((m["sources"] as? [[String: Any]])?.first?["latencyMs"] as? Double) != nil
            }
            #expect(abs((m["price"] as? Double ?? 0) - 50_000) < 1)
            for f in DemoScenario.feeds { #expect(status(m, f.venue.rawValue) == "ok", "\(f.venue) polled") }
            #expect(
                ((m["sources"] as? [[String: Any]])?.first?["latencyMs"] as? Double) != nil,
                "poll latency reported"
            )

            await venues.state.setPrice(55_000, venue: .bitstamp, symbol: "btcusd")
            m = try await until(5) { status($0, "bitstamp") == "outlier" }
            #expect(status(m, "bitstamp") == "outlier")
            #expect(abs((m["price"] as? Double ?? 0) - 50_000) < 1, "the outlier does not move the price")
            #expect(reasons(m).isEmpty)

            await venues.state.setMode(.frozen, venue: .coinbaseExchange)
            m = try await until(5) { status($0, "coinbase-exchange") == "stale" }
            #expect(status(m, "coinbase-exchange") == "stale")

            for v in [Venue.coinbase, .kraken, .pyth] { await venues.state.setMode(.serverError, venue: v) }
            m = try await until(8) { reasons($0).contains("quorum_lost") && status($0, "kraken") == "error" }
            #expect(reasons(m).contains("quorum_lost"))
            #expect(m["price"] is NSNull, "no price without quorum")
            #expect(m["lastGoodPrice"] as? Double != nil)
            #expect(status(m, "kraken") == "error")
            #expect(((m["actions"] as? [String: Any])?["liquidations"] as? String) == "paused")

            await venues.state.setModeAll(.normal)
            await venues.state.setPrice(50_000, venue: .bitstamp, symbol: "btcusd")
            m = try await until(15) { reasons($0).isEmpty && $0["price"] as? Double != nil }
            #expect(reasons(m).isEmpty, "recovered after recoverySeconds")
            // Venues that failed come back on their backoff schedule; a quorum is back already.
            let ok = DemoScenario.feeds.filter { status(m, $0.venue.rawValue) == "ok" }.count
            #expect(ok >= config.markets[0].aggregation.minSources)
        }
        await venues.stop()
    }
}
