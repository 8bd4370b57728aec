import BreakwaterConfig
public import BreakwaterStress
import BreakwaterWire

/// The result of one live stress pass: the full pass of the stress engine, the standing
/// scenario (every market its current one-horizon 99.9 % move, the same way at once, under
/// each impact model), what each market's alerts compare, and whether the positions were stale.
public struct LiveStressReport: Sendable, Encodable {
    /// When the pass ran, unix seconds (the service's clock).
    public var computedAt: Double
    /// The oldest `asOf` of the positions used, unix seconds.
    public var positionsAsOf: Double
    /// True when `computedAt - positionsAsOf` exceeds `stress.maxSnapshotAgeSeconds`.
    public var stale: Bool
    public var maxSnapshotAgeSeconds: Double
    /// Whether betas from the cross-market view carried each origin's shock to the other markets
    /// (false: there was no view yet, each market moved alone).
    public var betasGiven: Bool
    /// The grid time of the view the betas came from, unix seconds (nil without betas).
    public var betasAsOf: Double?
    /// Insurance fund balance, quote currency.
    public var insuranceFund: Double
    /// Insurance fund over the standing scenario's worst bad debt (nil when that is 0).
    public var fundCoverage: Double?
    /// The standing scenario, each direction under each impact model.
    public var standing: [ScenarioResult]
    /// Per market the live figures behind the standing move.
    public var figures: [LiveMarketFigures]
    /// Per market and side, notional liquidatable within one sigma_h move against the depth.
    public var depth: [SideDepth]
    public var skipped: [SkippedMarket]
    public var report: StressReport
    /// Wall seconds the pass took.
    public var durationSeconds: Double

    /// One side of one market: what a one-sigma_h move makes liquidatable, against the depth.
    public struct SideDepth: Sendable, Equatable, Codable {
        public var market: String
        /// `long` (a fall) or `short` (a rise).
        public var side: String
        public var sigmaHorizon: Double
        /// Quote currency, at the reference price.
        public var liquidatable: Double
        public var depth1Pct: Double
        /// liquidatable / depth1Pct.
        public var ratio: Double
        /// ratio > `stress.maxLiquidatableDepthRatio`.
        public var atRisk: Bool
    }

    /// The standing scenario's worst case (largest bad debt), nil without markets.
    public var worstStanding: ScenarioResult? { standing.max { $0.badDebt < $1.badDebt } }

    enum Key: String, CodingKey {
        case computedAt, positionsAsOf, stale, maxSnapshotAgeSeconds, betasGiven, betasAsOf, insuranceFund, fundCoverage
        case standing, figures, depth, skipped, report, durationSeconds
    }

    /// As synthesized, with times in RFC 3339 and `fundCoverage` null when there is no bad debt.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encodeTime(computedAt, forKey: .computedAt)
        try c.encodeTime(positionsAsOf, forKey: .positionsAsOf)
        try c.encode(stale, forKey: .stale)
        try c.encode(maxSnapshotAgeSeconds, forKey: .maxSnapshotAgeSeconds)
        try c.encode(betasGiven, forKey: .betasGiven)
        try c.encodeTime(betasAsOf, forKey: .betasAsOf)
        try c.encode(insuranceFund, forKey: .insuranceFund)
        try c.encodeNumber(fundCoverage, forKey: .fundCoverage)
        try c.encode(standing, forKey: .standing)
        try c.encode(figures, forKey: .figures)
        try c.encode(depth, forKey: .depth)
        try c.encode(skipped, forKey: .skipped)
        try c.encode(report, forKey: .report)
        try c.encode(durationSeconds, forKey: .durationSeconds)
    }
}

/// Runs one live pass. Pure: the inputs and the clock are parameters; `betas` come from the view
/// of grid time `betasAsOf` (unix seconds; nil and `.none` without a view).
enum LiveStressRun {
    static func run(
        _ built: LiveStressInputs.Built,
        positionsAsOf: Double,
        now: Double,
        settings: StressConfig,
        betas: BetaMatrix,
        betasAsOf: Double?
    ) -> LiveStressReport {
        let book = built.book
        let report = StressPass.run(
            book,
            asOf: positionsAsOf,
            betas: betas,
            settings: StressSettings(shocks: settings.shocks)
        )
        var standing: [ScenarioResult] = []
        for direction in ShockDirection.allCases {
            for model in ImpactModel.allCases {
                var shocks: [String: Shock] = [:]
                for f in built.figures { shocks[f.market] = Shock(direction, f.standingMove) }
                standing.append(book.evaluate(Scenario(shocks: shocks, impact: model)))
            }
        }
        var depth: [LiveStressReport.SideDepth] = []
        for f in built.figures {
            guard let b = book.book(f.market) else { continue }
            for direction in ShockDirection.allCases {
                let liquidatable = b.liquidatable(within: f.sigmaHorizon, direction)
                let ratio = liquidatable / b.market.liquidity.depth1Pct
                depth.append(
                    .init(
                        market: f.market,
                        side: direction.losingSide.rawValue,
                        sigmaHorizon: f.sigmaHorizon,
                        liquidatable: liquidatable,
                        depth1Pct: b.market.liquidity.depth1Pct,
                        ratio: ratio,
                        atRisk: ratio > settings.maxLiquidatableDepthRatio
                    )
                )
            }
        }
        let worst = standing.map(\.badDebt).max() ?? 0
        return LiveStressReport(
            computedAt: now,
            positionsAsOf: positionsAsOf,
            stale: now - positionsAsOf > settings.maxSnapshotAgeSeconds,
            maxSnapshotAgeSeconds: settings.maxSnapshotAgeSeconds,
            betasGiven: report.betasGiven,
            betasAsOf: report.betasGiven ? betasAsOf : nil,
            insuranceFund: book.insuranceFund,
            fundCoverage: worst > 0 ? book.insuranceFund / worst : nil,
            standing: standing,
            figures: built.figures,
            depth: depth,
            skipped: built.skipped,
            report: report,
            durationSeconds: 0
        )
    }
}
