#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Margin requirement derived from volatility, published under a rate bound.
///
/// All margins are fractions of notional. Invariants: `maintenance >= floor`;
/// `initial = maintenance / maintenanceRatio`; between two updates dt seconds apart the
/// published maintenance rises by at most a factor (1 + maxIncreasePerHour)^(dt/3600) and
/// falls by at most (1 - maxDecreasePerHour)^(dt/3600), and never falls while `holdDecrease`.
public struct DynamicMargin: Sendable, Equatable {
    /// Lowest maintenance margin (fraction of notional).
    public let floor: Double
    /// maintenance / initial, in (0, 1].
    public let maintenanceRatio: Double
    /// Quantile of the coverage probability (unit variance).
    public let quantile: Double
    /// Published maintenance margin.
    public private(set) var maintenance: Double
    /// Unbounded maintenance target: max(floor, q x sigma_horizon).
    public private(set) var target: Double
    /// True while the published margin is held back from its target by the rise bound.
    public private(set) var atRiseBound: Bool = false
    @PackedOptional private var lastUpdate: EpochSeconds? = nil
    private let logUpPerSecond: Double
    private let logDownPerSecond: Double

    public init(parameters: MarginParameters, initialVolatilityOverHorizon sigma: Double) {
        self.floor = parameters.maintenanceFloor
        self.maintenanceRatio = parameters.maintenanceRatio
        self.quantile = Quantile.marginQuantile(
            coverage: parameters.coverage,
            distribution: parameters.distribution,
            nu: parameters.tailDegreesOfFreedom
        )
        let t = max(floor, quantile * sigma)
        self.target = t
        self.maintenance = t
        self.logUpPerSecond = log1p(parameters.maxIncreasePerHour) / 3600
        self.logDownPerSecond = log1p(-parameters.maxDecreasePerHour) / 3600
    }

    /// Initial margin (fraction of notional).
    public var initial: Double { maintenance / maintenanceRatio }
    /// Initial margin the unbounded target implies.
    public var targetInitial: Double { target / maintenanceRatio }

    /// Target maintenance for a volatility over the horizon (fraction).
    public func targetMaintenance(sigmaOverHorizon sigma: Double) -> Double {
        max(floor, quantile * sigma)
    }

    /// Moves the published margin toward the target for `sigma` (volatility over the horizon).
    public mutating func update(sigmaOverHorizon sigma: Double, at time: EpochSeconds, holdDecrease: Bool) {
        let newTarget = targetMaintenance(sigmaOverHorizon: sigma)
        if newTarget.isFinite { target = newTarget }
        let dt = lastUpdate.map { max(0, time - $0) } ?? 0
        lastUpdate = max(lastUpdate ?? time, time)
        if target > maintenance {
            let ceiling = dt == 0 ? maintenance : maintenance * exp(logUpPerSecond * dt)
            atRiseBound = ceiling < target
            maintenance = min(target, ceiling)
        } else {
            atRiseBound = false
            if !holdDecrease && target < maintenance {
                let lowest = dt == 0 ? maintenance : maintenance * exp(logDownPerSecond * dt)
                maintenance = max(target, lowest)
            }
        }
    }

    /// Restores a published maintenance margin (e.g. from storage), never below the floor.
    public mutating func restore(maintenance value: Double, at time: EpochSeconds) {
        guard value.isFinite, value > 0 else { return }
        maintenance = max(floor, value)
        lastUpdate = time
    }
}
