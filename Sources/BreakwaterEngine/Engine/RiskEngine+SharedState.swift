/// The published margins and last good price a replica takes from the one that publishes for
/// all (the holder of the alert lease, on a shared database), so that every replica answers
/// with the same margins and the freshest last good price any of them saw.
extension RiskEngine {
    /// Adopts, for market `i` at `now` (epoch seconds), the maintenance margins per side
    /// (fractions of notional; its margin continues from them under its rate bounds) and the
    /// last good price when it is newer than the market's own (see ``takeLastGoodPrice(_:market:at:)``).
    /// True when the market's margins or last good price changed. Emits no event: nothing
    /// happened to the market, another replica's figures were taken.
    @discardableResult
    public mutating func adoptShared(
        market i: Int,
        maintenance: (long: Double, short: Double)?,
        lastGoodPrice: (price: Double, time: EpochSeconds)?,
        at now: EpochSeconds
    ) -> Bool {
        guard markets.indices.contains(i) else { return false }
        advanceClock(now)
        var changed = false
        if let mm = maintenance {
            let before = markets[i].margin
            markets[i].margin.restore(long: mm.long, short: mm.short, at: clock)
            let after = markets[i].margin
            changed =
                before.longMaintenance != after.longMaintenance
                || before.shortMaintenance != after.shortMaintenance
        }
        if let last = lastGoodPrice, takeLastGoodPrice(last, market: i, at: clock) { changed = true }
        return changed
    }

    /// Takes `last` as market `i`'s last good price when it is a plausible price, no later than
    /// `now` plus the clock skew allowed to quotes (epoch seconds), and newer than the market's
    /// own (or the market has none). True when taken.
    @discardableResult
    mutating func takeLastGoodPrice(
        _ last: (price: Double, time: EpochSeconds),
        market i: Int,
        at now: EpochSeconds
    ) -> Bool {
        guard Quote.plausiblePrices.contains(last.price), last.time.isFinite, last.time <= now + clockSkewSeconds,
            markets[i].lastGoodPriceTime.map({ last.time > $0 }) ?? true
        else { return false }
        markets[i].lastGoodPrice = last.price
        markets[i].lastGoodPriceTime = last.time
        return true
    }
}
