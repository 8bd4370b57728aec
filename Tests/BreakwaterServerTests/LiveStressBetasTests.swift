import BreakwaterStress
import BreakwaterSystemic
import BreakwaterWire
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import BreakwaterServer

/// The live pass takes contagion's betas from the latest cross-market view.
struct LiveStressBetasTests {
    typealias S = StressTestServer

    /// A view of BTC-USD and ETH-USD where ETH moves with BTC (ETH's return is BTC's plus a
    /// little noise, so beta_ETH,BTC is about 1), as of `time`.
    static func view(movingTogetherAt time: Double) throws -> SystemView {
        var parameters = SystemicParameters()
        parameters.sampleSeconds = 1
        parameters.minSamples = 2
        var regime = CorrelationRegime(markets: ["BTC-USD", "ETH-USD"], parameters: parameters)
        var (btc, eth) = (100.0, 2000.0)
        var last: SystemView?
        for k in 0..<60 {
            let r = 0.01 * sin(Double(k) * 1.7)
            btc *= exp(r)
            eth *= exp(r + 0.001 * cos(Double(k) * 2.3))
            last = try regime.update(at: time - 59 + Double(k), prices: [btc, eth]) ?? last
        }
        return try #require(last)
    }

    /// BTC-USD holds one well-collateralized short, ETH-USD leveraged longs: a fall
    /// of BTC alone liquidates nothing, so without betas no BTC shock empties the fund; with a
    /// view where ETH moves with BTC, a BTC shock liquidates ETH's longs and empties it.
    @Test func aShockInOneMarketLiquidatesInAMarketThatMovesWithIt() async throws {
        let clock = ManualClock(BreakwaterServer.now())
        let server = try await S.make(clock: clock)
        let btc =
            #"{"market": "BTC-USD", "liquidity": \#(S.vectorLiquidity), "positions": [{"side": "short", "size": 1, "entry": 100, "collateral": 1000000}]}"#
        // $50M of 50x longs and $100M of 20x longs entered at ETH's price of 2000.
        let longs = [(25_000, 1_000_000), (50_000, 5_000_000)].map { size, collateral in
            #"{"side": "long", "size": \#(size), "entry": 2000, "collateral": \#(collateral)}"#
        }
        let eth = #"{"market": "ETH-USD", "positions": [\#(longs.joined(separator: ", "))]}"#
        let body = #"{"asOf": \#(clock.now), "insuranceFund": {"balance": 2000000}, "markets": [\#(btc), \#(eth)]}"#
        try await Application(router: server.router()).test(.router) { client in
            let (posted, text) = try await S.post(client, "/v1/positions", body: body)
            #expect(posted == .accepted, "\(text)")
        }
        func btcOrigin(_ report: LiveStressReport) -> CriticalMarket? {
            report.report.critical.first?.first { $0.origin == "BTC-USD" }
        }

        let alone = try #require(await server.liveStress.pass())
        #expect(alone.betasGiven == false && alone.betasAsOf == nil)
        #expect(alone.report.critical.count == 2)
        #expect(btcOrigin(alone)?.shock == nil, "\(String(describing: btcOrigin(alone)))")

        let view = try Self.view(movingTogetherAt: clock.now - 5)
        let beta = view.beta(of: 1, given: 0)
        #expect(abs(beta - 1) < 0.05, "beta_ETH,BTC \(beta)")
        server.system.publish(view)
        let together = try #require(await server.liveStress.pass())
        #expect(together.betasGiven && together.betasAsOf == view.time)
        for ranking in together.report.critical {
            let origin = try #require(ranking.first { $0.origin == "BTC-USD" })
            // ETH's 50x longs go past liquidation at a 1.5 % fall, the 20x at 4.5 %: the $2M
            // fund is emptied by a BTC fall well under 10 %.
            let shock = try #require(origin.shock, "\(ranking)")
            #expect(origin.direction == .down && shock > 0 && shock < 0.1, "\(origin)")
        }
        let encoded = String(decoding: WireJSON.encode(together), as: UTF8.self)
        #expect(
            encoded.contains(#""betasGiven":true"#) && encoded.contains(#""betasAsOf":""#),
            "\(encoded.prefix(300))"
        )
    }
}
