#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Backtest of a margin model: how often the realized move over the horizon exceeded the
/// margin that was published at the start of it.
///
/// Observations are non-overlapping horizon windows (overlapping ones are autocorrelated
/// and would overstate the evidence). Kupiec's proportion-of-failures test and the Basel
/// traffic light judge the exception count against the coverage.
public struct MarginBacktest: Sendable {
    public let horizonSeconds: Double
    public let coverage: Double
    public private(set) var observations = 0
    public private(set) var maintenanceExceptions = 0
    public private(set) var initialExceptions = 0
    private var windowStart: (time: EpochSeconds, price: Double, maintenance: Double, initial: Double)?

    public init(horizonSeconds: Double, coverage: Double) {
        self.horizonSeconds = horizonSeconds
        self.coverage = coverage
    }

    /// Records the aggregate price and the published margins (fractions) at `time`.
    public mutating func observe(price: Double, maintenance: Double, initial: Double, at time: EpochSeconds) {
        guard let start = windowStart else {
            windowStart = (time, price, maintenance, initial)
            return
        }
        guard time - start.time >= horizonSeconds else { return }
        let move = abs(price / start.price - 1)
        observations += 1
        if move > start.maintenance { maintenanceExceptions += 1 }
        if move > start.initial { initialExceptions += 1 }
        windowStart = (time, price, maintenance, initial)
    }

    /// Kupiec's proportion-of-failures p-value for the maintenance exceptions (nil with no data).
    public var kupiecPValue: Double? {
        Self.kupiecPValue(exceptions: maintenanceExceptions, observations: observations, coverage: coverage)
    }

    public static func kupiecPValue(exceptions x: Int, observations n: Int, coverage: Double) -> Double? {
        guard n > 0 else { return nil }
        let p = 1 - coverage
        let nx = Double(n - x)
        let xd = Double(x)
        let pi = xd / Double(n)
        func term(_ count: Double, _ prob: Double) -> Double { count == 0 ? 0 : count * log(prob) }
        let lr = -2 * ((term(nx, 1 - p) + term(xd, p)) - (term(nx, 1 - pi) + term(xd, pi)))
        // Chi-squared with one degree of freedom: P(X > lr) = erfc(sqrt(lr / 2)).
        return erfc((max(0, lr) / 2).squareRoot())
    }

    /// Basel traffic-light zone: green while the binomial probability of at most this many
    /// exceptions is below 95 %, yellow below 99.99 %, red beyond (0-4 / 5-9 / 10+ in 250 at 99 %).
    /// No exception is always green: with few windows (5 or fewer at 99 %) even P(X <= 0) is
    /// above 95 %, and no exception cannot show an under-margined market.
    public var trafficLight: String? {
        Self.trafficLight(exceptions: maintenanceExceptions, observations: observations, coverage: coverage)
    }

    public static func trafficLight(exceptions x: Int, observations n: Int, coverage: Double) -> String? {
        guard n > 0 else { return nil }
        if x == 0 { return "green" }
        let p = 1 - coverage
        // Cumulative binomial probability P(X <= x), as in the Basel table.
        var cumulative = 0.0
        for k in 0...x {
            let lnChoose = lgamma(Double(n + 1)) - lgamma(Double(k + 1)) - lgamma(Double(n - k + 1))
            cumulative += exp(lnChoose + Double(k) * log(p) + Double(n - k) * log1p(-p))
        }
        if cumulative < 0.95 { return "green" }
        if cumulative < 0.9999 { return "yellow" }
        return "red"
    }
}
