public import BreakwaterEngine
public import BreakwaterStore
import Logging

/// Manual halts shared by the replicas of one PostgreSQL database: a halt or resume through
/// any replica is written to the shared store, and every replica applies what it reads there
/// (``SharedOperatorSync``). One made while the database is away holds on this replica and is
/// written when it returns, unless another replica changed that market's halt meanwhile
/// (``SharedOperatorLedger``).
extension Monitor {
    /// Where operator halts and resumes go for the other replicas; unset with one process.
    public func setManualHaltWriter(
        _ writer: @escaping @Sendable (String, ManualHalt?, EpochSeconds) async throws -> Void
    ) {
        manualHaltWriter = writer
    }

    /// The generation to capture just before reading the shared store, for
    /// ``applySharedManualHalts(_:readAt:now:)``.
    public var sharedReadGeneration: Int { sharedLedger.generation }

    /// Shares market `m`'s manual halt as it stands now, an operator's action at `now`; why that
    /// failed, if it did (the action then stays pending, and is written when the store returns).
    func shareManualHalt(_ m: Int, at now: EpochSeconds) async -> NotStored? {
        guard let writer = manualHaltWriter else { return nil }
        let (market, halt) = (marketIDs[m], engine.markets[m].manualHalt)
        let id = sharedLedger.haltMade(market, halt, at: now)
        do {
            try await writer(market, halt, now)
            sharedLedger.haltWritten(market, id: id)
            return nil
        } catch {
            return NotStored(reason: "storage: \(error)", busy: (error as? StoreError)?.kind == .busy)
        }
    }

    /// Applies the manual halts in `saved` (the shared store's market states, read in a read
    /// begun at generation `readAt`; nil: just now) at `now`, epoch seconds: each market whose
    /// halt differs from the engine's takes the stored one (a halt already past its end counts as
    /// none), except where this replica changed the halt after the read began or holds an action
    /// of its own not yet written; and each market's band and velocity halts begun by its last
    /// resume (`resumedAt`, through any replica) end. Its events are committed at the next tick.
    public func applySharedManualHalts(_ saved: [MarketStateRecord], readAt: Int? = nil, now: EpochSeconds) {
        let generation = readAt ?? sharedLedger.generation
        var rows = Dictionary(saved.map { ($0.market, $0.manual) }, uniquingKeysWith: { $1 })
        for market in sharedLedger.pendingHaltMarkets where rows[market] == nil { rows[market] = .some(nil) }
        var changed: [Int] = []
        for (market, stored) in rows.sorted(by: { $0.key < $1.key }) {
            guard let m = engine.marketIndex[market] else { continue }
            switch sharedLedger.haltRead(market, stored: stored, readAt: generation) {
            case .keep:
                continue
            case .superseded(let dropped, _):
                logger.notice(
                    "another replica changed this market's halt while this replica's action was not yet stored: theirs stands",
                    metadata: [
                        "market": "\(market)", "dropped": "\(dropped.map { "halt: \($0.reason)" } ?? "resume")",
                        "stored": "\(stored.map { "halt by \($0.by): \($0.reason)" } ?? "not halted")",
                    ]
                )
            case .apply:
                break
            }
            let wanted = stored.flatMap { h in (h.until.map { $0 > now } ?? true) ? h : nil }
            guard engine.markets[m].manualHalt != wanted else { continue }
            engine.applyShared(manual: wanted, market: m, at: now)
            unsavedMarkets.insert(m)
            changed.append(m)
        }
        // A resume through another replica also ends the band and velocity halts begun by then.
        for r in saved {
            guard let resumedAt = r.resumedAt, let m = engine.marketIndex[r.market],
                engine.applySharedResume(market: m, resumedAt: resumedAt, at: now)
            else { continue }
            unsavedMarkets.insert(m)
            changed.append(m)
        }
        if !changed.isEmpty { publish(changed, at: now) }
    }

    /// Writes this replica's operator actions made while the store was away and since confirmed
    /// (a read showed the store unchanged since), halts and source switches; stops at the first
    /// failure (the store is away again: the next pass tries again).
    public func sharePendingOperatorActions() async {
        if let writer = manualHaltWriter {
            for (market, p) in sharedLedger.pendingHalts.sorted(by: { $0.key < $1.key }) where p.confirmed {
                do { try await writer(market, p.halt, p.at) } catch { return }
                sharedLedger.haltWritten(market, id: p.id)
                logger.notice(
                    "stored a halt change made on this replica while the database was away",
                    metadata: ["market": "\(market)", "halted": "\(p.halt != nil)"]
                )
            }
        }
        if let writer = sourceSwitchWriter {
            for (key, p) in sharedLedger.pendingSwitches.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) })
            where p.confirmed {
                do { try await writer(p.change) } catch { return }
                sharedLedger.switchWritten(key, id: p.id)
                logger.notice(
                    "stored a source switch made on this replica while the database was away",
                    metadata: ["market": "\(key[0])", "source": "\(key[1])", "enabled": "\(p.change.enabled)"]
                )
            }
        }
    }
}
