import BreakwaterConfig
import BreakwaterEngine
import BreakwaterStress

/// One market as the live pass sees it: the figures taken from the engine's snapshot, and
/// the standing scenario's move.
public struct LiveMarketFigures: Sendable, Equatable, Codable {
    public var market: String
    /// `price` (the current aggregate) or `lastGoodPrice` (the market has no trusted price now).
    public var priceSource: String
    /// `snapshot` or `config`.
    public var liquiditySource: String
    /// Volatility over the margin horizon, fraction.
    public var sigmaHorizon: Double
    /// Margin horizon, seconds.
    public var horizonSeconds: Double
    /// q_0.999 of the market's margin distribution (unit variance).
    public var quantile999: Double
    /// The standing scenario's move: q_0.999 x sigma_h, fraction.
    public var standingMove: Double
}

/// A market with positions that the pass could not stress, and why.
public struct SkippedMarket: Sendable, Equatable, Codable {
    public var market: String
    public var reason: String
}

/// Turns the engine's published markets, the config and the held positions into the stress
/// engine's inputs. Pure: time is a parameter.
enum LiveStressInputs {
    struct Built {
        var book: StressBook
        var figures: [LiveMarketFigures]
        var skipped: [SkippedMarket]
    }

    /// Seconds in a day, for sigma per day.
    static let day = 86_400.0

    /// The stress book of the markets that have positions, a price and liquidity; the others are
    /// skipped with a reason. Sigma per day and over the horizon come from the live volatility
    /// per sampling step, m is the published maintenance.
    static func build(
        markets: [MarketSnapshot],
        config: BreakwaterConfig,
        positions: PositionBook.Contents
    ) -> Built {
        let byID = Dictionary(config.markets.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var books: [MarketStressBook] = []
        var figures: [LiveMarketFigures] = []
        var skipped: [SkippedMarket] = []
        for snapshot in markets {
            guard let held = positions.markets[snapshot.id], let configured = byID[snapshot.id] else { continue }
            let margin = configured.margin
            let priceSource: String
            let price: Double
            if let p = snapshot.price, p > 0 {
                (price, priceSource) = (p, "price")
            } else if let p = snapshot.lastGoodPrice, p > 0 {
                (price, priceSource) = (p, "lastGoodPrice")
            } else {
                skipped.append(SkippedMarket(market: snapshot.id, reason: "no price yet"))
                continue
            }
            let liquidity: MarketLiquidity
            let liquiditySource: String
            if let l = held.book.liquidity {
                (liquidity, liquiditySource) = (l, "snapshot")
            } else if let l = configured.liquidity {
                (liquidity, liquiditySource) = (l, "config")
            } else {
                skipped.append(
                    SkippedMarket(
                        market: snapshot.id,
                        reason: "no liquidity (give it in the snapshot's market entry or the market's config)"
                    )
                )
                continue
            }
            let step = snapshot.volatilityPerStep
            let sigmaDay = step * (day / margin.sampleSeconds).squareRoot()
            let sigmaH = step * (margin.horizonSeconds / margin.sampleSeconds).squareRoot()
            let q = Quantile.marginQuantile(
                coverage: 0.999,
                distribution: margin.distribution,
                nu: margin.tailDegreesOfFreedom
            )
            guard sigmaDay.isFinite, sigmaDay > 0, snapshot.maintenanceMargin < 1 else {
                skipped.append(SkippedMarket(market: snapshot.id, reason: "no volatility yet"))
                continue
            }
            let market = StressMarket(
                id: snapshot.id,
                price: price,
                maintenance: snapshot.maintenanceMargin,
                sigmaDay: sigmaDay,
                liquidity: liquidity,
                dayMove999: q * sigmaDay
            )
            books.append(MarketStressBook(market: market, positions: held.book.positions))
            figures.append(
                LiveMarketFigures(
                    market: snapshot.id,
                    priceSource: priceSource,
                    liquiditySource: liquiditySource,
                    sigmaHorizon: sigmaH,
                    horizonSeconds: margin.horizonSeconds,
                    quantile999: q,
                    standingMove: min(0.99, q * sigmaH)
                )
            )
        }
        return Built(
            book: StressBook(books: books, insuranceFund: positions.insuranceFund ?? 0),
            figures: figures,
            skipped: skipped
        )
    }
}
