/// Aggregation of a market's fresh quotes, on stack buffers: no allocation per update.
extension MarketState {
    /// Sets each source's status and deviation and returns the aggregate at `t`.
    /// `changed` gets bit j set when source j's status changed (sources beyond 64 are not reported).
    mutating func aggregate(at t: EpochSeconds, changed: inout UInt64) -> AggregateResult {
        let agg = parameters.aggregation
        let maxDivergence = parameters.breaker.maxDivergence
        let count = sources.count
        let normalizers = normalizerPrices
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: max(1, count * 8)) { buffer in
            withUnsafeTemporaryAllocation(of: Int.self, capacity: max(1, count)) { indexBuffer in
                sources.withUnsafeMutableBufferPointer { src in
                    let base = buffer.baseAddress!
                    let prices = base, confs = base + count, times = base + 2 * count
                    let sorted = base + 3 * count, spreads = base + 4 * count, votes = base + 5 * count
                    let index = indexBuffer.baseAddress!
                    var n = 0, spreadCount = 0
                    func setStatus(_ j: Int, _ status: SourceStatus) {
                        if src[j].status != status {
                            src[j].previousStatus = src[j].status
                            src[j].status = status
                            if j < 64 { changed |= 1 << UInt64(j) }
                        }
                    }
                    for j in 0..<count {
                        guard src[j].enabled else { setStatus(j, .disabled); src[j].deviation = nil; continue }
                        guard let raw = src[j].price, let qt = src[j].quoteTime else {
                            setStatus(j, src[j].lastError == nil ? .waiting : .error)
                            continue
                        }
                        if t - qt > agg.maxAgeSeconds {
                            setStatus(j, src[j].lastError == nil ? .stale : .error)
                            src[j].deviation = nil
                            continue
                        }
                        var factor = 1.0
                        if src[j].normalized {
                            guard let f = normalizers[j] else {
                                src[j].lastError = "normalizing market has no price"
                                setStatus(j, .error)
                                continue
                            }
                            factor = f
                        }
                        let p = raw * factor
                        var c = (src[j].confidence ?? 0) * factor
                        if !(c > 0) { c = src[j].spread.map { $0 * p / 2 } ?? 0 }
                        if !(c > 0) { c = agg.defaultConfidence * p }
                        prices[n] = p; confs[n] = c; times[n] = qt; index[n] = j
                        n += 1
                        if let sp = src[j].spread { spreads[spreadCount] = sp; spreadCount += 1 }
                    }
                    var result = AggregateResult(price: nil, confidence: nil, priceTime: nil, health: .ok, freshSources: n,
                                                 usedSources: 0,
                                                 medianSpread: spreadCount == 0 ? nil : Aggregation.median(spreads, spreadCount))
                    guard n > 0 else { result.health = .quorumLost; return result }
                    // Outlier pre-filter and divergence against the median of fresh quotes.
                    for i in 0..<n { sorted[i] = prices[i] }
                    let med = Aggregation.median(sorted, n)
                    var excludeBeyond = Double.infinity
                    var agree = 0
                    for i in 0..<n {
                        let dev = abs(prices[i] - med) / med
                        src[index[i]].deviation = dev
                        if let maxDev = agg.maxDeviation, dev <= maxDev { agree += 1 }
                    }
                    if let maxDev = agg.maxDeviation {
                        if agree * 2 > n {
                            excludeBeyond = maxDev
                        } else if (sorted[n - 1] - sorted[0]) / med > (maxDivergence ?? maxDev) {
                            result.health = .divergence
                        }
                    }
                    var used = 0
                    var oldest = Double.infinity
                    for i in 0..<n {
                        let j = index[i]
                        if let dev = src[j].deviation, dev > excludeBeyond { setStatus(j, .outlier); continue }
                        setStatus(j, .ok)
                        prices[used] = prices[i]; confs[used] = confs[i]
                        oldest = min(oldest, times[i])
                        used += 1
                    }
                    result.usedSources = used
                    guard result.health == .ok else { return result }
                    guard used >= agg.minSources, used > 0 else { result.health = .quorumLost; return result }
                    switch agg.method {
                    case .median:
                        // With nothing excluded the median of fresh quotes is already the answer.
                        var price = med
                        if used != n {
                            for i in 0..<used { sorted[i] = prices[i] }
                            price = Aggregation.median(sorted, used)
                        }
                        // Confidence: the larger of the median source confidence and the median absolute deviation.
                        for i in 0..<used { sorted[i] = abs(prices[i] - price) }
                        let mad = Aggregation.median(sorted, used)
                        result.price = price
                        result.confidence = max(mad, Aggregation.median(confs, used))
                    case .pyth:
                        guard let (p50, conf) = Aggregation.pyth(prices, confs, used, votes: votes), p50 > 0, p50.isFinite else {
                            result.health = .quorumLost
                            return result
                        }
                        result.price = p50
                        result.confidence = conf
                    }
                    result.priceTime = oldest
                    return result
                }
            }
        }
    }
}
