import BreakwaterAlerts
import BreakwaterConfig
import BreakwaterEngine
import BreakwaterStore
import BreakwaterStress
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Prometheus
import Testing

@testable import BreakwaterServer

/// The live pass on posted positions: the engine's figures, the standing scenario, the stale
/// flag, the routes that serve it, the alerts it opens and resolves, and the gauges.
struct LiveStressTests {
    typealias S = StressTestServer

    static func snapshot(asOf: Double, fund: Double, markets: String) -> String {
        #"{"asOf": \#(asOf), "insuranceFund": {"balance": \#(fund)}, "markets": [\#(markets)]}"#
    }

    static var vectorMarket: String {
        #"{"market": "BTC-USD", "liquidity": \#(S.vectorLiquidity), "positions": [\#(S.vectorPositions(accounts: true))]}"#
    }

    @Test func nothingRunsBeforeASnapshotAndTheRoutesSaySo() async throws {
        let clock = ManualClock(BreakwaterServer.now())
        let server = try await S.make(clock: clock)
        #expect(await server.liveStress.pass() == nil)
        try await Application(router: server.router()).test(.router) { client in
            for uri in ["/v1/stress", "/v1/markets/BTC-USD/liquidations"] {
                let (status, text) = try await S.get(client, uri)
                #expect(status == .notFound && text.contains("no_positions"), "\(uri): \(text)")
            }
            let (unknown, _) = try await S.get(client, "/v1/markets/XRP-USD/liquidations")
            #expect(unknown == .notFound)
            let (onDemand, text) = try await S.post(
                client,
                "/v1/stress",
                token: nil,
                body: #"{"shocks": {"BTC-USD": -0.05}}"#
            )
            #expect(onDemand == .notFound && text.contains("no_positions"), "\(text)")
        }
    }

    /// The vector of domain-systemic.md section 3 through the live service: m is the published
    /// 0.5 %, the linear model's rows do not depend on sigma.
    @Test func thePassAndOnDemandScenariosGiveTheVectorRows() async throws {
        let clock = ManualClock(BreakwaterServer.now())
        let server = try await S.make(clock: clock)
        try await Application(router: server.router()).test(.router) { client in
            let body = Self.snapshot(asOf: clock.now, fund: 2_000_000, markets: Self.vectorMarket)
            let (posted, _) = try await S.post(client, "/v1/positions", body: body)
            #expect(posted == .accepted)
            let report = try #require(await server.liveStress.pass())
            #expect(report.stale == false)
            let btc = try #require(report.report.markets.first { $0.market == "BTC-USD" })
            #expect(btc.maintenance == 0.005)
            #expect(abs(btc.sigmaDay - 0.04) < 0.0005, "\(btc.sigmaDay)")
            let linear5 = try #require(
                btc.cascades.first { $0.shock == Shock(.down, 0.05) && $0.impact == .linear }
            )
            #expect(abs(linear5.finalPrice - 80.75) < 1e-9 && linear5.rounds == 2)
            #expect(abs(linear5.badDebt - 26_062_500) < 1)
            // The standing move is q_0.999 of the unit-variance Student-t(4) (t_4(0.999) = 7.1732
            // x sqrt(2/4)) times sigma over the 60 s horizon.
            let f = try #require(report.figures.first)
            #expect(abs(f.quantile999 - 7.1732 * 0.5.squareRoot()) < 1e-3, "\(f.quantile999)")
            #expect(abs(f.sigmaHorizon - btc.sigmaDay * (60.0 / 86_400).squareRoot()) < 1e-12)
            #expect(abs(f.standingMove - f.quantile999 * f.sigmaHorizon) < 1e-12)
            #expect(report.standing.count == 4)
            #expect(report.betasGiven == false)

            let (status, text) = try await S.post(
                client,
                "/v1/stress",
                token: nil,
                body: #"{"shocks": {"BTC-USD": -0.08}, "impact": "linear"}"#
            )
            #expect(status == .ok, "\(text)")
            let answer = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
            let results = answer?["results"] as? [[String: Any]] ?? []
            #expect(results.count == 1)
            #expect(abs((results.first?["badDebt"] as? Double ?? 0) - 56_050_000) < 1, "\(text)")
            #expect(abs((results.first?["shortfall"] as? Double ?? 0) - 54_050_000) < 1)
            // The longs' bad debt is taken from profitable shorts: there are none, so no queue.
            #expect((results.first?["adlQueue"] as? [Any])?.isEmpty == true)

            let (mapStatus, mapText) = try await S.get(client, "/v1/markets/BTC-USD/liquidations")
            #expect(mapStatus == .ok, "\(mapText)")
            let map = try JSONSerialization.jsonObject(with: Data(mapText.utf8)) as? [String: Any]
            let down = (map?["map"] as? [String: Any])?["down"] as? [[String: Any]] ?? []
            #expect(down.count == 30)
            // The 50x longs liquidate at 98.49 (inside the 2 % step), the 20x at 95.48 (5 %).
            #expect(down[1]["cumulative"] as? Double == 50_000_000, "\(down.prefix(5))")
            #expect(down[4]["cumulative"] as? Double == 150_000_000)
            let (ethStatus, ethText) = try await S.get(client, "/v1/markets/ETH-USD/liquidations")
            #expect(ethStatus == .notFound && ethText.contains("not stressed"), "\(ethText)")
        }
    }

    /// A scenario body with a wrong field, market, move or impact model is refused with the field named.
    @Test func badScenariosAreRefusedWithTheFieldNamed() async throws {
        let clock = ManualClock(BreakwaterServer.now())
        let server = try await S.make(clock: clock)
        try await Application(router: server.router()).test(.router) { client in
            let cases: [(String, String)] = [
                (#"{"shocks": {}}"#, "shocks: expected an object"),
                (#"{"shocks": {"BTC-USD": -1}}"#, "shocks.BTC-USD: expected a signed fraction in (-1, 1)"),
                (#"{"shocks": {"BTC-USD": "10%"}}"#, "shocks.BTC-USD: expected a signed fraction"),
                (#"{"shocks": {"BTC-USD": 0.1}, "impact": "cubic"}"#, "impact: expected sqrt or linear"),
                (#"{"shocks": {"BTC-USD": 0.1}, "origin": "BTC-USD"}"#, "origin: unknown field"),
            ]
            for (body, message) in cases {
                let (status, text) = try await S.post(client, "/v1/stress", token: nil, body: body)
                #expect(status == .badRequest && text.contains(message), "\(body): \(text)")
            }
            // A market not configured is 404, as on every route that names one.
            let (status, text) = try await S.post(
                client,
                "/v1/stress",
                token: nil,
                body: #"{"shocks": {"XRP-USD": -0.1}}"#
            )
            #expect(status == .notFound && text.contains("shocks.XRP-USD: unknown market"), "\(text)")
        }
    }

    /// The service passes at once after a new snapshot, not only every `intervalSeconds` (10).
    @Test(.timeLimit(.minutes(1)))
    func aNewSnapshotIsStressedWithoutWaitingForTheInterval() async throws {
        let clock = ManualClock(BreakwaterServer.now())
        let server = try await S.make(clock: clock)
        #expect(server.config.stress.intervalSeconds == 10)
        let running = Task { try await server.liveStress.run() }
        defer { running.cancel() }
        try await Task.sleep(for: .milliseconds(500))
        #expect(server.stressResults.report == nil)
        server.positions.apply(
            PositionSnapshot(
                asOf: clock.now,
                insuranceFund: 7,
                markets: [
                    MarketBook(
                        market: "BTC-USD",
                        positions: [],
                        liquidity: .init(dailyVolume: 1e9, depth1Pct: 2e7, impactY: 0.7)
                    )
                ]
            )
        )
        let start = ContinuousClock.now
        while server.stressResults.report == nil && ContinuousClock.now - start < .seconds(5) {
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(server.stressResults.report?.insuranceFund == 7)
        #expect(ContinuousClock.now - start < .seconds(5))
    }

    /// Liquidity comes from the snapshot, else the market's config; a market with neither is
    /// skipped with the reason (and its map answers 404 with it).
    @Test func liquidityFromTheSnapshotOrTheConfigElseSkipped() async throws {
        let clock = ManualClock(BreakwaterServer.now())
        let server = try await S.make(clock: clock)
        let long = Position(side: .long, size: 10, entry: 2000, collateral: 2000)
        server.positions.apply(
            PositionSnapshot(
                asOf: clock.now,
                insuranceFund: 1,
                markets: [
                    MarketBook(market: "BTC-USD", positions: [long]), MarketBook(market: "ETH-USD", positions: [long]),
                ]
            )
        )
        let report = try #require(await server.liveStress.pass())
        #expect(report.figures.map(\.market) == ["ETH-USD"])
        #expect(report.figures.first?.liquiditySource == "config")
        #expect(report.report.markets.first?.liquidity.depth1Pct == 1e7)
        #expect(report.skipped.map(\.market) == ["BTC-USD"])
        #expect(report.skipped.first?.reason.hasPrefix("no liquidity") == true)
        try await Application(router: server.router()).test(.router) { client in
            let (status, text) = try await S.get(client, "/v1/markets/BTC-USD/liquidations")
            #expect(status == .notFound && text.contains("no liquidity"), "\(text)")
        }
    }

    @Test func anOldSnapshotMakesTheResultsStale() async throws {
        let clock = ManualClock(BreakwaterServer.now())
        let server = try await S.make(clock: clock)
        server.positions.apply(
            PositionSnapshot(
                asOf: clock.now - 301,
                insuranceFund: 1,
                markets: [
                    MarketBook(
                        market: "BTC-USD",
                        positions: [],
                        liquidity: .init(dailyVolume: 1e9, depth1Pct: 2e7, impactY: 0.7)
                    )
                ]
            )
        )
        #expect(try #require(await server.liveStress.pass()).stale)
        clock.now -= 2
        #expect(try #require(await server.liveStress.pass()).stale == false)
    }

    /// A book already underwater at the reference price leaves bad debt in any move: the
    /// shortfall alert fires, and resolves once a snapshot brings a fund that covers it.
    @Test func theShortfallAlertFiresAndResolves() async throws {
        let clock = ManualClock(BreakwaterServer.now())
        let server = try await S.make(clock: clock)
        func post(fund: Double) {
            server.positions.apply(
                PositionSnapshot(
                    asOf: clock.now,
                    insuranceFund: fund,
                    markets: [
                        MarketBook(
                            market: "BTC-USD",
                            positions: [Position(side: .long, size: 1000, entry: 120, collateral: 12000)],
                            liquidity: .init(dailyVolume: 1e9, depth1Pct: 2e7, impactY: 0.7)
                        )
                    ]
                )
            )
        }
        post(fund: 100)
        let report = try #require(await server.liveStress.pass())
        // Bankrupt at 108, filled at or below 100 less the move: at least $8,000 of bad debt.
        #expect((report.worstStanding?.badDebt ?? 0) > 8_000)
        let alerting = try #require(server.alerting)
        var firing = try alerting.store.listAlerts(type: StressAlerts.insuranceShortfall).alerts
        #expect(firing.map(\.status.rawValue) == ["firing"])
        #expect(firing.first?.market == "*")
        post(fund: 1_000_000)
        _ = try #require(await server.liveStress.pass())
        firing = try alerting.store.listAlerts(type: StressAlerts.insuranceShortfall).alerts
        #expect(firing.map(\.status.rawValue) == ["resolved"])
    }

    /// $500M of longs within one sigma of a $20M-deep market: cascade risk on the long side;
    /// a deeper market (or a larger ratio) resolves it.
    @Test func cascadeRiskFiresPerSideAndResolves() async throws {
        let clock = ManualClock(BreakwaterServer.now())
        let server = try await S.make(clock: clock)
        // 50x longs at 100 liquidate at about 98.5: a 2 % fall (about 2 sigma_h at 1 h) reaches them.
        func post(depth: Double) {
            server.positions.apply(
                PositionSnapshot(
                    asOf: clock.now,
                    insuranceFund: 1e12,
                    markets: [
                        MarketBook(
                            market: "ETH-USD",
                            positions: [Position(side: .long, size: 250_000, entry: 2000, collateral: 10_000_000)],
                            liquidity: .init(dailyVolume: 1e9, depth1Pct: depth, impactY: 0.7)
                        )
                    ]
                )
            )
        }
        post(depth: 2e7)
        let report = try #require(await server.liveStress.pass())
        let long = try #require(report.depth.first { $0.market == "ETH-USD" && $0.side == "long" })
        #expect(long.liquidatable == 500_000_000 && long.atRisk, "\(report.depth)")
        #expect(report.depth.first { $0.side == "short" }?.atRisk == false)
        let alerting = try #require(server.alerting)
        func cascade() throws -> [String] {
            try alerting.store.listAlerts(type: StressAlerts.cascadeRisk).alerts
                .map { "\($0.market)/\($0.source ?? "-")/\($0.status.rawValue)" }
        }
        #expect(try cascade() == ["ETH-USD/long/firing"])
        post(depth: 1e9)
        _ = try #require(await server.liveStress.pass())
        #expect(try cascade() == ["ETH-USD/long/resolved"])
    }

    @Test func theGaugesFollowThePass() async throws {
        let clock = ManualClock(BreakwaterServer.now())
        let registry = PrometheusCollectorRegistry()
        let server = try await S.make(clock: clock, registry: registry)
        server.positions.apply(
            PositionSnapshot(
                asOf: clock.now,
                insuranceFund: 2_000_000,
                markets: [
                    MarketBook(
                        market: "BTC-USD",
                        positions: [Position(side: .long, size: 1000, entry: 120, collateral: 12000)],
                        liquidity: .init(dailyVolume: 1e9, depth1Pct: 2e7, impactY: 0.7)
                    )
                ]
            )
        )
        let report = try #require(await server.liveStress.pass())
        let text = registry.emitToString()
        #expect(text.contains("# TYPE breakwater_stress_fund_coverage_ratio gauge\n"), "\(text)")
        let coverage = 2_000_000 / (report.worstStanding?.badDebt ?? 1)
        #expect(text.contains("breakwater_stress_fund_coverage_ratio \(coverage)\n"), "\(text)")
        #expect(text.contains("breakwater_stress_insurance_fund_usd 2000000.0\n"))
        #expect(text.contains(#"breakwater_stress_depletion_distance_ratio{market="BTC-USD",impact="sqrt"}"#))
    }
}
