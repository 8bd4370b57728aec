/// Aggregation of a market's fresh quotes, on stack buffers: no allocation per update.
extension AggregationRules {
    /// Sets each source's status and deviation and returns the aggregate at `t`.
    /// `changed` gets bit j set when source j's status changed (sources beyond 64 are not reported).
    /// `normalizers[j]` is source j's conversion price when it is normalized (NaN: none yet).
    func aggregate(
        at t: EpochSeconds,
        sources src: MarketSources,
        normalizers: Slots<Double>?,
        changed: inout UInt64
    ) -> AggregateResult {
        // Scratch: 8 doubles and one index per source. Up to 8 sources the sizes are
        // constants, which the compiler places on the stack without a run-time check.
        if src.count <= 8 {
            return Slots<Double>.withScratch(count: 64) { scratch in
                Slots<Int>.withScratch(count: 8) { index in
                    aggregate(
                        at: t,
                        sources: src,
                        normalizers: normalizers,
                        changed: &changed,
                        scratch: scratch,
                        index: index
                    )
                }
            }
        }
        return Slots<Double>.withScratch(count: src.count * 8) { scratch in
            Slots<Int>.withScratch(count: src.count) { index in
                aggregate(
                    at: t,
                    sources: src,
                    normalizers: normalizers,
                    changed: &changed,
                    scratch: scratch,
                    index: index
                )
            }
        }
    }

    /// The aggregation itself, on `scratch` (8 x the source count doubles, or more) and `index` (one per source).
    @inline(__always)
    private func aggregate(
        at t: EpochSeconds,
        sources src: MarketSources,
        normalizers: Slots<Double>?,
        changed: inout UInt64,
        scratch: Slots<Double>,
        index: Slots<Int>
    ) -> AggregateResult {
        let rules = self
        let count = src.count
        let prices = scratch.slots(from: 0, count: count)
        let confs = scratch.slots(from: count, count: count)
        let times = scratch.slots(from: 2 * count, count: count)
        let sorted = scratch.slots(from: 3 * count, count: count)
        let spreads = scratch.slots(from: 4 * count, count: count)
        let votes = scratch.slots(from: 5 * count, count: 3 * count)
        // Once the median spread is taken, the spreads' place holds the fresh quotes' deviations.
        let deviations = spreads
        var n = 0
        var spreadCount = 0
        var oldestFresh = Double.infinity
        // True while every fresh quote's confidence is `defaultConfidence` x its price.
        var defaultConfidences = true
        // Status changes collect here and are reported once, at the end.
        var changes: UInt64 = 0
        defer { changed |= changes }
        @inline(__always) func setStatus(_ j: Int, _ status: SourceStatus) {
            if src[j].status != status {
                src[j].previousStatus = src[j].status
                src[j].status = status
                if j < 64 { changes |= 1 &<< UInt64(j) }
            }
        }
        for j in 0..<count {
            guard src[j].enabled else {
                setStatus(j, .disabled)
                src[j].rawDeviation = .nan
                continue
            }
            let raw = src[j].rawPrice
            let qt = src[j].rawTime
            if raw.isNaN {
                setStatus(j, src[j].hasError ? .error : .waiting)
                continue
            }
            if t - qt >= rules.maxAgeSeconds {  // fresh means younger than max age
                setStatus(j, src[j].hasError ? .error : .stale)
                src[j].rawDeviation = .nan
                continue
            }
            var p = raw
            var c = src[j].rawConfidence
            if src[j].normalized {
                guard let f = normalizers?[j], !f.isNaN else {
                    src.setConversionError(j, "normalizing market has no price")
                    setStatus(j, .error)
                    continue
                }
                p = raw * f
                c *= f
                guard Quote.plausiblePrices.contains(p) else {
                    src.setConversionError(j, "normalized price is outside \(Quote.plausiblePricesText)")
                    setStatus(j, .error)
                    continue
                }
                if src[j].conversionFailed { src.clearConversionError(j) }
            }
            let spread = src[j].rawSpread
            if !(c > 0) { c = spread.isNaN ? 0 : spread * p / 2 }
            if !(c > 0) {
                c = rules.defaultConfidence * p
            } else {
                defaultConfidences = false
            }
            prices[n] = p
            sorted[n] = p
            confs[n] = c
            times[n] = qt
            index[n] = j
            oldestFresh = min(oldestFresh, qt)
            n &+= 1
            if !spread.isNaN {
                spreads[spreadCount] = spread
                spreadCount &+= 1
            }
        }
        var result = AggregateResult(
            price: nil,
            confidence: nil,
            priceTime: nil,
            health: .ok,
            freshSources: n,
            usedSources: 0,
            medianSpread: spreadCount == 0 ? nil : Aggregation.median(spreads, spreadCount)
        )
        guard n > 0 else {
            result.health = .quorumLost
            return result
        }
        // Outlier pre-filter and divergence against the median of fresh quotes.
        let med = Aggregation.median(sorted, n)
        var agree = 0
        for i in 0..<n {
            let signed = (prices[i] - med) / med
            let dev = abs(signed)
            deviations[i] = dev
            src[index[i]].rawDeviation = signed
            if dev <= rules.maxDeviation { agree &+= 1 }
        }
        var excludeBeyond = Double.infinity
        if rules.filtersOutliers {
            if agree &* 2 > n {
                excludeBeyond = rules.maxDeviation
            } else if (sorted[n &- 1] - sorted[0]) / med > rules.divergenceSpread {
                result.health = .divergence
            }
        }
        var used = 0
        var oldest = Double.infinity
        if agree == n || excludeBeyond == .infinity {
            // Nothing excluded (the usual case): every fresh quote is used, in place.
            for i in 0..<n { setStatus(index[i], .ok) }
            used = n
            oldest = oldestFresh
        } else {
            for i in 0..<n {
                let j = index[i]
                if deviations[i] > excludeBeyond {
                    setStatus(j, .outlier)
                    continue
                }
                setStatus(j, .ok)
                prices[used] = prices[i]
                confs[used] = confs[i]
                oldest = min(oldest, times[i])
                used &+= 1
            }
        }
        result.usedSources = used
        guard result.health == .ok else { return result }
        guard used >= rules.minSources, used > 0 else {
            result.health = .quorumLost
            return result
        }
        switch rules.method {
        case .median:
            // With nothing excluded the median of fresh quotes is already the answer. Either way
            // `sorted[0..<used]` now holds the used quotes in ascending order.
            var price = med
            if used != n {
                for i in 0..<used { sorted[i] = prices[i] }
                price = Aggregation.median(sorted, used)
            }
            // Confidence: the larger of the median source confidence and the median absolute deviation.
            // When every confidence is the default fraction of its price, the sorted confidences
            // are that fraction of the sorted prices (multiplying by a positive constant keeps
            // the order), so their median comes from `sorted` without another sort.
            var confidenceMedian = 0.0
            if defaultConfidences {
                let d = rules.defaultConfidence
                let m = used / 2
                confidenceMedian = used % 2 == 1 ? d * sorted[m] : (d * sorted[m - 1]) / 2 + (d * sorted[m]) / 2
            } else {
                confidenceMedian = Aggregation.median(confs, used)
            }
            for i in 0..<used { sorted[i] = abs(sorted[i] - price) }
            let mad = Aggregation.median(sorted, used)
            result.price = price
            result.confidence = max(mad, confidenceMedian)
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
