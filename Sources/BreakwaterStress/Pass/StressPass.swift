/// The full pass: for every market the map, the configured shocks each way under each impact
/// model, the depletion shocks, and the critical-markets ranking from every origin.
public enum StressPass {
    public static func run(
        _ book: StressBook,
        asOf: Double,
        betas: BetaMatrix,
        settings: StressSettings = StressSettings()
    ) -> StressReport {
        let markets = book.books.map { b in
            var cascades: [CascadeResult] = []
            for s in settings.shocks {
                for direction in ShockDirection.allCases {
                    for model in settings.impactModels {
                        cascades.append(b.cascade(Shock(direction, s), impact: model))
                    }
                }
            }
            var depletion: [DepletionShock] = []
            for direction in ShockDirection.allCases {
                for model in settings.impactModels {
                    let s = b.depletionShock(
                        direction,
                        impact: model,
                        fund: book.insuranceFund,
                        tolerance: settings.tolerance
                    )
                    depletion.append(DepletionShock(direction: direction, impact: model, shock: s))
                }
            }
            return MarketStressReport(
                market: b.market.id,
                referencePrice: b.market.price,
                maintenance: b.market.maintenance,
                sigmaDay: b.market.sigmaDay,
                dayMove999: b.market.dayMove999,
                liquidity: b.market.liquidity,
                positions: b.positions.count,
                longNotional: b.longs.size(0..<b.longs.count) * b.market.price,
                shortNotional: b.shorts.size(0..<b.shorts.count) * b.market.price,
                map: b.liquidationMap(),
                cascades: cascades,
                depletion: depletion
            )
        }
        let critical = settings.impactModels.map {
            book.criticalMarkets(betas: betas, impact: $0, tolerance: settings.tolerance)
        }
        return StressReport(
            asOf: asOf,
            insuranceFund: book.insuranceFund,
            markets: markets,
            critical: critical,
            betasGiven: !betas.isEmpty
        )
    }
}
