public import BreakwaterEngine
public import BreakwaterStore
import Logging

/// Source disables and enables shared by the replicas of one PostgreSQL database, as manual
/// halts are: a switch through any replica is written to the shared store, and every replica
/// applies what it reads there (``SharedOperatorSync``).
extension Monitor {
    /// Where operator source switches go for the other replicas; unset with one process.
    public func setSourceSwitchWriter(_ writer: @escaping @Sendable (SourceSwitchRecord) async throws -> Void) {
        sourceSwitchWriter = writer
    }

    /// Shares `change`, a switch this replica just made; why that failed, if it did. Stored, it
    /// stands against reads from before it; not stored, it stays pending (it holds on this
    /// replica, and is written when the store returns unless another replica switched that
    /// source meanwhile).
    func shareSourceSwitch(_ change: SourceSwitchRecord) async -> NotStored? {
        guard let writer = sourceSwitchWriter else { return nil }
        let id = sharedLedger.switchMade(change)
        do {
            try await writer(change)
            sharedLedger.switchWritten([change.market, change.source], id: id)
            return nil
        } catch {
            return NotStored(reason: "storage: \(error)", busy: (error as? StoreError)?.kind == .busy)
        }
    }

    /// Applies the source switches in `saved` (the shared store's) at `now`, epoch seconds: each
    /// source takes its stored switch (enabled when it has none) unless this replica made or
    /// applied one at least as new, as its operator made it, or holds one of its own not yet
    /// stored. Its events are committed at the next tick.
    public func applySharedSourceSwitches(_ saved: [SourceSwitchRecord], now: EpochSeconds) {
        let stored = Dictionary(saved.map { ([$0.market, $0.source], $0) }, uniquingKeysWith: { $1 })
        var changed: [Int] = []
        for (m, market) in marketIDs.enumerated() {
            for source in sourceIDs[m] {
                let key = [market, source]
                let r = stored[key]
                let (apply, dropped) = sharedLedger.switchRead(key, stored: r)
                if let dropped {
                    logger.notice(
                        "another replica switched this source while this replica's switch was not yet stored: theirs stands",
                        metadata: [
                            "market": "\(market)", "source": "\(source)",
                            "dropped": "enabled=\(dropped.change.enabled)",
                            "stored": "enabled=\(r?.enabled ?? true) by \(r?.changedBy ?? "-")",
                        ]
                    )
                }
                guard apply else { continue }
                let enabled = r?.enabled ?? true
                guard let j = engine.sourceIndex[m][source], engine.source(market: m, j).enabled != enabled else {
                    continue
                }
                engine.setSource(market: m, source: j, enabled: enabled, by: r?.changedBy ?? "another replica", at: now)
                unsavedMarkets.insert(m)
                if changed.last != m { changed.append(m) }
            }
        }
        if !changed.isEmpty { publish(changed, at: now) }
    }
}
