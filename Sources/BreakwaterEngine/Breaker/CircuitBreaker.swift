/// The circuit breaker of one market: price band, velocity, oracle health, manual halt and
/// warm-up, each with its own timer. Pure: every method takes the time.
///
/// All durations are seconds. Invariant: once untrusted, the oracle is trusted again only
/// after it has been healthy for `recoverySeconds` without interruption.
public struct CircuitBreaker: Sendable, Equatable {
    /// Half-width of the band (fraction); seconds in limit before a halt; band halt length.
    public let band: Double, limitSeconds: Double, haltSeconds: Double
    /// Velocity: largest move allowed (fraction) and halt length, seconds.
    public let velocityMove: Double, velocityHaltSeconds: Double
    /// Seconds of uninterrupted health before the oracle is trusted again.
    public let recoverySeconds: Double

    // Price band.
    /// When the aggregate left the band (state `limit`), or nil while inside.
    @PackedOptional public private(set) var limitSince: EpochSeconds? = nil
    /// Reference frozen while in `limit`.
    @PackedOptional public private(set) var frozenReference: Double? = nil
    @PackedOptional public private(set) var bandHaltUntil: EpochSeconds? = nil
    // Velocity.
    @PackedOptional public private(set) var velocityHaltUntil: EpochSeconds? = nil
    // Oracle health (its cause is declared with the small fields below).
    @PackedOptional public private(set) var healthySince: EpochSeconds? = nil
    // Warm-up.
    public private(set) var warmingUntil: EpochSeconds
    /// True while an operator's halt is set; `manualUntil` is when it ends (infinity: until
    /// resumed). The halt's reason and author live with the market (`MarketState.manualHalt`).
    public private(set) var manualUntil: EpochSeconds = .infinity
    public private(set) var manuallyHalted = false
    /// Set when a halt ended; the market re-anchors its reference and velocity window.
    public internal(set) var needsReanchor = false
    public private(set) var oracleCause: OracleHealth?

    public init(parameters: BreakerParameters, warmingUntil: EpochSeconds) {
        band = parameters.band
        limitSeconds = parameters.limitSeconds
        haltSeconds = parameters.haltSeconds
        velocityMove = parameters.velocity.move
        velocityHaltSeconds = parameters.velocity.haltSeconds
        recoverySeconds = parameters.recoverySeconds
        self.warmingUntil = warmingUntil
    }

    /// True while warming up: from the start until `warmingUntil` (start + `maxAgeMs`), so
    /// every source has had its full max age to deliver a quote, even once a quorum is in.
    @inline(__always)
    public func isWarming(at t: EpochSeconds) -> Bool { t < warmingUntil }

    /// Warms at least until `t` (a market converting through another warms while that one does).
    mutating func warm(until t: EpochSeconds) { warmingUntil = max(warmingUntil, t) }

    /// True while the oracle is unhealthy or recovering.
    public var oracleUntrusted: Bool { oracleCause != nil }

    /// Time the oracle becomes trusted if it stays healthy.
    public var trustedAgainAt: EpochSeconds? {
        guard oracleCause != nil, let since = healthySince else { return nil }
        return since + recoverySeconds
    }

    /// Expires halts whose time has come. Call first at every evaluation. Returns true when
    /// the manual halt ended.
    mutating func expireTimers(at t: EpochSeconds) -> Bool {
        var manualEnded = false
        if manuallyHalted && t >= manualUntil {
            // As after any halt, the band starts afresh from the re-anchored reference: a limit
            // from before the halt must not turn into a band halt at its end.
            endManualHalt()
            limitSince = nil
            frozenReference = nil
            needsReanchor = true
            manualEnded = true
        }
        if let until = bandHaltUntil, t >= until {
            bandHaltUntil = nil
            needsReanchor = true
        }
        if let until = velocityHaltUntil, t >= until {
            velocityHaltUntil = nil
            needsReanchor = true
        }
        return manualEnded
    }

    /// Applies the oracle's health at `t`.
    mutating func observeHealth(_ health: OracleHealth, at t: EpochSeconds) {
        if isWarming(at: t) { return }  // a source may still be on its way
        if health != .ok {
            oracleCause = health
            healthySince = nil
        } else if oracleCause != nil {
            let since = healthySince ?? t
            healthySince = since
            if t - since >= recoverySeconds {
                oracleCause = nil
                healthySince = nil
            }
        }
    }

    /// Applies the price band to `price` against `reference` (the current time-weighted
    /// mean, used unless a frozen one applies).
    mutating func observeBand(price: Double, reference: Double, at t: EpochSeconds) {
        guard bandHaltUntil == nil else { return }
        let ref = frozenReference ?? reference
        let outside = price > ref * (1 + band) || price < ref * (1 - band)
        if !outside {
            limitSince = nil
            frozenReference = nil
            return
        }
        guard let since = limitSince else {
            limitSince = t
            frozenReference = ref
            return
        }
        if t - since >= limitSeconds {
            bandHaltUntil = t + haltSeconds
            limitSince = nil
            frozenReference = nil
        }
    }

    /// Applies the velocity rule to the largest move (fraction) seen within the window.
    mutating func observeVelocity(move: Double, at t: EpochSeconds) {
        guard velocityHaltUntil == nil, move > velocityMove else { return }
        velocityHaltUntil = t + velocityHaltSeconds
        limitSince = nil
        frozenReference = nil
    }

    /// True while a band or velocity halt runs (the velocity window should not record).
    @inline(__always)
    var automaticHaltActive: Bool { bandHaltUntil != nil || velocityHaltUntil != nil }

    /// Halts until `until` (nil: until resumed).
    mutating func haltManually(until: EpochSeconds?) {
        manuallyHalted = true
        manualUntil = until ?? .infinity
    }

    private mutating func endManualHalt() {
        manuallyHalted = false
        manualUntil = .infinity
    }

    /// Ends manual, band and velocity halts and the band limit. The caller checks trust first.
    mutating func resume() {
        endManualHalt()
        bandHaltUntil = nil
        velocityHaltUntil = nil
        limitSince = nil
        frozenReference = nil
        needsReanchor = true
    }

    /// Ends what an operator's resume at `t` (epoch seconds) through another replica ended here:
    /// the band and velocity halts and the band limit that began at or before `t` (a halt begun
    /// later is a new one and stays). The manual halt is shared on its own. True when one ended.
    mutating func resumeShared(at t: EpochSeconds) -> Bool {
        var ended = false
        if let until = bandHaltUntil, until - haltSeconds <= t {
            bandHaltUntil = nil
            ended = true
        }
        if let until = velocityHaltUntil, until - velocityHaltSeconds <= t {
            velocityHaltUntil = nil
            ended = true
        }
        if let since = limitSince, since <= t {
            limitSince = nil
            frozenReference = nil
            ended = true
        }
        if ended { needsReanchor = true }
        return ended
    }

    /// Restores timers from storage (a market halted until 10:05 stays halted until 10:05).
    public mutating func restore(manual: ManualHalt?, bandHaltUntil: EpochSeconds?, velocityHaltUntil: EpochSeconds?) {
        if let manual { haltManually(until: manual.until) } else { endManualHalt() }
        self.bandHaltUntil = bandHaltUntil
        self.velocityHaltUntil = velocityHaltUntil
    }

    /// The combined state at `t`.
    @inline(__always)
    public func state(at t: EpochSeconds) -> BreakerState {
        if manuallyHalted || bandHaltUntil != nil || velocityHaltUntil != nil { return .halted }
        if limitSince != nil || oracleUntrusted || isWarming(at: t) { return .limit }
        return .normal
    }

    /// Active reasons as a bit set (cheap to compare on every evaluation).
    @inline(__always)
    func reasonMask(at t: EpochSeconds) -> UInt8 {
        var m: UInt8 = 0
        if manuallyHalted { m |= 1 }
        if velocityHaltUntil != nil { m |= 2 }
        if bandHaltUntil != nil || limitSince != nil { m |= 4 }
        if let cause = oracleCause { m |= cause == .divergence ? 16 : 8 }
        if isWarming(at: t) { m |= 32 }
        return m
    }

    /// Active reason codes, most severe first.
    public func reasons(at t: EpochSeconds) -> [ReasonCode] {
        var r: [ReasonCode] = []
        if manuallyHalted { r.append(.manual) }
        if velocityHaltUntil != nil { r.append(.velocity) }
        if bandHaltUntil != nil || limitSince != nil { r.append(.priceBand) }
        if let cause = oracleCause { r.append(cause == .divergence ? .divergence : .quorumLost) }
        if isWarming(at: t) { r.append(.warming) }
        return r
    }

    /// Recommended actions at `t`.
    public func actions(at t: EpochSeconds) -> MarketActions {
        if manuallyHalted { return MarketActions(trading: .halted, liquidations: .paused) }
        if bandHaltUntil != nil || velocityHaltUntil != nil {
            let trusted = !oracleUntrusted && !isWarming(at: t)
            return MarketActions(trading: .halted, liquidations: trusted ? .staged : .paused)
        }
        if oracleUntrusted || isWarming(at: t) { return MarketActions(trading: .reduceOnly, liquidations: .paused) }
        if limitSince != nil { return MarketActions(trading: .reduceOnly, liquidations: .enabled) }
        return MarketActions(trading: .open, liquidations: .enabled)
    }

    /// While in a price-band limit: when it becomes a halt if the price is still outside the band.
    public var limitHaltsAt: EpochSeconds? { limitSince.map { $0 + limitSeconds } }

    /// When the current state ends by itself, where known.
    public func until(at t: EpochSeconds) -> EpochSeconds? {
        switch state(at: t) {
        case .halted:
            if manuallyHalted {
                return manualUntil.isFinite
                    ? max(manualUntil, bandHaltUntil ?? manualUntil, velocityHaltUntil ?? manualUntil) : nil
            }
            return max(bandHaltUntil ?? -.infinity, velocityHaltUntil ?? -.infinity)
        case .limit:
            if limitSince != nil { return nil }
            if isWarming(at: t) { return warmingUntil }
            return trustedAgainAt
        case .normal:
            return nil
        }
    }
}
