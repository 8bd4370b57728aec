import BreakwaterStress
import Foundation
import Testing

@testable import BreakwaterConfig

struct StressReaderTests {
    static let market = """
        {"id": "BTC-USD", "sources": [{"id": "cb", "kind": "coinbase", "symbol": "BTC-USD"},
                                      {"id": "kr", "kind": "kraken", "symbol": "XBTUSD"}]
        """

    static func load(_ json: String) throws -> BreakwaterConfig { try ConfigLoader.parse(Data(json.utf8)) }

    static func issues(_ json: String) -> [String] {
        do {
            _ = try load(json)
            return []
        } catch let e as ConfigError {
            return e.issues.map(\.description)
        } catch {
            return ["unexpected \(error)"]
        }
    }

    @Test func defaultsWhenLeftOut() throws {
        let c = try Self.load(#"{"markets": [\#(Self.market)}]}"#)
        #expect(c.stress == StressConfig())
        #expect(c.stress.intervalSeconds == 10 && c.stress.shocks == [0.05, 0.1, 0.2])
        #expect(c.markets[0].liquidity == nil)
    }

    @Test func readsTheBlockAndAMarketsLiquidity() throws {
        let c = try Self.load(
            #"""
            {"markets": [\#(Self.market), "liquidity": {"dailyVolume": 2e10, "depth1Pct": 5e7, "impactY": 0.7}}],
             "stress": {"intervalSeconds": 30, "shocks": [0.1, 0.25], "maxSnapshotAgeSeconds": 60,
                        "maxLiquidatableDepthRatio": 2.5}}
            """#
        )
        #expect(c.markets[0].liquidity == MarketLiquidity(dailyVolume: 2e10, depth1Pct: 5e7, impactY: 0.7))
        #expect(c.stress.intervalSeconds == 30 && c.stress.shocks == [0.1, 0.25])
        #expect(c.stress.maxSnapshotAgeSeconds == 60 && c.stress.maxLiquidatableDepthRatio == 2.5)
    }

    @Test func reportsEachProblemWithItsPath() {
        let found = Self.issues(
            #"""
            {"markets": [\#(Self.market), "liquidity": {"dailyVolume": 0, "impactY": "high", "depth": 1}}],
             "stress": {"intervalSeconds": 0, "shocks": [0.1, 1.5, "x"], "maxSnapshotAgeSeconds": -1,
                        "maxLiquidatableDepthRatio": 0, "every": 5}}
            """#
        )
        let expected = [
            "markets[0].liquidity.dailyVolume: 0 is out of range",
            "markets[0].liquidity.depth1Pct: missing (expected a number)",
            "markets[0].liquidity.impactY: expected a number, found a string",
            "markets[0].liquidity.depth: unknown key",
            "stress.intervalSeconds: 0 is out of range",
            "stress.shocks[1]: 1.5 is out of range (expected a fraction in (0, 1)",
            "stress.shocks[2]: expected a number, found a string",
            "stress.maxSnapshotAgeSeconds: -1 is out of range",
            "stress.maxLiquidatableDepthRatio: 0 is out of range",
            "stress.every: unknown key",
        ]
        for e in expected { #expect(found.contains { $0.hasPrefix(e) }, "missing \(e) in \(found)") }
        #expect(found.count == expected.count, "\(found)")
        #expect(
            Self.issues(#"{"markets": [\#(Self.market)}], "stress": {"shocks": []}}"#).first?.hasPrefix(
                "stress.shocks: must list at least one shock"
            ) == true
        )
    }
}
