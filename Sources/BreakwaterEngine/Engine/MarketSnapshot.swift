/// An immutable view of one market at one time, for the API, metrics and replay.
public struct MarketSnapshot: Sendable, Equatable {
    public struct Source: Sendable, Equatable {
        public var id: String
        public var kind: String
        public var status: SourceStatus
        /// Last price in the source's own quote currency.
        public var price: Double?
        public var confidence: Double?
        public var spread: Double?
        public var quoteTime: EpochSeconds?
        /// Age of the last quote, seconds.
        public var ageSeconds: Double?
        /// Relative deviation from the median of fresh quotes (fraction).
        public var deviation: Double?
        public var error: String?
        public var accepted: Int
        public var rejected: Int
        /// Why the last refused quote was refused (a `QuoteRejection` code), if any was.
        public var lastRejected: String? = nil
    }

    public var id: String
    public var asOf: EpochSeconds
    public var price: Double?
    public var confidence: Double?
    public var priceTime: EpochSeconds?
    public var lastGoodPrice: Double?
    public var lastGoodPriceTime: EpochSeconds?
    public var health: OracleHealth
    public var freshSources: Int
    public var usedSources: Int
    public var minSources: Int
    public var maxAgeSeconds: Double
    public var medianSpread: Double?
    public var spreadWide: Bool
    public var sources: [Source]
    /// Volatility of one `sampleSeconds` step and annualized (fractions).
    public var volatilityPerStep: Double
    public var volatilityAnnualized: Double
    /// Margins as fractions of notional; `initialMargin` and `maintenanceMargin` are the
    /// larger side's (what a reader of one number must use).
    public var initialMargin: Double
    public var maintenanceMargin: Double
    /// Per side: longs lose on a fall, shorts on a rise.
    public var longMaintenanceMargin: Double
    public var shortMaintenanceMargin: Double
    public var longInitialMargin: Double
    public var shortInitialMargin: Double
    public var targetMaintenance: Double
    public var targetInitial: Double
    public var marginAtRiseBound: Bool
    public var state: BreakerState
    public var reasons: [ReasonCode]
    public var since: EpochSeconds
    public var until: EpochSeconds?
    public var reference: Double?
    public var lower: Double?
    public var upper: Double?
    public var actions: MarketActions
    public var manual: ManualHalt?
    public var bandHaltUntil: EpochSeconds?
    public var velocityHaltUntil: EpochSeconds?
    /// In a price-band limit: when it becomes a halt if the price is still outside the band.
    public var haltsAt: EpochSeconds? = nil
}

extension RiskEngine {
    /// Snapshot of market `i` at `t`.
    public func snapshot(market i: Int, at t: EpochSeconds) -> MarketSnapshot {
        let m = markets[i]
        let parameters = m.parameters
        let band = referenceBand(market: i)
        let breaker = m.breaker
        let margin = m.margin
        let aggregate = m.aggregate
        let sources = parameters.sources.indices.map { j in
            let k = Int(sourceRanges[i].first) + j
            let p = parameters.sources[j]
            let s = self.sources[k]
            return MarketSnapshot.Source(
                id: p.id,
                kind: p.kind,
                status: s.status,
                price: s.price,
                confidence: s.confidence,
                spread: s.spread,
                quoteTime: s.quoteTime,
                ageSeconds: s.age(at: t),
                deviation: s.deviation,
                error: s.hasError ? sourceErrors[k] : nil,
                accepted: s.accepted,
                rejected: s.rejected,
                lastRejected: s.lastRejectionCode
            )
        }
        return MarketSnapshot(
            id: parameters.id,
            asOf: t,
            price: aggregate.price,
            confidence: aggregate.confidence,
            priceTime: aggregate.priceTime,
            lastGoodPrice: m.lastGoodPrice,
            lastGoodPriceTime: m.lastGoodPriceTime,
            health: aggregate.health,
            freshSources: aggregate.freshSources,
            usedSources: aggregate.usedSources,
            minSources: parameters.aggregation.minSources,
            maxAgeSeconds: parameters.aggregation.maxAgeSeconds,
            medianSpread: aggregate.medianSpread,
            spreadWide: m.spreadWide,
            sources: sources,
            volatilityPerStep: m.volatility.volatilityPerStep,
            volatilityAnnualized: m.volatility.annualized,
            initialMargin: margin.initial,
            maintenanceMargin: margin.maintenance,
            longMaintenanceMargin: margin.longMaintenance,
            shortMaintenanceMargin: margin.shortMaintenance,
            longInitialMargin: margin.longInitial,
            shortInitialMargin: margin.shortInitial,
            targetMaintenance: margin.target,
            targetInitial: margin.targetInitial,
            marginAtRiseBound: margin.atRiseBound,
            state: m.state,
            reasons: m.reasons,
            since: m.since,
            until: breaker.until(at: t),
            reference: band.reference,
            lower: band.lower,
            upper: band.upper,
            actions: breaker.actions(at: t),
            manual: m.manualHalt,
            bandHaltUntil: breaker.bandHaltUntil,
            velocityHaltUntil: breaker.velocityHaltUntil,
            haltsAt: m.state == .limit ? breaker.limitHaltsAt : nil
        )
    }

    /// Market `i`'s band reference and the band around it, as its snapshot shows them (a tick
    /// posts these alone where only they moved: `TickChanges.referenceMoved`).
    public func referenceBand(market i: Int) -> (reference: Double?, lower: Double?, upper: Double?) {
        let ref = markets[i].referencePrice
        let halfWidth = markets[i].breaker.band
        return (ref, ref.map { $0 * (1 - halfWidth) }, ref.map { $0 * (1 + halfWidth) })
    }

    /// Snapshots of markets `indices` at `t`, in that order (one call: a caller holding the
    /// engine in an actor copies it for every call).
    public func snapshots(of indices: [Int], at t: EpochSeconds) -> [MarketSnapshot] {
        var out: [MarketSnapshot] = []
        out.reserveCapacity(indices.count)
        for i in indices { out.append(snapshot(market: i, at: t)) }
        return out
    }

    /// `referenceBand(market:)` of markets `indices`, in that order.
    public func referenceBands(of indices: [Int]) -> [(reference: Double?, lower: Double?, upper: Double?)] {
        var out: [(reference: Double?, lower: Double?, upper: Double?)] = []
        out.reserveCapacity(indices.count)
        for i in indices { out.append(referenceBand(market: i)) }
        return out
    }

    /// Snapshot of market `i` at the engine clock.
    public func snapshot(market i: Int) -> MarketSnapshot { snapshot(market: i, at: clock) }

    /// Snapshots of every market, in configuration order.
    public func snapshots() -> [MarketSnapshot] { markets.indices.map { snapshot(market: $0, at: clock) } }
}

extension MarketSnapshot {
    /// The same view read at `t`: `asOf` and every source's age move with the clock; every other
    /// field is as evaluated. Valid for `t` up to the next evaluation (the engine's tick), which
    /// is when a state, an `until` or an action can change.
    public func at(_ t: EpochSeconds) -> MarketSnapshot {
        var s = self
        s.asOf = t
        for j in s.sources.indices { s.sources[j].ageSeconds = s.sources[j].quoteTime.map { t - $0 } }
        return s
    }
}
