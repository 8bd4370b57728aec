#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Margin requirement derived from volatility, per side, published under a rate bound.
///
/// All margins are fractions of notional. A side's target is the price move its quantile of
/// log returns implies (`TailQuantiles`): longs lose on a fall, 1 - exp(-q_long x sigma_h);
/// shorts on a rise, exp(q_short x sigma_h) - 1 (sigma_h: volatility of the log return over
/// the horizon), never below `floor`. So a price move beyond a side's margin is exactly a log
/// return beyond its quantile, and a symmetric distribution still asks more of shorts.
/// Targets move only with a volatility sample (`retarget`). Invariants, each side on its own:
/// `initial = maintenance / maintenanceRatio`; between two updates dt seconds apart the
/// published maintenance rises by at most a factor (1 + maxIncreasePerHour)^(dt/3600) and
/// falls by at most (1 - maxDecreasePerHour)^(dt/3600), and never falls while `holdDecrease`.
/// `maintenance` is the larger side (what a reader of one number must use).
public struct DynamicMargin: Sendable, Equatable {
    /// Lowest maintenance margin (fraction of notional).
    public let floor: Double
    /// maintenance / initial, in (0, 1].
    public let maintenanceRatio: Double
    /// Published maintenance margins per side.
    public private(set) var longMaintenance: Double
    public private(set) var shortMaintenance: Double
    /// Unbounded maintenance targets per side.
    public private(set) var longTarget: Double
    public private(set) var shortTarget: Double
    @PackedOptional private var lastUpdate: EpochSeconds? = nil
    private let logUpPerSecond: Double
    private let logDownPerSecond: Double

    /// Targets from the parametric quantile of `parameters` and `sigma` over the horizon.
    public init(parameters: MarginParameters, initialVolatilityOverHorizon sigma: Double) {
        self.floor = parameters.maintenanceFloor
        self.maintenanceRatio = parameters.maintenanceRatio
        let q = TailQuantiles(parameters: parameters).sides
        let t = Self.targets(quantiles: q, sigma: sigma, floor: parameters.maintenanceFloor)
        self.longTarget = t.long
        self.shortTarget = t.short
        self.longMaintenance = t.long
        self.shortMaintenance = t.short
        self.logUpPerSecond = log1p(parameters.maxIncreasePerHour) / 3600
        self.logDownPerSecond = log1p(-parameters.maxDecreasePerHour) / 3600
    }

    /// Published maintenance margin: the larger side.
    public var maintenance: Double { max(longMaintenance, shortMaintenance) }
    /// Unbounded maintenance target: the larger side.
    public var target: Double { max(longTarget, shortTarget) }
    /// Initial margin (fraction of notional), the larger side.
    public var initial: Double { maintenance / maintenanceRatio }
    public var longInitial: Double { longMaintenance / maintenanceRatio }
    public var shortInitial: Double { shortMaintenance / maintenanceRatio }
    /// Initial margin the unbounded target implies.
    public var targetInitial: Double { target / maintenanceRatio }
    /// True when neither side's published margin is below its target.
    public var atOrAboveTarget: Bool { longMaintenance >= longTarget && shortMaintenance >= shortTarget }
    /// True while either side's published margin is held back from its target by the rise
    /// bound: after an update a side is below its target only then (computed, so the state
    /// keeps the size it had with one side).
    public var atRiseBound: Bool { !atOrAboveTarget }

    /// Each side's target (fraction of notional) for its quantile and a log-return volatility
    /// `sigma` over the horizon.
    public static func targets(
        quantiles q: (long: Double, short: Double),
        sigma: Double,
        floor: Double
    ) -> (long: Double, short: Double) {
        (max(floor, -expm1(-q.long * sigma)), max(floor, expm1(q.short * sigma)))
    }

    /// Sets each side's target from its quantile and `sigma` (volatility over the horizon);
    /// a target that is not finite is left as it was.
    public mutating func retarget(quantiles: (long: Double, short: Double), sigmaOverHorizon sigma: Double) {
        let t = Self.targets(quantiles: quantiles, sigma: sigma, floor: floor)
        if t.long.isFinite { longTarget = t.long }
        if t.short.isFinite { shortTarget = t.short }
    }

    /// Moves each side's published margin toward its target.
    public mutating func update(at time: EpochSeconds, holdDecrease: Bool) {
        let dt = lastUpdate.map { max(0, time - $0) } ?? 0
        lastUpdate = max(lastUpdate ?? time, time)
        longMaintenance = bounded(longMaintenance, toward: longTarget, dt: dt, holdDecrease: holdDecrease)
        shortMaintenance = bounded(shortMaintenance, toward: shortTarget, dt: dt, holdDecrease: holdDecrease)
    }

    /// One side's published margin moved from `current` toward `target` within the bounds over `dt` seconds.
    private func bounded(
        _ current: Double,
        toward target: Double,
        dt: Double,
        holdDecrease: Bool
    ) -> Double {
        if target > current {
            let ceiling = dt == 0 ? current : current * exp(logUpPerSecond * dt)
            return min(target, ceiling)
        }
        if !holdDecrease && target < current {
            let lowest = dt == 0 ? current : current * exp(logDownPerSecond * dt)
            return max(target, lowest)
        }
        return current
    }

    /// Restores a published maintenance margin (e.g. from storage) to both sides, never below
    /// the floor: the stored figure is the larger side, so neither side restarts too low.
    public mutating func restore(maintenance value: Double, at time: EpochSeconds) {
        restore(long: value, short: value, at: time)
    }

    /// Restores each side's published maintenance margin (from storage, or adopted from the
    /// replica that publishes for all), never below the floor; the rate bounds then apply from
    /// `time`. A side whose figure is not finite and positive keeps its own.
    public mutating func restore(long: Double, short: Double, at time: EpochSeconds) {
        guard long.isFinite && long > 0 || short.isFinite && short > 0 else { return }
        if long.isFinite, long > 0 { longMaintenance = max(floor, long) }
        if short.isFinite, short > 0 { shortMaintenance = max(floor, short) }
        lastUpdate = time
    }
}
