#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Seconds in a year of continuous (24/7) trading, for annualizing volatility.
public let secondsPerYear: Double = 365 * 86_400

/// EWMA variance of log returns on a fixed time grid (RiskMetrics), in time passed in.
///
/// Invariants: `variancePerStep` is finite and > 0; the grid step is `sampleSeconds`;
/// lambda = 2^(-sampleSeconds / halfLifeSeconds). The first price seen in a grid step is
/// that step's sample, so a burst of quotes within one step counts once. A gap of g steps
/// spreads its squared log return evenly over the g steps (r^2 / g each), so a gap is
/// neither one giant step nor g zero returns.
public struct VolatilityEstimator: Sendable, Equatable {
    public let sampleSeconds: Double
    public let lambda: Double
    /// Current variance of one step's log return.
    public private(set) var variancePerStep: Double
    /// Grid step of the last sample; `Int64.min` before the first (`GridIndex` never returns it).
    private var lastStep: Int64 = .min
    private var lastPrice: Double = 0
    /// Number of grid steps sampled so far.
    public private(set) var samples: Int = 0

    /// - Parameters:
    ///   - initialVolatility: annualized volatility (fraction) that seeds the variance.
    public init(sampleSeconds: Double, halfLifeSeconds: Double, initialVolatility: Double) {
        self.sampleSeconds = sampleSeconds
        self.lambda = pow(2, -sampleSeconds / halfLifeSeconds)
        let v = initialVolatility * initialVolatility * sampleSeconds / secondsPerYear
        self.variancePerStep = v.isFinite && v > 0 ? v : 1e-12
    }

    /// Feeds the aggregate `price` observed at `time`. Returns true when a step was sampled.
    @discardableResult
    public mutating func observe(price: Double, at time: EpochSeconds) -> Bool {
        let step = GridIndex.of(time, step: sampleSeconds)
        let previous = lastStep
        guard previous != .min else {
            lastStep = step
            lastPrice = price
            return false
        }
        guard step > previous else { return false }
        let g = Double(step &- previous)
        let r = log(price / lastPrice)
        lastStep = step
        lastPrice = price
        guard r.isFinite else { return false }
        let decay = g == 1 ? lambda : pow(lambda, g)
        let updated = decay * variancePerStep + (1 - decay) * (r * r / g)
        if updated.isFinite && updated > 0 { variancePerStep = updated }
        samples += 1
        return true
    }

    /// Volatility of one step's log return (fraction).
    public var volatilityPerStep: Double { variancePerStep.squareRoot() }

    /// Annualized volatility (fraction).
    public var annualized: Double { (variancePerStep * secondsPerYear / sampleSeconds).squareRoot() }

    /// Volatility over `horizonSeconds`: sigma_step x sqrt(h / step).
    public func volatility(overSeconds horizonSeconds: Double) -> Double {
        (variancePerStep * horizonSeconds / sampleSeconds).squareRoot()
    }
}
