public import BreakwaterEngine
public import BreakwaterStore

/// The published margins and last good prices shared by the replicas of one PostgreSQL
/// database: the replica holding the alert lease alone stores its markets' states, and every
/// other replica adopts them at each read of the shared store (``SharedOperatorSync``), so
/// that all answer with the same margins within a second of the holder's change.
extension Monitor {
    /// Tells the monitor whether this replica holds the alert lease now (PostgreSQL); unset
    /// alone, where it always does.
    public func setAlertLeaseCheck(_ holds: @escaping @Sendable () -> Bool) {
        holdsAlertLease = holds
    }

    /// Adopts what `saved` (the shared store's market states) holds at `now`, epoch seconds,
    /// when another replica holds the alert lease: each market's maintenance margins per side
    /// (its own margin continues from them under its rate bounds) and its last good price when
    /// newer than this replica's own. The holder adopts nothing; on gaining the lease it stores
    /// every market's state at the next tick (what it adopted, continued by its own engine).
    public func adoptSharedMarketStates(_ saved: [MarketStateRecord], now: EpochSeconds) {
        let holds = holdsAlertLease?() ?? true
        defer { heldAlertLeaseAtLastSync = holds }
        if holds {
            if !heldAlertLeaseAtLastSync {
                handedStates = Array(repeating: nil, count: handedStates.count)
                unsavedMarkets.formUnion(engine.markets.indices)
            }
            return
        }
        var changed: [Int] = []
        for r in saved {
            guard let m = engine.marketIndex[r.market],
                engine.adoptShared(market: m, maintenance: r.maintenanceSides, lastGoodPrice: r.lastGood, at: now)
            else { continue }
            unsavedMarkets.insert(m)
            changed.append(m)
        }
        if !changed.isEmpty { publish(changed, at: now) }
    }
}
