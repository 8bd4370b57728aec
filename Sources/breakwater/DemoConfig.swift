import BreakwaterConfig
import BreakwaterEngine
import BreakwaterSystemic
import BreakwaterVenues
import Foundation

/// The configuration `breakwater demo` runs: BTC-USD, ETH-USD and SOL-USD (``DemoMarket``), whose
/// sources all point at the local simulated venues, with breaker, margin and cross-market timers
/// divided by `speed`.
enum DemoConfig {
    /// The margin's rise bound per scenario hour (fraction): 300 % an hour, at most 4x in an hour.
    static let maxIncreasePerScenarioHour = 3.0
    /// The margin's fall bound per scenario hour (fraction).
    static let maxDecreasePerScenarioHour = 0.1

    /// A bound per scenario hour as a bound per wall hour at `speed`: the engine compounds its bounds
    /// ((1 + r)^(dt/3600)), and a wall hour is `speed` scenario hours, so the factor is (1 + r)^speed.
    static func perWallHour(_ r: Double, speed: Double) -> Double { pow(1 + r, speed) - 1 }

    static func make(venuesBaseURL: String, port: Int, speed: Double, storagePath: String) -> BreakwaterConfig {
        func sources(_ market: DemoMarket) -> [SourceConfig] {
            market.feeds.map { f in
                SourceConfig(
                    id: f.venue.rawValue,
                    kind: SourceKind(rawValue: f.venue.rawValue)!,
                    symbol: f.symbol,
                    intervalMs: max(100, Int(1000 / speed)),
                    timeoutMs: 2000,
                    baseURL: venuesBaseURL
                )
            }
        }
        // Max age at least 1.5 s however fast: Pyth and Bitstamp stamp quotes in whole seconds, so
        // a 1 s max age made them flap stale/ok every second at --speed 16 (and lose the quorum).
        // Still shorter than the frozen phase up to --speed 20, so the frozen venue goes stale.
        let aggregation = AggregationParameters(
            method: .median,
            minSources: 3,
            maxAgeSeconds: max(1.5, 10 / speed),
            maxDeviation: 0.02,
            defaultConfidence: 0.0005
        )
        let margin = MarginParameters(
            halfLifeSeconds: 120 / speed,
            sampleSeconds: max(0.1, 2 / speed),
            horizonSeconds: 600 / speed,
            coverage: 0.99,
            distribution: .filteredHistorical,
            tailDegreesOfFreedom: 4,
            historySamples: 1000,
            minHistorySamples: 500,
            initialVolatility: 0.5,
            maintenanceFloor: 0.01,
            maintenanceRatio: 0.5,
            maxIncreasePerHour: perWallHour(maxIncreasePerScenarioHour, speed: speed),
            maxDecreasePerHour: -perWallHour(-maxDecreasePerScenarioHour, speed: speed)
        )
        let breaker = BreakerParameters(
            band: 0.08,
            referenceWindowSeconds: 120 / speed,
            limitSeconds: 10 / speed,
            haltSeconds: 60 / speed,
            velocity: VelocityParameters(move: 0.05, windowSeconds: 20 / speed, haltSeconds: 45 / speed),
            maxDivergence: 0.04,
            recoverySeconds: 10 / speed,
            maxSpread: nil
        )
        var alerts = AlertsConfig()
        alerts.sourceDegradedForSeconds = 10 / speed
        var server = ServerConfig()
        server.port = port
        server.tickMs = max(20, Int(250 / speed))
        server.positionsTokenEnv = positionsTokenVariable
        var config = BreakwaterConfig(
            server: server,
            storage: StorageConfig(path: storagePath),
            markets: DemoMarket.all.map {
                MarketConfig(
                    id: $0.id,
                    sources: sources($0),
                    aggregation: aggregation,
                    margin: $0.id == "BTC-USD" ? margin : shortHorizonMargin(speed: speed),
                    breaker: breaker
                )
            },
            alerts: alerts
        )
        config.systemic = systemic(speed: speed)
        // A pass every 10 scenario seconds; the book, posted once, stays current through the scenario.
        config.stress.intervalSeconds = max(0.25, 10 / speed)
        config.stress.maxSnapshotAgeSeconds = 3600
        return config
    }

    /// ETH-USD's and SOL-USD's margin: the shipped model (filtered historical; its Student-t(4)
    /// stands in through the demo's few hundred samples) over a horizon of 5 scenario seconds
    /// sampled every second, so the backtest has 5-second windows (about 28 before the sell-off).
    /// Volatility starts at 100 % a scenario year (sqrt(speed) times that a wall year); the
    /// floor (0.01 %) stays under the margin, so the quantile sets it.
    static func shortHorizonMargin(speed: Double) -> MarginParameters {
        let sample = max(0.05, 1 / speed)
        return MarginParameters(
            halfLifeSeconds: 60 / speed,
            sampleSeconds: sample,
            horizonSeconds: 5 * sample,
            coverage: 0.99,
            distribution: .filteredHistorical,
            tailDegreesOfFreedom: 4,
            historySamples: 1000,
            minHistorySamples: 500,
            initialVolatility: 1.0 * speed.squareRoot(),
            maintenanceFloor: 0.0001,
            maintenanceRatio: 0.5,
            maxIncreasePerHour: perWallHour(maxIncreasePerScenarioHour, speed: speed),
            maxDecreasePerHour: -perWallHour(-maxDecreasePerScenarioHour, speed: speed)
        )
    }

    /// The cross-market view on a grid short enough for the demo: a sample every 4 scenario
    /// seconds, a half-life of 40, in the view after 10 returns, the shift over 5 against 20
    /// samples. The calm markets wander apart; the sell-off (a common slide, then a common crash)
    /// takes the average correlation past 0.8 and fires `system.correlation_regime`. The shift
    /// threshold is 3 standard deviations: over 20 samples of three calm markets a 1-sigma shift
    /// of the absorption ratio comes by chance.
    static func systemic(speed: Double) -> SystemicParameters {
        var p = SystemicParameters()
        p.sampleSeconds = 4 / speed
        p.halfLifeSeconds = 40 / speed
        p.minSamples = 10
        p.shortWindow = 5
        p.longWindow = 20
        p.shiftSigma = 3
        return p
    }

    /// The variable the demo's positions token is in (set by `demo` itself, a random value).
    static let positionsTokenVariable = "BREAKWATER_DEMO_POSITIONS_TOKEN"
}
