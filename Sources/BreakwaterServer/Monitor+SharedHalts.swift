public import BreakwaterEngine
public import BreakwaterStore

/// Manual halts shared by the replicas of one PostgreSQL database: a halt or resume through
/// any replica is written to the shared store, and every replica applies what it reads there
/// (``SharedOperatorSync``).
extension Monitor {
    /// Where operator halts and resumes go for the other replicas; unset with one process.
    public func setManualHaltWriter(
        _ writer: @escaping @Sendable (String, ManualHalt?, EpochSeconds) async throws -> Void
    ) {
        manualHaltWriter = writer
    }

    /// Shares market `m`'s manual halt as it stands now; why that failed, if it did.
    func shareManualHalt(_ m: Int, at now: EpochSeconds) async -> NotStored? {
        guard let writer = manualHaltWriter else { return nil }
        do {
            try await writer(marketIDs[m], engine.markets[m].manualHalt, now)
            return nil
        } catch {
            return NotStored(reason: "storage: \(error)", busy: (error as? StoreError)?.kind == .busy)
        }
    }

    /// Applies the manual halts in `saved` (the shared store's market states) at `now`, epoch
    /// seconds: each market whose halt differs from the engine's takes the stored one (a halt
    /// already past its end counts as none). Its events are committed at the next tick.
    public func applySharedManualHalts(_ saved: [MarketStateRecord], now: EpochSeconds) {
        var changed: [Int] = []
        for r in saved {
            guard let m = engine.marketIndex[r.market] else { continue }
            let wanted = r.manual.flatMap { h in (h.until.map { $0 > now } ?? true) ? h : nil }
            guard engine.markets[m].manualHalt != wanted else { continue }
            engine.applyShared(manual: wanted, market: m, at: now)
            unsavedMarkets.insert(m)
            changed.append(m)
        }
        if !changed.isEmpty { publish(changed, at: now) }
    }
}
