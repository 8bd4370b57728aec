public import BreakwaterAlerts
public import BreakwaterConfig
public import BreakwaterEngine
import BreakwaterStore
import BreakwaterStress
import BreakwaterSystemic
public import Logging
public import Metrics
public import ServiceLifecycle

/// The live stress pass: every `intervalSeconds` (and at once after a new snapshot) on the latest positions, with the markets as
/// the engine last published them (read from the board: the engine never waits for a pass),
/// computed on a thread of its own, then published to `results`, the gauges and the alerts.
/// Nothing runs before the first snapshot. Contagion moves the other markets by the betas of
/// the latest cross-market view (`system`) when there is one; without one each market moves alone.
public struct LiveStress: Service {
    let board: SnapshotBoard
    /// The cross-market view whose betas carry a shock to the other markets (nil: none).
    let system: SystemBoard?
    let positions: PositionBook
    let results: StressBoard
    let config: BreakwaterConfig
    var settings: StressConfig { config.stress }
    /// Where the pass runs (off Swift's cooperative pool, as snapshot reading does).
    let worker: StorageQueue
    let alerting: Alerting?
    let metrics: StressMetrics
    let logger: Logger
    /// The service's clock, epoch seconds.
    let clock: @Sendable () -> EpochSeconds

    /// A pass over `board`'s markets and `positions`, publishing to `results`, recording gauges
    /// through `metrics` and committing alerts to `alerting` (none: no alerts); contagion takes
    /// its betas from `system`'s latest view (none: every market moves alone).
    public init(
        board: SnapshotBoard,
        system: SystemBoard? = nil,
        positions: PositionBook,
        results: StressBoard,
        config: BreakwaterConfig,
        alerting: Alerting?,
        metrics: any MetricsFactory,
        logger: Logger,
        clock: @escaping @Sendable () -> EpochSeconds
    ) {
        self.init(
            board: board,
            system: system,
            positions: positions,
            results: results,
            config: config,
            worker: StorageQueue(label: "breakwater.stress"),
            alerting: alerting,
            metrics: StressMetrics(factory: metrics),
            logger: logger,
            clock: clock
        )
    }

    init(
        board: SnapshotBoard,
        system: SystemBoard?,
        positions: PositionBook,
        results: StressBoard,
        config: BreakwaterConfig,
        worker: StorageQueue,
        alerting: Alerting?,
        metrics: StressMetrics,
        logger: Logger,
        clock: @escaping @Sendable () -> EpochSeconds
    ) {
        self.board = board
        self.system = system
        self.positions = positions
        self.results = results
        self.config = config
        self.worker = worker
        self.alerting = alerting
        self.metrics = metrics
        self.logger = logger
        self.clock = clock
    }

    /// How often the loop looks for a new snapshot between passes, milliseconds.
    static let snapshotPollMs = 200

    /// A pass every `intervalSeconds`, and one as soon as a new snapshot is held (its results
    /// need not wait for the next interval).
    public func run() async throws {
        try? await cancelWhenGracefulShutdown {
            var lastVersion = -1
            var lastPass = ContinuousClock.now
            while !Task.isCancelled {
                let version = positions.version
                let due = ContinuousClock.now - lastPass >= .milliseconds(Int(settings.intervalSeconds * 1000))
                if version != lastVersion || due {
                    lastVersion = version
                    lastPass = ContinuousClock.now
                    await pass()
                }
                try await Task.sleep(for: .milliseconds(Self.snapshotPollMs))
            }
        }
    }

    /// One pass on what is held now; nil (and nothing published) before the first snapshot.
    @discardableResult
    public func pass() async -> LiveStressReport? {
        let held = positions.contents
        guard let asOf = held.oldestAsOf, held.insuranceFund != nil else { return nil }
        let markets = board.current.markets
        let view = system?.view
        let now = clock()
        let (config, settings) = (config, settings)
        guard
            let (timed, book) = try? await worker.run({
                let started = ContinuousClock.now
                let built = LiveStressInputs.build(markets: markets, config: config, positions: held)
                var report = LiveStressRun.run(
                    built,
                    positionsAsOf: asOf,
                    now: now,
                    settings: settings,
                    betas: view.map(BetaMatrix.init(view:)) ?? .none,
                    betasAsOf: view?.time
                )
                let took = ContinuousClock.now - started
                report.durationSeconds = Double(took.components.seconds) + Double(took.components.attoseconds) / 1e18
                return (report, built.book)
            })
        else { return nil }
        results.publish(timed, book: book)
        metrics.record(timed)
        await commitAlerts(timed, now: now)
        return timed
    }

    /// The shortfall condition and each configured market side's cascade-risk condition (an
    /// inactive one for a market the pass did not stress resolves its alert, if any).
    func conditions(_ report: LiveStressReport) -> [AlertCondition] {
        var out: [AlertCondition] = []
        if let worst = report.worstStanding {
            let top = worst.cascades.max { $0.badDebt < $1.badDebt }
            out.append(
                StressAlerts.shortfall(
                    .init(
                        fund: report.insuranceFund,
                        badDebt: worst.badDebt,
                        direction: worst.scenario.shocks.values.first?.direction.rawValue ?? "down",
                        impact: worst.scenario.impact.rawValue,
                        worstMarket: (top?.badDebt ?? 0) > 0 ? top?.market : nil
                    )
                )
            )
        }
        var seen: Set<String> = []
        for d in report.depth {
            seen.insert("\(d.market)/\(d.side)")
            out.append(
                StressAlerts.cascade(
                    .init(
                        market: d.market,
                        side: d.side,
                        sigmaH: d.sigmaHorizon,
                        liquidatable: d.liquidatable,
                        depth1Pct: d.depth1Pct
                    ),
                    maxRatio: settings.maxLiquidatableDepthRatio
                )
            )
        }
        for m in config.markets {
            for side in PositionSide.allCases where !seen.contains("\(m.id)/\(side.rawValue)") {
                out.append(StressAlerts.notStressed(market: m.id, side: side.rawValue))
            }
        }
        return out
    }

    private func commitAlerts(_ report: LiveStressReport, now: EpochSeconds) async {
        guard let alerting else { return }
        do {
            try await alerting.commit(conditions: conditions(report), now: now)
        } catch {
            logger.warning(
                "stress alerts not stored; the next pass tries again",
                metadata: ["error": "\(error)"]
            )
        }
    }
}
