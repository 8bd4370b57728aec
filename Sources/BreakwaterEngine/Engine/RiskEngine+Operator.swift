/// Operator actions: manual halt and resume, taking a source out and back in.
extension RiskEngine {
    /// Why a resume was refused (the server words it: times are written on the wire).
    public enum ResumeRefusal: Error, Equatable {
        case unknownMarket
        /// The oracle is still untrusted; resuming would act on a price nobody trusts.
        case oracleUntrusted(OracleHealth, trustedAgainAt: EpochSeconds?)
        /// The market is still warming up (its sources have not all had their max age to
        /// deliver since the start), so its price is not trusted yet either.
        case warming(until: EpochSeconds)
    }

    /// Halts a market by hand; `durationSeconds` nil halts until resumed.
    public mutating func halt(market i: Int, reason: String, by: String, durationSeconds: Double?, at now: EpochSeconds)
    {
        guard markets.indices.contains(i) else { return }
        advanceClock(now)
        let until = durationSeconds.flatMap { $0.isFinite && $0 > 0 ? clock + $0 : nil }
        markets[i].manualHalt = ManualHalt(reason: reason, by: by, since: clock, until: until)
        markets[i].breaker.haltManually(until: until)
        appendOperatorEvent(market: i, action: "halt", by: by, message: reason)
        evaluate(i)
    }

    /// Ends a manual, band or velocity halt, unless the oracle is untrusted.
    public mutating func resume(market i: Int, by: String, at now: EpochSeconds) -> ResumeRefusal? {
        guard markets.indices.contains(i) else { return .unknownMarket }
        advanceClock(now)
        evaluate(i)
        let b = markets[i].breaker
        if let cause = b.oracleCause { return .oracleUntrusted(cause, trustedAgainAt: b.trustedAgainAt) }
        if b.isWarming(at: clock) { return .warming(until: b.warmingUntil) }
        markets[i].breaker.resume()
        markets[i].manualHalt = nil
        appendOperatorEvent(market: i, action: "resume", by: by, message: nil)
        evaluate(i)
        return nil
    }

    /// Applies a manual halt set, or ended, through another replica sharing the database, as
    /// it was set there (same reason, author, start and end); nil ends it as a resume there
    /// did (band and velocity halts too). Changes nothing when `manual` is already in force.
    public mutating func applyShared(manual: ManualHalt?, market i: Int, at now: EpochSeconds) {
        guard markets.indices.contains(i), markets[i].manualHalt != manual else { return }
        advanceClock(now)
        if let h = manual {
            markets[i].manualHalt = h
            markets[i].breaker.haltManually(until: h.until)
            appendOperatorEvent(market: i, action: "halt", by: h.by, message: h.reason)
        } else {
            markets[i].breaker.resume()
            markets[i].manualHalt = nil
            appendOperatorEvent(market: i, action: "resume", by: "another replica", message: nil)
        }
        evaluate(i)
    }

    /// Applies an operator's resume at `resumedAt` (epoch seconds) through another replica
    /// sharing the database, at `now`: ends the band and velocity halts and the band limit that
    /// began by then (see ``CircuitBreaker``). Idempotent; true when something ended.
    @discardableResult
    public mutating func applySharedResume(market i: Int, resumedAt: EpochSeconds, at now: EpochSeconds) -> Bool {
        guard markets.indices.contains(i) else { return false }
        advanceClock(now)
        guard markets[i].breaker.resumeShared(at: resumedAt) else { return false }
        appendOperatorEvent(market: i, action: "resume", by: "another replica", message: nil)
        evaluate(i)
        return true
    }

    /// Takes a source out of (or back into) its market's aggregate.
    @discardableResult
    public mutating func setSource(
        market i: Int,
        source j: Int,
        enabled: Bool,
        by: String,
        at now: EpochSeconds
    ) -> Bool {
        guard let k = sourceIndex(market: i, source: j) else { return false }
        advanceClock(now)
        sources[k].enabled = enabled
        appendOperatorEvent(
            market: i,
            action: enabled ? "enable-source" : "disable-source",
            by: by,
            message: markets[i].parameters.sources[j].id
        )
        evaluate(i)
        return true
    }

    /// Restores persisted breaker timers, margins per side (fractions of notional) and last good
    /// price for a market (at start-up). The last good price is taken as ``adoptShared(market:maintenance:lastGoodPrice:at:)``
    /// takes it: a plausible price, not from after `now` (beyond the clock skew), newer than the
    /// market's own.
    public mutating func restore(
        market i: Int,
        manual: ManualHalt?,
        bandHaltUntil: EpochSeconds?,
        velocityHaltUntil: EpochSeconds?,
        maintenance: (long: Double, short: Double)?,
        lastGoodPrice: (price: Double, time: EpochSeconds)? = nil,
        at now: EpochSeconds
    ) {
        guard markets.indices.contains(i) else { return }
        let activeManual = manual.flatMap { h in (h.until.map { $0 > now } ?? true) ? h : nil }
        let band = bandHaltUntil.flatMap { $0 > now ? $0 : nil }
        let velocity = velocityHaltUntil.flatMap { $0 > now ? $0 : nil }
        markets[i].manualHalt = activeManual
        markets[i].breaker.restore(manual: activeManual, bandHaltUntil: band, velocityHaltUntil: velocity)
        let b = markets[i].breaker
        let p = markets[i].parameters.breaker
        if b.state(at: now) == .halted {
            // Still halted: since the earliest restored halt began, not since the restart (and no
            // transition event: the state did not change).
            let starts = [
                activeManual?.since, band.map { $0 - p.haltSeconds }, velocity.map { $0 - p.velocity.haltSeconds },
            ]
            markets[i].state = .halted
            markets[i].since = min(now, starts.compactMap { $0 }.min() ?? now)
            markets[i].reasonMask = b.reasonMask(at: now)
            markets[i].reasons = b.reasons(at: now)
        }
        if let mm = maintenance { markets[i].margin.restore(long: mm.long, short: mm.short, at: now) }
        if let last = lastGoodPrice { takeLastGoodPrice(last, market: i, at: now) }
    }
}
