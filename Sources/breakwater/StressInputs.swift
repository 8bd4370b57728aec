import BreakwaterConfig
import BreakwaterEngine
import BreakwaterStress

/// What `breakwater stress` stresses, offline: each snapshot market's figures from the config
/// (the live service takes them from its engine instead), and where each came from.
struct StressInputs {
    /// One market's figures and their origins, for the output to say.
    struct Market {
        var stress: StressMarket
        var priceSource: String
        var liquiditySource: String
    }

    var markets: [Market] = []
    /// Markets of the snapshot that cannot be stressed, with the reason.
    var leftOut: [(market: String, reason: String)] = []

    /// sigma_day = initialVolatility / sqrt(365) (the annual figure scaled to a day); m = the
    /// margin floor; the one-day 99.9 % move = q_0.999 of the market's margin distribution x
    /// sigma_day; liquidity from the snapshot, else the config; the price from the snapshot's
    /// `mark`, else the size-weighted mean entry.
    init(snapshot: PositionSnapshot, config: BreakwaterConfig) {
        let configured = Dictionary(config.markets.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        for book in snapshot.markets {
            guard let m = configured[book.market] else { continue }
            let liquidity: MarketLiquidity
            let liquiditySource: String
            if let l = book.liquidity {
                (liquidity, liquiditySource) = (l, "snapshot")
            } else if let l = m.liquidity {
                (liquidity, liquiditySource) = (l, "config")
            } else {
                leftOut.append((book.market, "no liquidity in the snapshot or in the config"))
                continue
            }
            let price: Double
            let priceSource: String
            if let mark = book.mark {
                (price, priceSource) = (mark, "snapshot mark")
            } else {
                let size = book.positions.reduce(0) { $0 + $1.size }
                guard size > 0 else {
                    leftOut.append((book.market, "no positions and no mark"))
                    continue
                }
                price = book.positions.reduce(0) { $0 + $1.size * $1.entry } / size
                priceSource = "mean entry (no mark in the snapshot)"
            }
            let sigmaDay = m.margin.initialVolatility * (86_400 / secondsPerYear).squareRoot()
            let q999 = Quantile.marginQuantile(
                coverage: 0.999,
                distribution: m.margin.distribution,
                nu: m.margin.tailDegreesOfFreedom
            )
            let stress = StressMarket(
                id: book.market,
                price: price,
                maintenance: m.margin.maintenanceFloor,
                sigmaDay: sigmaDay,
                liquidity: liquidity,
                dayMove999: q999 * sigmaDay
            )
            markets.append(Market(stress: stress, priceSource: priceSource, liquiditySource: liquiditySource))
        }
    }
}
