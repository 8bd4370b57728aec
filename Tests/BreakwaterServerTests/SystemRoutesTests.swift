import BreakwaterConfig
import BreakwaterEngine
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOFoundationEssentialsCompat
import Prometheus
import Testing

@testable import BreakwaterServer

/// `GET /v1/system` and the `system.correlation_regime` alert, through the real sampler, the
/// board the pushes publish to, the store and the routes.
@Suite struct SystemRoutesTests {
    static let config = """
        {"server": {"port": 0}, "storage": {"path": "STORAGE"},
         "defaults": {"aggregation": {"minSources": 1, "maxAgeMs": 10000}},
         "systemic": {"sampleSeconds": 1, "halfLifeSeconds": 2, "minSamples": 3, "shortWindow": 2, "longWindow": 6},
         "markets": [
           {"id": "A", "sources": [{"id": "desk", "kind": "push", "tokenEnv": "PUSH"}]},
           {"id": "B", "sources": [{"id": "desk", "kind": "push", "tokenEnv": "PUSH"}]},
           {"id": "C", "sources": [{"id": "desk", "kind": "push", "tokenEnv": "PUSH"}]},
           {"id": "FLAT", "sources": [{"id": "desk", "kind": "push", "tokenEnv": "PUSH"}]}]}
        """

    func makeServer(clock: ManualClock, registry: PrometheusCollectorRegistry) async throws -> BreakwaterServer {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bw-system-\(UUID().uuidString)")
        let cfg = try ConfigLoader.parse(
            Data(
                Self.config.replacingOccurrences(of: "STORAGE", with: dir.appendingPathComponent("s.sqlite").path).utf8
            )
        )
        let server = try BreakwaterServer(
            config: cfg,
            environment: ["PUSH": "push-token-for-system-tests"],
            registry: registry,
            logger: Logger(label: "test"),
            clock: { clock.now }
        )
        try await server.connectAlerting()
        await server.monitor.tick(now: clock.now)
        return server
    }

    func get(_ client: some TestClientProtocol, _ uri: String) async throws -> [String: Any] {
        try await client.execute(uri: uri, method: .get) { r in
            #expect(r.status == .ok)
            return try #require(JSONSerialization.jsonObject(with: Data(buffer: r.body)) as? [String: Any])
        }
    }

    @Test func correlatedMovesFireTheRegimeAlertAndOrthogonalOnesResolveIt() async throws {
        let start = (BreakwaterServer.now()).rounded(.down)
        let clock = ManualClock(start)
        let registry = PrometheusCollectorRegistry()
        let server = try await makeServer(clock: clock, registry: registry)
        let sampler = server.systemicSampler()
        let app = Application(router: server.router())
        try await app.test(.router) { client in
            var prices = [100.0, 200.0, 300.0]
            var t = start
            /// Pushes A, B, C moved by `moves` (log returns) and FLAT at 1, then samples at the next second.
            func step(_ moves: [Double]) async throws {
                t += 1
                clock.now = t
                for i in prices.indices { prices[i] *= exp(moves[i]) }
                let quotes = zip(["A", "B", "C"], prices).map { PushQuote(market: $0, price: $1, time: t) }
                let result = await server.monitor.ingestPush(
                    source: "desk",
                    quotes: quotes + [PushQuote(market: "FLAT", price: 1, time: t)],
                    now: t
                )
                #expect(result.rejected.isEmpty)
                await server.monitor.tick(now: t)
                await sampler.sample(at: t)
            }
            let before = try await get(client, "/v1/system")
            #expect(before["state"] as? String == "insufficient")
            #expect((before["excluded"] as? [[String: Any]])?.count == 4)
            // Every market moves together: correlation 1.
            for k in 0..<8 { try await step(Array(repeating: k % 2 == 0 ? 0.01 : -0.008, count: 3)) }
            let together = try await get(client, "/v1/system")
            #expect(together["state"] as? String == "fragile")
            #expect(together["markets"] as? [String] == ["A", "B", "C"])
            let excluded = try #require(together["excluded"] as? [[String: Any]])
            #expect(excluded.map { $0["market"] as? String } == ["FLAT"])
            #expect(excluded.first?["reason"] as? String == "constant_price")
            let matrix = try #require(together["correlation"] as? [String: Any])
            #expect(matrix["ids"] as? [String] == ["A", "B", "C"])
            let values = try #require(matrix["values"] as? [[Double]])
            #expect(values.count == 3 && values.allSatisfy { $0.count == 3 })
            #expect(abs((together["averageCorrelation"] as? Double ?? 0) - 1) < 1e-9)
            let firing = try await get(client, "/v1/alerts?status=firing")
            let alerts = try #require(firing["alerts"] as? [[String: Any]])
            let regime = alerts.filter { $0["type"] as? String == "system.correlation_regime" }
            #expect(regime.count == 1)
            #expect(regime.first?["market"] as? String == "*")
            let metrics = try await client.execute(uri: "/metrics", method: .get) { String(buffer: $0.body) }
            #expect(metrics.contains("breakwater_system_regime{state=\"fragile\"} 1"))
            #expect(metrics.contains("breakwater_system_markets 3"))
            // Then each moves alone, in turn: the correlations fall well below 0.8.
            let alone = [[0.01, 0, 0], [0, 0.01, 0], [0, 0, 0.01], [-0.01, 0, 0], [0, -0.01, 0], [0, 0, -0.01]]
            for k in 0..<24 { try await step(alone[k % alone.count]) }
            let apart = try await get(client, "/v1/system")
            #expect(apart["state"] as? String == "calm", "\(apart)")
            #expect((apart["averageCorrelation"] as? Double ?? 1) < 0.8)
            let nowFiring = try await get(client, "/v1/alerts?status=firing")
            #expect(
                (nowFiring["alerts"] as? [[String: Any]] ?? []).allSatisfy {
                    $0["type"] as? String != "system.correlation_regime"
                }
            )
        }
    }
}

/// The sampler's grid: a late sample is taken at once, whole missed steps are skipped.
@Suite struct SystemicSamplerGridTests {
    @Test func aSampleLessThanAStepLateIsTakenNotSkipped() {
        // Due at 100 (step 2): at 100.5 and 101.9 it is still taken.
        #expect(SystemicSampler.nextSample(after: 100, now: 99.2, step: 2) == 100)
        #expect(SystemicSampler.nextSample(after: 100, now: 100.5, step: 2) == 100)
        #expect(SystemicSampler.nextSample(after: 100, now: 101.9, step: 2) == 100)
        // A whole step or more late: the grid point just passed.
        #expect(SystemicSampler.nextSample(after: 100, now: 102, step: 2) == 102)
        #expect(SystemicSampler.nextSample(after: 100, now: 107.3, step: 2) == 106)
    }
}
