import BreakwaterEngine
import BreakwaterStore

/// What one replica on a shared PostgreSQL database knows of the operator actions there (manual
/// halts and source switches): what it last read from the store, its own actions not yet written
/// there (made while the database was away: pending), and a generation that orders its reads
/// against its own changes. Pure bookkeeping, no I/O; the Monitor owns one.
///
/// Invariants: a read taken at generation `g` (``generation`` just before the read began) says
/// nothing of a halt this replica changed after `g` (``haltChanged``); a pending action is never
/// undone by a read, and is written only once a read showed the store unchanged since the action's
/// base (what this replica had last read when it was made).
struct SharedOperatorLedger {
    /// A halt or resume made here and not yet written to the store.
    struct PendingHalt: Equatable {
        /// The halt to write (nil: the market resumed).
        var halt: ManualHalt?
        /// The store's halt as this replica had last read (or written) it when the action was made.
        var base: ManualHalt?
        /// When the operator acted, epoch seconds.
        var at: EpochSeconds
        /// Tells this action from a later one on the same market.
        var id: Int
        /// True once a read showed the store still at `base`: it may be written.
        var confirmed = false
    }

    /// A source switch made here and not yet written to the store.
    struct PendingSwitch: Equatable {
        var change: SourceSwitchRecord
        /// The operator time of the last switch of that source this replica had read or made
        /// before this one (nil: none); a stored switch later than that one was made elsewhere.
        var base: EpochSeconds?
        var id: Int
        var confirmed = false
    }

    /// What to do with a market's halt read from the store.
    enum HaltDecision: Equatable {
        /// Apply the stored halt (nil: none) as another replica set it.
        case apply(ManualHalt?)
        /// Keep this replica's: the read predates its own change, or its pending action stands.
        case keep
        /// Another replica changed the halt while this replica's action was pending: the stored
        /// one stands; this one is dropped.
        case superseded(dropped: ManualHalt?, stored: ManualHalt?)
    }

    /// Bumped by every change this replica makes to a halt (when made and when written).
    private(set) var generation = 0
    /// Per market id: the generation of this replica's last change to its halt.
    private var haltChangedAt: [String: Int] = [:]
    /// Per market id: the manual halt the store held when last read (or written) here; no entry: none.
    private var storedHalts: [String: ManualHalt] = [:]
    private(set) var pendingHalts: [String: PendingHalt] = [:]
    /// Per [market, source] id: the operator time (epoch seconds) of the last switch this replica
    /// made or applied; a stored switch no newer is not applied (a read from before our own).
    private var switchTimes: [[String]: EpochSeconds] = [:]
    private(set) var pendingSwitches: [[String]: PendingSwitch] = [:]
    private var nextID = 0

    // MARK: - Halts

    /// Records this replica's halt (or resume, nil) of `market` at `at`, pending until written;
    /// returns its id for ``haltWritten(_:id:)``.
    mutating func haltMade(_ market: String, _ halt: ManualHalt?, at: EpochSeconds) -> Int {
        nextID += 1
        let base = pendingHalts[market]?.base ?? storedHalts[market]
        pendingHalts[market] = PendingHalt(halt: halt, base: base, at: at, id: nextID)
        stampHalt(market)
        return nextID
    }

    /// The action `id` on `market` is in the store now: the store holds its halt, and it is no
    /// longer pending unless a later action replaced it.
    mutating func haltWritten(_ market: String, id: Int) {
        guard let p = pendingHalts[market], p.id == id else { return }
        storedHalts[market] = p.halt
        pendingHalts[market] = nil
        stampHalt(market)
    }

    /// Decides for `market`, whose store held `stored` in a read begun at generation `readAt`.
    mutating func haltRead(_ market: String, stored: ManualHalt?, readAt: Int) -> HaltDecision {
        if (haltChangedAt[market] ?? 0) > readAt { return .keep }
        defer { storedHalts[market] = stored }
        guard var p = pendingHalts[market] else { return .apply(stored) }
        if stored == p.halt {
            // The store already holds this replica's action (written before its answer was lost).
            pendingHalts[market] = nil
            return .keep
        }
        if stored == p.base {
            p.confirmed = true
            pendingHalts[market] = p
            return .keep
        }
        pendingHalts[market] = nil
        return .superseded(dropped: p.halt, stored: stored)
    }

    /// Markets with a pending halt (a read covers them even when the store has no row for them).
    var pendingHaltMarkets: [String] { pendingHalts.keys.sorted() }

    private mutating func stampHalt(_ market: String) {
        generation += 1
        haltChangedAt[market] = generation
    }

    // MARK: - Source switches

    /// Records this replica's switch `change`, pending until written; returns its id.
    mutating func switchMade(_ change: SourceSwitchRecord) -> Int {
        nextID += 1
        let key = [change.market, change.source]
        let base = pendingSwitches[key]?.base ?? switchTimes[key]
        pendingSwitches[key] = PendingSwitch(change: change, base: base, id: nextID)
        switchTimes[key] = change.changedAt
        return nextID
    }

    /// The switch `id` is in the store now.
    mutating func switchWritten(_ key: [String], id: Int) {
        guard pendingSwitches[key]?.id == id else { return }
        pendingSwitches[key] = nil
    }

    /// Whether the stored switch `stored` of `key` (nil: none) is to be applied: not while this
    /// replica's own pending switch stands (confirmed when the store did not change since its
    /// base), nor when this replica made or applied one at least as new. Returns the pending
    /// switch dropped because another replica switched the source meanwhile, if one was.
    mutating func switchRead(_ key: [String], stored: SourceSwitchRecord?) -> (apply: Bool, dropped: PendingSwitch?) {
        if var p = pendingSwitches[key] {
            let storedTime = stored?.changedAt ?? -.infinity
            let ours = stored.map { $0.enabled == p.change.enabled && $0.changedBy == p.change.changedBy } ?? false
            if storedTime <= (p.base ?? -.infinity) || (ours && storedTime >= p.change.changedAt) {
                p.confirmed = storedTime <= (p.base ?? -.infinity)
                pendingSwitches[key] = p.confirmed ? p : nil
                return (false, nil)
            }
            pendingSwitches[key] = nil
            switchTimes[key] = stored?.changedAt
            return (true, p)
        }
        if let applied = switchTimes[key], applied >= stored?.changedAt ?? -.infinity { return (false, nil) }
        switchTimes[key] = stored?.changedAt
        return (true, nil)
    }
}
