public import BreakwaterEngine

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The correlation regime across markets, updated once per sample of the common grid. Pure:
/// the caller hands each sample's trusted prices and its time; nothing here reads a clock.
///
/// Per update: the log return of every market priced at this sample and the previous one; the
/// EWMA covariance (``EWMACrossMoments``); the view over the markets with a return now, at
/// least `minSamples` returns so far and a price that moves; its correlation matrix, average
/// pairwise correlation, absorption ratio and shift, turbulence, and the regime state.
public struct CorrelationRegime: Sendable {
    public let markets: [String]
    public let parameters: SystemicParameters
    private var moments: EWMACrossMoments
    /// Each market's price at the previous grid sample (nil: none trusted then).
    private var previousPrices: [Double?]
    /// Returns seen per market.
    private var returnCounts: [Int]
    /// Grid index (time / sampleSeconds, rounded down) of the last sample taken.
    private var lastGridIndex: Int?
    /// Absorption ratios of the last `longWindow` updates with two markets or more, oldest first.
    private var ratioHistory: [Double] = []
    private var updates = 0
    /// Log returns closer to zero than this count as no move (a constant price).
    static let noMove = 1e-12

    public init(markets: [String], parameters: SystemicParameters) {
        self.markets = markets
        self.parameters = parameters
        moments = EWMACrossMoments(count: markets.count, lambda: parameters.lambda)
        previousPrices = Array(repeating: nil, count: markets.count)
        returnCounts = Array(repeating: 0, count: markets.count)
    }

    /// The grid index of time `t`, epoch seconds.
    public func gridIndex(_ t: EpochSeconds) -> Int { Int((t / parameters.sampleSeconds).rounded(.down)) }

    /// Takes the sample at `t` (epoch seconds): `prices[i]` is market i's trusted price, nil when
    /// it has none (a price that is not finite and positive counts as none). A sample in the same
    /// grid slot as the last one is ignored (nil returned). After a skipped slot no market has a
    /// return (an outage must not stretch a return over two steps): prices are taken, the view is empty.
    /// Throws ``LAPACKFailure`` when LAPACK does not converge.
    public mutating func update(at t: EpochSeconds, prices: [Double?]) throws(LAPACKFailure) -> SystemView? {
        precondition(prices.count == markets.count, "one price (or nil) per market")
        let g = gridIndex(t)
        if let last = lastGridIndex, g <= last { return nil }
        let consecutive = lastGridIndex.map { g == $0 + 1 } ?? false
        lastGridIndex = g
        updates += 1
        let valid = prices.map { p in p.flatMap { $0.isFinite && $0 > 0 ? $0 : nil } }
        var returns = [Double?](repeating: nil, count: markets.count)
        if consecutive {
            for i in markets.indices {
                if let p = valid[i], let q = previousPrices[i] { returns[i] = log(p / q) }
            }
        }
        previousPrices = valid
        // Candidates for the view, and the previous covariance they need for turbulence.
        var candidates: [Int] = []
        var isCandidate = [Bool](repeating: false, count: markets.count)
        for i in markets.indices where returns[i] != nil {
            returnCounts[i] += 1
            if returnCounts[i] >= parameters.minSamples {
                candidates.append(i)
                isCandidate[i] = true
            }
        }
        let previousCovariance = moments.covariance(of: candidates)
        let previousMeans = candidates.map { moments.mean($0) }
        moments.add(returns)
        // Out of the view, with the reason.
        var inView: [Int] = []
        var positions: [Int] = []
        var excluded: [(market: String, reason: ExclusionReason)] = []
        var k = 0
        for i in markets.indices {
            let reason: ExclusionReason?
            if valid[i] == nil {
                reason = .noPrice
            } else if returns[i] == nil {
                reason = .noReturn
            } else if returnCounts[i] < parameters.minSamples {
                reason = .warmingUp(returns: returnCounts[i], needed: parameters.minSamples)
            } else if moments.variance(i).squareRoot() < Self.noMove {
                reason = .constantPrice
            } else {
                reason = nil
            }
            if isCandidate[i] {
                if reason == nil { positions.append(k) }
                k += 1
            }
            if let reason { excluded.append((markets[i], reason)) } else { inView.append(i) }
        }
        var view = SystemView(
            time: t,
            markets: inView.map { markets[$0] },
            excluded: excluded,
            correlation: [],
            covariance: moments.covariance(of: inView),
            averageCorrelation: nil,
            absorptionRatio: nil,
            eigenvalueCount: AbsorptionRatio.eigenvectorCount(markets: inView.count),
            absorptionShift: nil,
            turbulence: nil,
            turbulenceNote: nil,
            state: .insufficient,
            updates: updates
        )
        view.correlation = Self.correlation(view.covariance, n: inView.count)
        guard inView.count >= 2 else {
            view.turbulenceNote = "fewer than two markets in the view"
            view.absorptionShift = AbsorptionRatio.shift(
                ratioHistory,
                short: parameters.shortWindow,
                long: parameters.longWindow
            )
            return view
        }
        view.averageCorrelation = Self.averageCorrelation(view.correlation, n: inView.count)
        if let ratio = try AbsorptionRatio.of(covariance: view.covariance, n: inView.count) {
            view.absorptionRatio = ratio
            ratioHistory.append(ratio)
            if ratioHistory.count > parameters.longWindow { ratioHistory.removeFirst() }
        }
        view.absorptionShift = AbsorptionRatio.shift(
            ratioHistory,
            short: parameters.shortWindow,
            long: parameters.longWindow
        )
        (view.turbulence, view.turbulenceNote) = Self.turbulence(
            returns: inView.map { returns[$0]! },
            previousMeans: positions.map { previousMeans[$0] },
            previousCovariance: Self.submatrix(previousCovariance, of: positions, n: candidates.count)
        )
        view.state = state(average: view.averageCorrelation, shift: view.absorptionShift)
        return view
    }

    /// Fragile when the shift reaches `shiftSigma` or the average correlation reaches
    /// `maxAverageCorrelation`; calm below both.
    func state(average: Double?, shift: Double?) -> RegimeState {
        guard let average else { return .insufficient }
        if average >= parameters.maxAverageCorrelation { return .fragile }
        if let shift, shift >= parameters.shiftSigma { return .fragile }
        return .calm
    }

    /// R = D^-1/2 S D^-1/2, each entry clamped to [-1, 1] (pairs weighted by their common
    /// samples can overshoot by rounding), ones on the diagonal.
    static func correlation(_ s: [Double], n: Int) -> [Double] {
        var r = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            r[i * n + i] = 1
            for j in (i + 1)..<n {
                let c = min(1, max(-1, s[i * n + j] / (s[i * n + i] * s[j * n + j]).squareRoot()))
                r[i * n + j] = c
                r[j * n + i] = c
            }
        }
        return r
    }

    /// (1'R1 - N) / (N (N - 1)).
    static func averageCorrelation(_ r: [Double], n: Int) -> Double {
        (r.reduce(0, +) - Double(n)) / Double(n * (n - 1))
    }

    /// (r - mu)' S^-1 (r - mu) against the previous sample's means and covariance; nil with the
    /// reason when that covariance is singular.
    static func turbulence(
        returns: [Double],
        previousMeans: [Double],
        previousCovariance: [Double]
    ) -> (Double?, String?) {
        let deviation = zip(returns, previousMeans).map { $0 - $1 }
        do {
            return (try Mahalanobis.squaredDistance(deviation, covariance: previousCovariance), nil)
        } catch {
            return (nil, "the previous covariance is singular (\(error)): too few samples for this many markets")
        }
    }

    /// The rows and columns `keep` of the `n` x `n` matrix `m`.
    static func submatrix(_ m: [Double], of keep: [Int], n: Int) -> [Double] {
        if keep.count == n { return m }
        var out: [Double] = []
        out.reserveCapacity(keep.count * keep.count)
        for i in keep { for j in keep { out.append(m[i * n + j]) } }
        return out
    }
}
