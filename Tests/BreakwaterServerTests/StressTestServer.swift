import BreakwaterConfig
import BreakwaterEngine
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Prometheus

@testable import BreakwaterServer

/// A server with two pushed markets and a positions token, for the positions and stress tests.
/// BTC-USD's margin is the vector of domain-systemic.md section 3: its maintenance stays at the
/// 0.5 % floor (a 60 s horizon) and its seeded volatility is about 4 % a day; ETH-USD has its
/// liquidity in the config.
enum StressTestServer {
    static let positionsToken = "positions-token-for-tests"
    static let adminToken = "admin-token-for-tests"
    static let pushToken = "push-token-for-tests"

    static func config(storage: String) -> String {
        """
        {"server": {"port": 0, "adminTokenEnv": "ADMIN", "positionsTokenEnv": "POSITIONS"}, "storage": {"path": "\(storage)"},
         "markets": [
           {"id": "BTC-USD", "sources": [{"id": "desk", "kind": "push", "tokenEnv": "DESK"}],
            "aggregation": {"minSources": 1, "maxAgeMs": 600000},
            "margin": {"maintenanceFloor": 0.005, "horizonSeconds": 60, "initialVolatility": 0.7642}},
           {"id": "ETH-USD", "sources": [{"id": "desk", "kind": "push", "tokenEnv": "DESK"}],
            "aggregation": {"minSources": 1, "maxAgeMs": 600000},
            "liquidity": {"dailyVolume": 5e8, "depth1Pct": 1e7, "impactY": 0.8}}]}
        """
    }

    /// The server, its clock at `start`, with BTC-USD at 100 and ETH-USD at 2000 pushed and ticked.
    static func make(
        clock: ManualClock,
        registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()
    )
        async throws -> BreakwaterServer
    {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bw-stress-\(UUID().uuidString)")
        let cfg = try ConfigLoader.parse(Data(config(storage: dir.appendingPathComponent("s.sqlite").path).utf8))
        let server = try BreakwaterServer(
            config: cfg,
            environment: ["ADMIN": adminToken, "POSITIONS": positionsToken, "DESK": pushToken],
            registry: registry,
            logger: Logger(label: "stress-test"),
            clock: { clock.now }
        )
        try await server.connectAlerting()
        let quotes = [
            PushQuote(market: "BTC-USD", price: 100, time: clock.now, confidence: nil),
            PushQuote(market: "ETH-USD", price: 2000, time: clock.now, confidence: nil),
        ]
        _ = await server.monitor.ingestPush(source: "desk", quotes: quotes, now: clock.now)
        await server.monitor.tick(now: clock.now)
        return server
    }

    /// The vector book: longs entered at 100, $50M at 50x, $100M at 20x, $150M at 10x, $200M at 5x.
    static func vectorPositions(accounts: Bool = false) -> String {
        [(500_000, 1_000_000), (1_000_000, 5_000_000), (1_500_000, 15_000_000), (2_000_000, 40_000_000)]
            .enumerated().map { i, p in
                let account = accounts ? #", "account": "acct-\#(i)""# : ""
                return #"{"side": "long", "size": \#(p.0), "entry": 100, "collateral": \#(p.1)\#(account)}"#
            }.joined(separator: ", ")
    }

    static let vectorLiquidity = #"{"dailyVolume": 1e9, "depth1Pct": 2e7, "impactY": 0.7}"#

    static func post(
        _ client: some TestClientProtocol,
        _ uri: String,
        token: String? = positionsToken,
        body: String
    ) async throws -> (HTTPResponse.Status, String) {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body)) {
            ($0.status, String(buffer: $0.body))
        }
    }

    static func get(_ client: some TestClientProtocol, _ uri: String) async throws -> (HTTPResponse.Status, String) {
        try await client.execute(uri: uri, method: .get) { ($0.status, String(buffer: $0.body)) }
    }
}
