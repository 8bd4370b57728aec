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
/// lambda = 2^(-sampleSeconds / halfLifeSeconds). A grid step's sample is the price at the
/// step's start: the first price seen in the step, when the market had a price (without
/// interruption) since before that start. So a burst of quotes within one step counts once,
/// and a price that returns mid-step after a gap (`observeNoPrice`) is sampled at the next
/// grid time, not as an early sample of a step whose start had no price. (The very first
/// price is the base wherever in its step it comes, so the first return may span less than
/// a step.) A gap of g steps
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
    /// Since when the market has had a price without interruption (seconds since the epoch;
    /// NaN while it has none).
    private var pricedSince: EpochSeconds = .nan

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
        sample(price: price, at: time) != nil
    }

    /// Feeds the aggregate `price` observed at `time`. When a step was sampled, returns its
    /// standardized return r / (sigma_step before the sample x sqrt(g)) over the g steps it
    /// spans (what filtered historical simulation keeps); nil otherwise.
    @inline(__always)
    public mutating func sample(price: Double, at time: EpochSeconds) -> Double? {
        if pricedSince.isNaN { pricedSince = time }
        let step = GridIndex.of(time, step: sampleSeconds)
        let previous = lastStep
        guard previous != .min else {
            lastStep = step
            lastPrice = price
            return nil
        }
        guard step > previous else { return nil }
        // No price at this step's start (the price came back within the step): the step has no
        // sample; the next one spreads the return over the whole gap.
        let pricedStep = GridIndex.of(pricedSince, step: sampleSeconds)
        guard pricedStep < step || (pricedStep == step && pricedSince <= Double(step) * sampleSeconds) else {
            return nil
        }
        let g = Double(step &- previous)
        let r = log(price / lastPrice)
        lastStep = step
        lastPrice = price
        guard r.isFinite else { return nil }
        let prior = variancePerStep
        let decay = g == 1 ? lambda : pow(lambda, g)
        let updated = decay * prior + (1 - decay) * (r * r / g)
        if updated.isFinite && updated > 0 { variancePerStep = updated }
        return r / (prior * g).squareRoot()
    }

    /// Equal when every field is (`pricedSince` by its bits: NaN, "no price", equals itself).
    public static func == (l: Self, r: Self) -> Bool {
        l.sampleSeconds == r.sampleSeconds && l.lambda == r.lambda && l.variancePerStep == r.variancePerStep
            && l.lastStep == r.lastStep && l.lastPrice == r.lastPrice
            && l.pricedSince.bitPattern == r.pricedSince.bitPattern
    }

    /// The market has no price at this evaluation (quorum lost, divergence, no quote yet).
    public mutating func observeNoPrice() { pricedSince = .nan }

    /// Volatility of one step's log return (fraction).
    public var volatilityPerStep: Double { variancePerStep.squareRoot() }

    /// Annualized volatility (fraction).
    public var annualized: Double { (variancePerStep * secondsPerYear / sampleSeconds).squareRoot() }

    /// Volatility over `horizonSeconds`: sigma_step x sqrt(h / step).
    public func volatility(overSeconds horizonSeconds: Double) -> Double {
        (variancePerStep * horizonSeconds / sampleSeconds).squareRoot()
    }
}
