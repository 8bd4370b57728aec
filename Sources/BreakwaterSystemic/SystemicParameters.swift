#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The cross-market view's settings (`systemic` in config.json). Windows count samples of the
/// common grid, not seconds.
public struct SystemicParameters: Sendable, Equatable {
    /// Spacing of the common grid every market is sampled on, seconds (> 0).
    public var sampleSeconds: Double = 60
    /// Half-life of the EWMA covariance, seconds (> 0): lambda = 2^(-sampleSeconds / halfLife).
    public var halfLifeSeconds: Double = 3600
    /// Returns a market needs before it enters the view (>= 2).
    public var minSamples: Int = 30
    /// Samples in the recent window of the absorption ratio's shift (>= 2, < longWindow).
    public var shortWindow: Int = 15
    /// Samples in the reference window of the shift (>= 2).
    public var longWindow: Int = 240
    /// The shift, in standard deviations, at which the regime turns fragile (> 0).
    public var shiftSigma: Double = 1
    /// The average pairwise correlation at which the regime turns fragile, in (0, 1].
    public var maxAverageCorrelation: Double = 0.8

    public init() {}

    /// The EWMA decay per sample, in (0, 1).
    public var lambda: Double { pow(2, -sampleSeconds / halfLifeSeconds) }
}
