import BreakwaterAlerts
import BreakwaterEngine
import BreakwaterSystemic
import Foundation
import Logging
import NIOPosix
import ServiceLifecycle
import Synchronization

/// Feeds the correlation regime off the engine's path: at every point of the `sampleSeconds`
/// grid it reads each market's trusted price from the published snapshots (never the Monitor),
/// runs the update on NIO's blocking thread pool (not the tasks' cooperative threads, which
/// serve ingestion and reads), publishes the view to the ``SystemBoard``, records the gauges
/// and commits the `system.correlation_regime` condition. A sample that runs past the next grid
/// point is followed at once by that point's; only whole steps missed are skipped.
struct SystemicSampler: Service {
    let board: SnapshotBoard
    let system: SystemBoard
    let metrics: SystemMetrics
    /// Commits alert conditions (nil without storage: the view is still served).
    let commit: (@Sendable ([AlertCondition], EpochSeconds) async throws -> Void)?
    let logger: Logger
    /// Epoch seconds, the server's clock.
    let clock: @Sendable () -> EpochSeconds
    let regime: RegimeCell

    init(
        board: SnapshotBoard,
        system: SystemBoard,
        metrics: SystemMetrics,
        commit: (@Sendable ([AlertCondition], EpochSeconds) async throws -> Void)?,
        logger: Logger,
        clock: @escaping @Sendable () -> EpochSeconds
    ) {
        self.board = board
        self.system = system
        self.metrics = metrics
        self.commit = commit
        self.logger = logger
        self.clock = clock
        regime = RegimeCell(CorrelationRegime(markets: system.markets, parameters: system.parameters))
    }

    func run() async throws {
        let step = system.parameters.sampleSeconds
        try? await cancelWhenGracefulShutdown {
            var next = ((clock() / step).rounded(.down) + 1) * step
            while !Task.isCancelled {
                next = Self.nextSample(after: next, now: clock(), step: step)
                let wait = next - clock()
                if wait > 0 { try await Task.sleep(for: .milliseconds(Int((wait * 1000).rounded(.up)))) }
                await sample(at: next)
                next += step
            }
        }
    }

    /// The grid time to sample next when `due` is due and it is `now` (epoch seconds): `due`
    /// itself while less than a step late (a sample that ran long is followed at once, keeping
    /// consecutive returns), else the grid point just passed (whole steps were missed: the
    /// regime sees the gap and restarts its returns).
    static func nextSample(after due: EpochSeconds, now: EpochSeconds, step: Double) -> EpochSeconds {
        now - due < step ? due : (now / step).rounded(.down) * step
    }

    /// One update at grid time `t`.
    func sample(at t: EpochSeconds) async {
        let published = board.current
        let index = published.index
        let prices: [Double?] = system.markets.map { id in
            guard let i = index[id], published.markets.indices.contains(i) else { return nil }
            let m = published.markets[i]
            return m.health == .ok ? m.price : nil
        }
        let started = ContinuousClock.now
        let view: SystemView?
        do {
            view = try await NIOThreadPool.singleton.runIfActive {
                try regime.state.withLock { try $0.update(at: t, prices: prices) }
            }
        } catch {
            logger.error("cross-market update failed", metadata: ["error": "\(error)"])
            return
        }
        guard let view else { return }
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        system.publish(view)
        metrics.record(view, seconds: seconds)
        guard view.state != .insufficient, let commit else { return }
        let p = system.parameters
        let condition = AlertCondition.correlationRegime(
            fragile: view.state == .fragile,
            averageCorrelation: view.averageCorrelation,
            absorptionRatio: view.absorptionRatio,
            absorptionShift: view.absorptionShift,
            markets: view.markets.count,
            shiftSigma: p.shiftSigma,
            maxAverageCorrelation: p.maxAverageCorrelation
        )
        do {
            try await commit([condition], t)
        } catch {
            // The next sample offers the condition again.
            logger.error("correlation regime alert not committed", metadata: ["error": "\(error)"])
        }
    }
}

/// The regime the sampler updates, shared with the thread-pool job that updates it (in place:
/// its matrices are never copied).
final class RegimeCell: Sendable {
    let state: Mutex<CorrelationRegime>
    init(_ regime: CorrelationRegime) { state = Mutex(regime) }
}
