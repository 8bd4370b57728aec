import Foundation

/// The markets of `breakwater demo` (synthetic prices): BTC-USD, the scenario's lead, and
/// ETH-USD and SOL-USD, which wander on their own while calm and follow BTC down in the
/// correlated sell-off (the slide and the crash), each with a beta of its own.
public struct DemoMarket: Sendable {
    public var id: String
    public var feeds: [DemoScenario.Feed]
    /// The calm price, USD.
    public var calmPrice: Double
    /// How far this market moves per unit of BTC's sell-off move (log return ratio); 1 for BTC.
    public var beta: Double
    /// The calm wiggle's two periods (scenario seconds over 2 pi) and phase: distinct per market,
    /// so calm returns are not correlated across markets.
    var periods: (Double, Double, Double)
    /// The calm wiggle's amplitude (fraction of the price).
    var wiggle: Double
    /// Fat-tailed moves: at each scenario second, a step of this signed fraction (it stays).
    public var jumps: [(second: Double, move: Double)] = []

    /// The three demo markets, BTC-USD first (its venues are `DemoScenario.feeds`).
    public static let all: [DemoMarket] = [
        DemoMarket(
            id: "BTC-USD",
            feeds: DemoScenario.feeds,
            calmPrice: 64_000,
            beta: 1,
            periods: (7, 7, 0),
            wiggle: 0.001
        ),
        DemoMarket(
            id: "ETH-USD",
            feeds: [
                .init(venue: .coinbase, symbol: "ETH-USD"),
                .init(venue: .kraken, symbol: "ETHUSD"),
                .init(venue: .bitstamp, symbol: "ethusd"),
                .init(venue: .pyth, symbol: "0xff61491a931112ddf1bd8147cd1b641375f79f5825126d665480874634fd0ace"),
            ],
            calmPrice: 3_200,
            beta: 1.2,
            periods: (3.1, 11.3, 1.7),
            wiggle: 0.00004
        ),
        DemoMarket(
            id: "SOL-USD",
            feeds: [
                .init(venue: .coinbase, symbol: "SOL-USD"),
                .init(venue: .kraken, symbol: "SOLUSD"),
                .init(venue: .bitstamp, symbol: "solusd"),
                .init(venue: .pyth, symbol: "0xef0d8b6fda2ceba41da15d4095d1da392a0d2f8ed0c6c7bc0f4cfac8c280b56d"),
            ],
            calmPrice: 150,
            beta: 1.5,
            periods: (4.3, 9.7, 4.1),
            wiggle: 0.00004,
            jumps: fatTail
        ),
    ]

    /// SOL-USD's fat-tailed stretch in the calm, before the sell-off: three steps of 0.1 %
    /// (down, up, down) in a market that otherwise barely moves. Each is about 2.5 standard
    /// deviations of a 5-second move at the margin's volatility: past the normal 99 % quantile
    /// (2.33), inside the Student-t(4)'s (2.65) that the shipped model stands on until its history is long.
    public static let fatTail: [(second: Double, move: Double)] = [(47.5, -0.001), (77.5, 0.001), (107.5, -0.001)]

    /// The fair price at scenario second `s`. BTC-USD: `DemoScenario.fairPrice`. The others: a
    /// calm wiggle of their own (+/-1.5 `wiggle` at most) and their jumps, times BTC's move away
    /// from its own calm wave raised to `beta` (1 until the slide; the sell-off carries to them).
    public func fairPrice(atScenarioSecond s: Double) -> Double {
        let btc = DemoScenario.fairPrice(atScenarioSecond: s)
        if id == "BTC-USD" { return btc }
        let btcCalm = 64_000.0 * (1 + 0.001 * sin(s / 7))
        let calm = 1 + wiggle * (sin(s / periods.0 + periods.2) + 0.5 * sin(s / periods.1))
        let stepped = jumps.reduce(1.0) { level, j in s >= j.second ? level * (1 + j.move) : level }
        return calmPrice * calm * stepped * pow(btc / btcCalm, beta)
    }
}
