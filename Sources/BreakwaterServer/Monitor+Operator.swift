public import BreakwaterEngine
import BreakwaterStore

/// Operator actions (halt, resume, a source switched off or on): each is applied to the engine,
/// stored, then published.
extension Monitor {
    public enum OperatorError: Error, Equatable {
        case unknownMarket
        case unknownSource
        case refused(String)
        /// Applied, but its events and the market's state could not be stored (why):
        /// it would not survive a restart, and its alerts wait until storage works again.
        case notSaved(NotStored)
        /// Applied on this replica, but the shared store (PostgreSQL) could not be reached (why):
        /// it holds on this replica only, and is written there when it returns (unless another
        /// replica changed the same halt or source meanwhile); until then no read of the store undoes it.
        case pendingShare(NotStored)
    }

    public func halt(
        market id: String,
        reason: String,
        by: String,
        durationSeconds: Double?,
        now: EpochSeconds
    ) async throws(OperatorError) {
        guard let m = engine.marketIndex[id] else { throw .unknownMarket }
        engine.halt(market: m, reason: reason, by: by, durationSeconds: durationSeconds, at: now)
        unsavedMarkets.insert(m)
        try await commitOperatorChange(m, at: now, shared: await shareManualHalt(m, at: now))
    }

    public func resume(market id: String, by: String, now: EpochSeconds) async throws(OperatorError) {
        guard let m = engine.marketIndex[id] else { throw .unknownMarket }
        if let refusal = engine.resume(market: m, by: by, at: now) {
            // Nothing was applied: the refusal is the answer, whether or not its event was stored.
            try? await commitOperatorChange(m, at: now)
            throw .refused(refusal.message)
        }
        unsavedMarkets.insert(m)
        try await commitOperatorChange(m, at: now, shared: await shareManualHalt(m, at: now))
    }

    public func setSource(
        market id: String,
        source: String,
        enabled: Bool,
        by: String,
        now: EpochSeconds
    ) async throws(OperatorError) {
        guard let m = engine.marketIndex[id] else { throw .unknownMarket }
        guard let s = engine.sourceIndex[m][source] else { throw .unknownSource }
        engine.setSource(market: m, source: s, enabled: enabled, by: by, at: now)
        unsavedMarkets.insert(m)
        let change = SourceSwitchRecord(market: id, source: source, enabled: enabled, changedBy: by, changedAt: now)
        try await commitOperatorChange(m, at: now, shared: await shareSourceSwitch(change))
    }

    /// Stores and publishes an operator's change to market `m`; throws `pendingShare` when
    /// sharing it with the other replicas failed (`shared`, why), `notSaved` when storing its
    /// events and the market's state failed.
    private func commitOperatorChange(
        _ m: Int,
        at now: EpochSeconds,
        shared: NotStored? = nil
    ) async throws(OperatorError) {
        unsavedMarkets.insert(m)
        let failure = await flushEvents(markets: [m])
        publish([m], at: now)
        if let shared { throw .pendingShare(shared) }
        if let failure { throw .notSaved(failure) }
    }
}
