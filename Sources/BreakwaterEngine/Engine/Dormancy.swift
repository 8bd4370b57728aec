/// When the engine can next change without a new quote: the ticks before then may be skipped
/// (replay crosses a gap in its recording this way), with the same events at the same times
/// and the same state as if every tick had run.
///
/// A market is dormant when its last evaluation found no fresh source, left it untrusted (not
/// `normal`) and its margin at or above its target. Until another quote comes, every later
/// evaluation then computes the same: the aggregate stays empty (quotes only age), so the
/// oracle stays unhealthy, the state stays held and the margin can neither rise (its target
/// only moves with a volatility sample, which needs a price) nor fall (held); volatility and
/// velocity take no sample; the reference window only ages, to the same buckets whether it
/// is crossed in one step or in many. What still moves with time are the breaker's timers:
/// the end of warm-up and of a band, velocity or manual halt.
extension MarketState {
    /// Nil when this market may change at its next evaluation; otherwise the earliest time one
    /// of its timers ends (infinity when none runs), seconds since the epoch. `clock` is the
    /// time of its last evaluation.
    func dormantUntil(clock: EpochSeconds) -> EpochSeconds? {
        guard aggregate.freshSources == 0, aggregate.price == nil, state != .normal,
            margin.atOrAboveTarget, !breaker.needsReanchor
        else { return nil }
        var wake = EpochSeconds.infinity
        if breaker.warmingUntil > clock { wake = breaker.warmingUntil }
        if let until = breaker.bandHaltUntil { wake = min(wake, until) }
        if let until = breaker.velocityHaltUntil { wake = min(wake, until) }
        if breaker.manuallyHalted { wake = min(wake, breaker.manualUntil) }
        return wake
    }
}

extension RiskEngine {
    /// Nil when some market may change at the next evaluation without a quote; otherwise the
    /// earliest time a market's timer ends (infinity when none runs), seconds since the epoch.
    /// Advancing straight to any time before it emits no event and leaves the state that
    /// advancing tick by tick would (the clock, the margin's and the reference window's times).
    public var dormantUntil: EpochSeconds? {
        var wake = EpochSeconds.infinity
        for i in markets.indices {
            guard let until = markets[i].dormantUntil(clock: clock) else { return nil }
            wake = min(wake, until)
        }
        return wake
    }
}
