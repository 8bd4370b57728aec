/// The SYNTHETIC position book `breakwater demo` posts to `POST /v1/positions`: leveraged longs
/// and a few shorts on the demo market, entered at the scenario's calm price, and a small
/// insurance fund. Calm, nothing is near liquidation; the slide and the crash (-16 %, then -15 %)
/// take the 20x and 10x longs past their bankruptcy prices, so the standing scenario's bad debt
/// outgrows the fund (`system.insurance_shortfall`). Not any protocol's positions.
public enum DemoPositions {
    /// The demo market.
    public static let market = "BTC-USD"
    /// Insurance fund, USD.
    public static let insuranceFund = 5_000_000.0
    /// Market depth the cascades sell into: ADV $2B, $40M within 1 %, square-root coefficient 0.7.
    public static let liquidity = (dailyVolume: 2e9, depth1Pct: 4e7, impactY: 0.7)
    /// Long buckets: (leverage, notional in USD at entry), entered at the calm price.
    public static let longs: [(leverage: Double, notional: Double)] = [
        (20, 60_000_000), (10, 120_000_000), (5, 150_000_000), (3, 100_000_000), (2, 80_000_000),
    ]
    /// Short buckets, the same way (each is one synthetic account, for the ADL queue).
    public static let shorts: [(leverage: Double, notional: Double)] = [(10, 40_000_000), (5, 60_000_000)]

    /// The snapshot as JSON text, taken at `asOf` (unix seconds), every position entered at `entry`.
    public static func snapshotJSON(asOf: Double, entry: Double = DemoScenario.fairPrice(atScenarioSecond: 0)) -> String
    {
        func bucket(_ side: String, _ b: (leverage: Double, notional: Double), _ i: Int) -> String {
            let size = b.notional / entry
            let collateral = b.notional / b.leverage
            return #"{"side": "\#(side)", "size": \#(size), "entry": \#(entry), "collateral": \#(collateral), "#
                + #""account": "synthetic-\#(side)-\#(i + 1)"}"#
        }
        let positions =
            longs.enumerated().map { bucket("long", $1, $0) } + shorts.enumerated().map { bucket("short", $1, $0) }
        return
            #"{"asOf": \#(asOf), "insuranceFund": {"balance": \#(insuranceFund)}, "markets": [{"market": "\#(market)", "#
            + #""liquidity": {"dailyVolume": \#(liquidity.dailyVolume), "depth1Pct": \#(liquidity.depth1Pct), "impactY": \#(liquidity.impactY)}, "#
            + #""positions": [\#(positions.joined(separator: ", "))]}]}"#
    }
}
