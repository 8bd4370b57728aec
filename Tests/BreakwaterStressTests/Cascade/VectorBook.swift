@testable import BreakwaterStress

/// The book of domain-systemic.md section 3: price 100, m 0.5 %, sigma_day 4 %, ADV $1B,
/// Y 0.7, D1 $20M, fund $2M; longs entered at 100: $50M at 50x, $100M at 20x, $150M at 10x,
/// $200M at 5x.
enum VectorBook {
    static let fund = 2e6

    static let market = StressMarket(
        id: "VEC-USD",
        price: 100,
        maintenance: 0.005,
        sigmaDay: 0.04,
        liquidity: MarketLiquidity(dailyVolume: 1e9, depth1Pct: 20e6, impactY: 0.7),
        dayMove999: 0.04 * 3.090232306167813
    )

    static let positions: [Position] = [(50e6, 50.0), (100e6, 20), (150e6, 10), (200e6, 5)].map { notional, lev in
        Position(side: .long, size: notional / 100, entry: 100, collateral: notional / lev)
    }

    static var book: MarketStressBook { MarketStressBook(market: market, positions: positions) }
}
