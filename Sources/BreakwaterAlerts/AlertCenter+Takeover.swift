public import BreakwaterEngine
import BreakwaterStore

/// Taking the alert lease over from another replica (PostgreSQL) without losing a transition
/// that happened while nobody held it (the holder died, or the database was away).
extension AlertCenter {
    /// How far back a replica that does not hold the lease keeps what its engine reported,
    /// seconds: longer than a lease lasts, so that a takeover covers the whole gap.
    public static let rememberSeconds: Double = 20

    /// Keeps `changes` (committed at `now`, epoch seconds) while another replica holds the
    /// lease: the last ``rememberSeconds`` of them, at most 10,000 hand-overs.
    public func remember(_ changes: [MarketChange], now: EpochSeconds) {
        guard !changes.isEmpty else { return }
        remembered.append((changes.flatMap(\.events), changes.map(\.snapshot), now))
        remembered.removeAll { $0.now < now - Self.rememberSeconds }
        if remembered.count > 10_000 { remembered.removeFirst(remembered.count - 10_000) }
    }

    /// Takes over from the replica that held the lease before: reloads the alert state from
    /// the store, then applies the remembered events later than the store's last alert change
    /// (the ones the previous holder may not have lived to turn into alerts; the earlier ones
    /// it did) with the latest snapshot of each market, at `now`. Firing alerts whose
    /// condition ended meanwhile resolve; one that began opens. Returns the alerts changed.
    /// Until all of it is stored, ``isLoaded`` is false and the remembered events are kept:
    /// a takeover the store failed is done again by the next commit (``Alerting``).
    @discardableResult
    public func takeOver(now: EpochSeconds) throws -> [Alert] {
        isLoaded = false
        try reload()
        do {
            let since = try store.lastAlertChange() ?? -.infinity
            let events = remembered.flatMap(\.events).filter { $0.time > since }
            var latest: [String: MarketSnapshot] = [:]
            for entry in remembered { for s in entry.snapshots { latest[s.id] = s } }
            let changed = try process(events: events, snapshots: Array(latest.values), now: now)
            remembered = []
            return changed
        } catch {
            isLoaded = false
            throw error
        }
    }
}
