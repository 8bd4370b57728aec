import BreakwaterEngine

/// What a database behind ``RiskStateStore`` does: SQLite (``SQLiteBackend``, one process) or
/// PostgreSQL (``PostgresBackend``, shared by several replicas). Every method is synchronous,
/// may block its thread, commits before it returns and throws ``StoreError``. Business rules
/// and the in-memory outbox counts stay in ``RiskStateStore``; a backend only stores.
protocol StoreBackend: Sendable {
    /// Where the data lives, for errors and logs (a file path, or a URL without its password).
    var location: String { get }
    /// True when several processes may share the database (PostgreSQL).
    var isShared: Bool { get }
    /// Inserts or updates the batch's alerts, enqueues its deliveries and records its margin
    /// notices, in one transaction: all of it, or nothing when any row fails.
    func record(_ batch: AlertBatch) throws
    func firingAlerts() throws -> [AlertRecord]
    /// The latest `updatedAt` of any alert (epoch seconds), nil with none.
    func lastAlertChange() throws -> EpochSeconds?
    /// Up to `limit` alerts newest first (by start time, then id), strictly before `after`.
    func listAlerts(
        status: AlertStatus?,
        market: String?,
        type: String?,
        limit: Int,
        after: (startsAt: Double, id: String)?
    ) throws -> [AlertRecord]
    func alert(id: String) throws -> AlertDetail?
    func marginNotices() throws -> [String: Double]
    func loadMarketStates() throws -> [MarketStateRecord]
    /// Saves the markets' states. PostgreSQL leaves the manual halt columns as they are: only
    /// ``saveManualHalt(market:halt:at:)`` writes them (replicas share them; a replica that has
    /// not yet applied another's halt must not erase it).
    func saveMarketStates(_ states: [MarketStateRecord]) throws
    /// Records the manual halt of `market` set (or ended by a resume, nil: `resumedAt` becomes
    /// `time`) by an operator at `time`.
    func saveManualHalt(market: String, halt: ManualHalt?, at time: EpochSeconds) throws
    /// Records an operator's disable or enable of a source, replacing that source's last one; its
    /// stored `changedAt` is at least 1 ms after the one it replaces (replicas' clocks differ:
    /// the last switch stored is the newest).
    func saveSourceSwitch(_ change: SourceSwitchRecord) throws
    /// The last disable or enable of every source switched by an operator, by market, then source.
    func loadSourceSwitches() throws -> [SourceSwitchRecord]
    /// Stores finished margin backtest windows; a window already stored (same market and end,
    /// as another replica on the same grid stores it) is kept once.
    func saveBacktestWindows(_ windows: [BacktestWindowRecord]) throws
    /// Every stored backtest window, by market, then end time.
    func loadBacktestWindows() throws -> [BacktestWindowRecord]
    func dueDeliveries(destination: String, now: EpochSeconds, limit: Int) throws -> [DeliveryRecord]
    func nextDueTime(destination: String) throws -> EpochSeconds?
    /// Inserts `attempt` and sets its delivery's status, error and (when not nil) next attempt
    /// time; returns the delivery's destination and status before, nil when there is none.
    func recordAttempt(
        _ attempt: DeliveryAttempt,
        status: DeliveryStatus,
        lastError: String?,
        nextAttemptAt: EpochSeconds?
    ) throws -> (destination: String, status: DeliveryStatus)?
    func markSending(_ id: String, at time: EpochSeconds) throws
    /// Claims delivery `d` (as fetched, `attempts` included) for `holder` from `start` until
    /// `until` (epoch seconds) and marks its attempt begun; false when it is no longer due as
    /// fetched or another holder's claim still holds. A claim that expired unfinished is
    /// recorded as an interrupted attempt (`interruptedError`) first.
    func claim(
        _ d: DeliveryRecord,
        holder: String,
        at start: EpochSeconds,
        until: EpochSeconds,
        interruptedError: String
    ) throws -> Bool
    /// Takes or renews lease `name` for `holder` for `seconds` (the database's clock); true
    /// when `holder` holds it now.
    func holdLease(_ name: String, holder: String, seconds: Double) throws -> Bool
    /// Records every begun attempt without an outcome as interrupted (see
    /// ``RiskStateStore/recordInterruptedAttempts()``); returns their delivery ids.
    func recordInterruptedAttempts(error: String) throws -> [String]
    func delivery(id: String) throws -> DeliveryRecord?
    func deliveries(destination: String?) throws -> [DeliveryRecord]
    func countDeliveries() throws -> [String: [DeliveryStatus: Int]]
    func lastAttempts() throws -> [String: LastAttempt]
    /// See ``RiskStateStore/pruneBatch(before:limit:)``; also returns the destination and
    /// status of each delivery deleted.
    func pruneBatch(before cutoff: EpochSeconds, limit: Int) throws -> (PruneResult, [(String, DeliveryStatus)])
    /// Rewrites the heartbeat row at `now` (epoch seconds): proves the database takes writes.
    func writeHeartbeat(now: EpochSeconds) throws
    /// Throws when the database can no longer be the one written (an SQLite file deleted under
    /// us); cheap, no query.
    func checkStillThere() throws
}
