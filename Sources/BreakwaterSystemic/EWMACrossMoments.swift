/// The EWMA second moments of the log returns of a fixed list of markets, pair by pair:
/// S_ij = lambda S_ij + (1 - lambda) r_i r_j (RiskMetrics, no mean removed), each pair weighted
/// by the samples in which both markets had a return, so that a market that joins later or
/// misses a sample does not pull its pairs toward zero. Also each market's EWMA mean return
/// (for turbulence). Memory: two M x M arrays of `Double` (16 MB for 1,000 markets).
struct EWMACrossMoments: Sendable {
    let count: Int
    let lambda: Double
    /// Sum of the decayed weights times r_i r_j, row-major M x M.
    private var weightedProducts: [Double]
    /// Sum of the decayed weights of the samples where both i and j had a return.
    private var pairWeights: [Double]
    private var weightedReturns: [Double]
    private var weights: [Double]

    init(count: Int, lambda: Double) {
        self.count = count
        self.lambda = lambda
        weightedProducts = Array(repeating: 0, count: count * count)
        pairWeights = Array(repeating: 0, count: count * count)
        weightedReturns = Array(repeating: 0, count: count)
        weights = Array(repeating: 0, count: count)
    }

    /// Adds one sample: `returns[i]` is market i's log return, nil when it had none.
    mutating func add(_ returns: [Double?]) {
        let m = count
        let fresh = 1 - lambda
        let x = returns.map { $0 ?? 0 }
        let present = returns.map { $0 == nil ? 0.0 : 1.0 }
        weightedProducts.withUnsafeMutableBufferPointer { s in
            pairWeights.withUnsafeMutableBufferPointer { w in
                for i in 0..<m {
                    let xi = fresh * x[i]
                    let pi = fresh * present[i]
                    let row = i * m
                    for j in 0..<m {
                        s[row + j] = lambda * s[row + j] + xi * x[j]
                        w[row + j] = lambda * w[row + j] + pi * present[j]
                    }
                }
            }
        }
        for i in 0..<m {
            weightedReturns[i] = lambda * weightedReturns[i] + fresh * x[i]
            weights[i] = lambda * weights[i] + fresh * present[i]
        }
    }

    /// The covariance (second moment) of `markets`, row-major, exactly symmetric (read from the
    /// upper triangle).
    func covariance(of markets: [Int]) -> [Double] {
        let n = markets.count
        var out = [Double](repeating: 0, count: n * n)
        for a in 0..<n {
            for b in a..<n {
                let (i, j) = (min(markets[a], markets[b]), max(markets[a], markets[b]))
                let w = pairWeights[i * count + j]
                let v = w > 0 ? weightedProducts[i * count + j] / w : 0
                out[a * n + b] = v
                out[b * n + a] = v
            }
        }
        return out
    }

    /// Market i's second moment of its log return per sample (0 before its first return).
    func variance(_ i: Int) -> Double {
        let w = pairWeights[i * count + i]
        return w > 0 ? weightedProducts[i * count + i] / w : 0
    }

    /// Market i's EWMA mean log return (0 before its first return).
    func mean(_ i: Int) -> Double { weights[i] > 0 ? weightedReturns[i] / weights[i] : 0 }
}
