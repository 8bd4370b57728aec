public import BreakwaterEngine
import BreakwaterStore
import Logging

extension Monitor {
    /// Restores the halts, margins and last good prices `saved` before the last stop (at
    /// start-up, before serving), as of `now` (epoch seconds); logs each halt still in force.
    func restore(_ saved: [MarketStateRecord], now: EpochSeconds, logger: Logger) {
        for r in saved {
            restore(
                market: r.market,
                manual: r.manual,
                bandHaltUntil: r.bandHaltUntil,
                velocityHaltUntil: r.velocityHaltUntil,
                maintenance: r.maintenanceSides,
                lastGoodPrice: r.lastGood,
                now: now
            )
            if r.manual != nil || r.bandHaltUntil.map({ $0 > now }) == true
                || r.velocityHaltUntil.map({ $0 > now }) == true
            {
                logger.notice(
                    "restored halt",
                    metadata: [
                        "market": "\(r.market)", "manual": "\(r.manual?.reason ?? "-")",
                        "until": "\(r.manual?.until ?? r.bandHaltUntil ?? r.velocityHaltUntil ?? 0)",
                    ]
                )
            }
        }
    }

    /// Restores persisted breaker state and margins per side (fractions of notional; at
    /// start-up, before serving).
    public func restore(
        market id: String,
        manual: ManualHalt?,
        bandHaltUntil: EpochSeconds?,
        velocityHaltUntil: EpochSeconds?,
        maintenance: (long: Double, short: Double)?,
        lastGoodPrice: (price: Double, time: EpochSeconds)? = nil,
        now: EpochSeconds
    ) {
        guard let m = engine.marketIndex[id] else { return }
        engine.restore(
            market: m,
            manual: manual,
            bandHaltUntil: bandHaltUntil,
            velocityHaltUntil: velocityHaltUntil,
            maintenance: maintenance,
            lastGoodPrice: lastGoodPrice,
            at: now
        )
        engine.advance(to: now)
        unsavedMarkets.insert(m)
        publish([m], at: now)
    }
}
