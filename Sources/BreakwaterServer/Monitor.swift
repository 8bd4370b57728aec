public import BreakwaterConfig
public import BreakwaterEngine
public import BreakwaterFeeds
import BreakwaterStore
public import Logging
import NIOCore

/// The one actor that owns the live engine: it takes quotes (pushed or polled), ticks the
/// clock on the configured cadence, applies operator actions, publishes snapshots to the
/// board, and hands every engine event to `onEvents` before returning.
public actor Monitor: FeedSink {
    var engine: RiskEngine
    private var schedule: TickSchedule
    public let board: SnapshotBoard
    let config: BreakwaterConfig
    let logger: Logger
    /// One line per event, a source's status changes at most one line a second.
    private var eventLog: EventLog
    /// Called with each change (one `MarketChange` per market: its events in order and its
    /// snapshot after them) before the change is acknowledged, and on every tick (for reminders)
    /// with the markets whose saved state (`MarketStateRecord`) changed since they were last
    /// handed over (none when nothing did). When it throws, the events stay pending and are
    /// offered again with the next change.
    private var onEvents: (@Sendable ([MarketChange], EpochSeconds) async throws -> Void)?
    private var pendingEvents: [EngineEvent] = []
    /// Why the last hand-over of events failed, nil when it succeeded.
    private var handlerFailure: NotStored?
    /// A tick's hand-over still waiting for storage: the next ticks publish without starting another.
    private var tickFlushInFlight = false
    /// Most events held while the handler fails; beyond it the oldest are dropped (and counted),
    /// so a store that never comes back cannot grow memory without bound.
    static let maxPendingEvents = 10_000
    /// Events dropped that way since start-up.
    public private(set) var droppedEvents = 0
    /// Quotes received by `ingestPush` since start-up (accepted or not).
    public private(set) var pushedQuotes = 0
    /// When that error was last logged (engine clock, seconds).
    private var lastHandlerErrorLog: EpochSeconds = -.infinity
    private var feedStatistics: (@Sendable () async -> [FeedStatistics])?
    private var feedStats: [String: [String: FeedStatistics]] = [:]
    /// Per market: when it was last added to the status page's history (0 before).
    private var lastHistorySample: [EpochSeconds]
    /// Per market: its saved state (`updatedAt` 0) as last handed to `onEvents` without error;
    /// a tick hands over (and so stores) only the markets where it differs.
    var handedStates: [MarketStateRecord?]
    /// Markets whose saved state may differ from `handedStates` besides those a tick changes:
    /// touched by quotes, operators or a restore since the last tick (marked when the engine
    /// changed them, before any wait for storage), or not yet handed over.
    var unsavedMarkets = Set<Int>()
    /// Shares operator halts and resumes with the other replicas (PostgreSQL); nil alone.
    var manualHaltWriter: (@Sendable (String, ManualHalt?, EpochSeconds) async throws -> Void)?
    /// Shares operator source disables and enables with the other replicas (PostgreSQL); nil alone.
    var sourceSwitchWriter: (@Sendable (SourceSwitchRecord) async throws -> Void)?
    /// Whether this replica holds the alert lease (and so publishes the margins and last good
    /// prices the others adopt); nil alone (SQLite), where it always does.
    var holdsAlertLease: (@Sendable () -> Bool)?
    /// Whether it held the lease at the last read of the shared market states.
    var heldAlertLeaseAtLastSync = false
    /// What this replica last read of the shared operator actions, and its own not yet written.
    var sharedLedger = SharedOperatorLedger()
    /// False until a tick has published every market (later ticks publish what they changed).
    private var publishedEveryMarket = false
    /// False until the board's per-market arrays are sized (at the first publication).
    private var boardSized = false
    /// Every market's id, in engine order.
    let marketIDs: [String]
    /// Per market: its source ids in configuration order (the columns of its chart history).
    let sourceIDs: [[String]]
    /// How long a published answer may be acted on, seconds.
    public let validitySeconds: Double
    /// Spacing of the recent-history samples behind the status page chart (360 kept), seconds.
    let historyStepSeconds: Double
    /// Every market's margin backtest, fed by the tick (`Monitor+Model`).
    var model: ModelBacktests

    public init(
        config: BreakwaterConfig,
        start: EpochSeconds,
        board: SnapshotBoard = SnapshotBoard(),
        logger: Logger
    ) throws {
        self.config = config
        self.engine = try RiskEngine(
            markets: config.engineMarkets(),
            start: start,
            clockSkewSeconds: Double(config.server.clockSkewMs) / 1000
        )
        engine.notesTickChanges = true  // a tick posts only what it changed
        self.schedule = TickSchedule(tickSeconds: Double(config.server.tickMs) / 1000)
        self.board = board
        self.logger = logger
        self.eventLog = EventLog(logger: logger)
        self.validitySeconds = max(2, 8 * Double(config.server.tickMs) / 1000)
        self.historyStepSeconds = max(0.5, 20 * Double(config.server.tickMs) / 1000)
        self.handedStates = Array(repeating: nil, count: engine.markets.count)
        self.marketIDs = config.markets.map(\.id)
        self.sourceIDs = config.markets.map { $0.sources.map(\.id) }
        self.lastHistorySample = Array(repeating: 0, count: engine.markets.count)
        self.model = ModelBacktests(markets: engine.markets.map(\.parameters))
        board.update { $0.validitySeconds = validitySeconds }
    }

    public func setEventHandler(_ handler: @escaping @Sendable ([MarketChange], EpochSeconds) async throws -> Void) {
        onEvents = handler
    }

    public func setFeedStatistics(_ provider: @escaping @Sendable () async -> [FeedStatistics]) {
        feedStatistics = provider
    }

    /// The engine's markets (read-only copy, for restore and tests).
    public var markets: [MarketState] { Array(engine.markets) }
    public var clock: EpochSeconds { engine.clock }

    // MARK: - Time

    /// Advances the engine through every tick up to `now` and posts to the board the markets
    /// those ticks changed (every market at the first tick; see `TickChanges`): a snapshot for
    /// each (encoded on its first read), the new reference alone where only it moved, and the
    /// tick's time, at which every body is read (`asOf`, ages). Then hands the events and the
    /// markets whose saved state changed to storage: waiting for it when `waitForStorage`
    /// (start, stop, tests), else in the background, so that a database locked by another
    /// process does not hold back the cadence of the published answers.
    public func tick(now: EpochSeconds, waitForStorage: Bool = true) async {
        schedule.catchUp(&engine, to: now)
        if let provider = feedStatistics {
            var byMarket: [String: [String: FeedStatistics]] = [:]
            let all = await provider()
            for s in all { byMarket[s.market, default: [:]][s.source] = s }
            feedStats = byMarket
            board.update { $0.feeds = all }
        }
        let asOf = max(now, engine.clock)
        let changes = engine.takeTickChanges()
        let republished = publishedEveryMarket ? changes.changed : Array(engine.markets.indices)
        publishedEveryMarket = true
        let snapshots = Array(zip(republished, engine.snapshots(of: republished, at: asOf)))
        // The markets whose saved state differs from the one last handed over: among those
        // just snapshotted, and those quotes touched since the last tick or whose hand-over
        // has not succeeded yet (`unsavedMarkets`).
        var unhanded: [Int] = []
        for (i, s) in snapshots {
            unsavedMarkets.remove(i)
            if MarketStateRecord(s, updatedAt: 0) != handedStates[i] { unhanded.append(i) }
        }
        let others = Array(unsavedMarkets)
        for (i, s) in zip(others, engine.snapshots(of: others, at: asOf))
        where MarketStateRecord(s, updatedAt: 0) != handedStates[i] {
            unhanded.append(i)
        }
        unhanded.sort()
        unsavedMarkets = Set(unhanded)  // checked again at the next tick, handed over by then or not
        sampleHistory(engine.markets.indices, at: asOf)
        publishTick(snapshots, referenceMoved: changes.referenceMoved, at: asOf)
        await tickModel(at: asOf, waitForStorage: waitForStorage)
        if waitForStorage {
            await flushEvents(tick: true, markets: unhanded)
        } else if !tickFlushInFlight {
            tickFlushInFlight = true
            Task {
                await flushEvents(tick: true, markets: unhanded)
                tickFlushInFlight = false
            }
        }
    }

    /// Logs the source status changes still held by the event log (at shutdown).
    public func closeEventLog() { eventLog.logHeld(at: engine.clock, closingAll: true) }

    // MARK: - Quotes

    /// Applies pushed quotes for `source`; returns the index and reason of each refused quote.
    /// `notStored` is set when storage is failing (this push's events, or an earlier hand-over
    /// not yet retried): the quotes are applied but the push is not acknowledged.
    public func ingestPush(
        source: String,
        quotes: [PushQuote],
        now: EpochSeconds
    ) async -> (accepted: Int, rejected: [(Int, String)], notStored: NotStored?) {
        pushedQuotes += quotes.count
        var rejected: [(Int, String)] = []
        // Resolve ids first, then apply the known quotes as one batch (the engine prefetches
        // the next quotes' markets while it evaluates one).
        var batch: [Quote] = []
        var positions: [Int] = []
        batch.reserveCapacity(quotes.count)
        positions.reserveCapacity(quotes.count)
        for (i, q) in quotes.enumerated() {
            guard let m = engine.marketIndex[q.market] else {
                rejected.append((i, "unknown market \"\(APIError.echo(q.market))\""))
                continue
            }
            guard let s = engine.sourceIndex[m][source],
                engine.sourceKind(market: m, source: s) == SourceKind.push.rawValue
            else {
                rejected.append((i, "push source \"\(source)\" is not configured for \(q.market)"))
                continue
            }
            batch.append(Quote(market: m, source: s, price: q.price, confidence: q.confidence, time: q.time))
            positions.append(i)
        }
        var refusedInBatch = Set<Int>()
        for (k, reason) in engine.ingest(batch, at: now) {
            refusedInBatch.insert(k)
            rejected.append((positions[k], "\(reason.code): \(reason)"))
        }
        rejected.sort { $0.0 < $1.0 }
        var touched = Set<Int>()
        for (k, q) in batch.enumerated() where !refusedInBatch.contains(k) { touched.insert(q.market) }
        // A push that raised no event has nothing of its own to store, but while storage fails
        // it is not acknowledged either (the README's promise: pushes answer 503 until then).
        unsavedMarkets.formUnion(touched)
        let notStored = await flushEvents() ?? handlerFailure
        publish(touched.sorted(), at: now)
        return (quotes.count - rejected.count, rejected, notStored)
    }

    public func feedDidReceive(
        market: String,
        source: String,
        quote: FeedQuote,
        receivedAt: EpochSeconds,
        latencySeconds: Double
    ) async {
        guard let (m, s) = engine.locate(market: market, source: source) else { return }
        let q = Quote(
            market: m,
            source: s,
            price: quote.price,
            confidence: quote.confidence,
            spread: quote.relativeSpread,
            time: quote.time ?? receivedAt
        )
        if let reason = engine.ingest(q, at: receivedAt) {
            // A venue that keeps serving an old timestamp is stale (frozen), not failing.
            if case .tooOld = reason {
            } else {
                engine.reportSourceError(market: m, source: s, message: "quote refused: \(reason)", at: receivedAt)
            }
        }
        unsavedMarkets.insert(m)
        await flushEvents()
        publish([m], at: receivedAt)
    }

    public func feedDidFail(
        market: String,
        source: String,
        error: FeedError,
        at: EpochSeconds,
        latencySeconds: Double
    ) async {
        guard let (m, s) = engine.locate(market: market, source: source) else { return }
        engine.reportSourceError(market: m, source: s, message: error.description, at: at)
        unsavedMarkets.insert(m)
        await flushEvents()
        publish([m], at: at)
    }

    // MARK: - Publishing

    /// Hands drained events (and pending ones from a failed hand-over) to the handler, as one
    /// `MarketChange` per market (its events and its snapshot now).
    /// Returns why when the handler failed (the change is then not acknowledged), else nil.
    /// `markets` are stored along with the markets of the events (an operator's change must
    /// reach storage even when it caused no event, such as a halt on a halted market). A `tick`
    /// calls the handler even with nothing to hand over (reminders fall due with time).
    @discardableResult
    func flushEvents(tick: Bool = false, markets: [Int] = []) async -> NotStored? {
        guard engine.hasEvents || tick || !markets.isEmpty || !pendingEvents.isEmpty else { return nil }
        let fresh = engine.drainEvents()
        eventLog.log(fresh)
        if tick { eventLog.logHeld(at: engine.clock) }
        let events = pendingEvents + fresh
        pendingEvents = []
        guard let onEvents else { return nil }
        // No closure reads `engine`: it would copy it.
        var touched = Set(markets)
        var byMarket: [String: [EngineEvent]] = [:]
        for e in events {
            byMarket[e.market, default: []].append(e)
            if let i = engine.marketIndex[e.market] { touched.insert(i) }
        }
        let indices = touched.sorted()
        let changes = engine.snapshots(of: indices, at: engine.clock).map {
            MarketChange(snapshot: $0, events: byMarket[$0.id] ?? [])
        }
        do {
            try await onEvents(changes, engine.clock)
            for (i, c) in zip(indices, changes) { handedStates[i] = MarketStateRecord(c.snapshot, updatedAt: 0) }
            handlerFailure = nil
            return nil
        } catch {
            pendingEvents = events + pendingEvents
            if pendingEvents.count > Self.maxPendingEvents {
                // Storage down for long: keep the newest (the current state), count the rest.
                let dropped = pendingEvents.count - Self.maxPendingEvents
                pendingEvents.removeFirst(dropped)
                droppedEvents += dropped
                logger.error(
                    "events dropped while storage fails",
                    metadata: ["dropped": "\(dropped)", "droppedTotal": "\(droppedEvents)"]
                )
            }
            let message = "\(error)"
            // Every tick retries: log a new error at once, the same one once a minute.
            if message != handlerFailure?.reason || engine.clock - lastHandlerErrorLog >= 60 {
                logger.error(
                    "events not committed; will retry",
                    metadata: ["error": "\(message)", "pending": "\(pendingEvents.count)"]
                )
                lastHandlerErrorLog = engine.clock
            }
            let failure = NotStored(reason: message, busy: (error as? StoreError)?.kind == .busy)
            handlerFailure = failure
            return failure
        }
    }

    /// Republishes markets `indices` evaluated at `now` (or the engine clock, if later).
    func publish(_ indices: [Int], at now: EpochSeconds) {
        guard !indices.isEmpty else { return }
        let asOf = max(now, engine.clock)
        let snapshots = Array(zip(indices, engine.snapshots(of: indices, at: asOf)))
        sampleHistory(indices, at: asOf)
        publish(snapshots, at: asOf)
    }

    /// Posts a tick's `snapshots` (market index, view at `asOf`), the markets whose reference
    /// alone moved, and `asOf` itself to the board: every body is read at `asOf` (encoded on
    /// its next read), the all-markets and health bodies are built again on theirs.
    private func publishTick(_ snapshots: [(Int, MarketSnapshot)], referenceMoved: [Int], at asOf: EpochSeconds) {
        // Everything read from the engine first: the board's lock is held only to post.
        let first = firstPublication(at: asOf)
        let bands = zip(referenceMoved, engine.referenceBands(of: referenceMoved))
        let feedStats = self.feedStats
        board.update { p in
            Self.prepare(&p, first)
            for (i, s) in snapshots {
                p.markets[i] = s
                p.served[i] = true
                p.builtAt[i] = -.infinity
            }
            for (i, band) in bands {
                (p.markets[i].reference, p.markets[i].lower, p.markets[i].upper) = band
                p.builtAt[i] = -.infinity
            }
            if !feedStats.isEmpty { for (i, s) in p.markets.enumerated() { p.marketFeeds[i] = feedStats[s.id] ?? [:] } }
            p.asOf = max(p.asOf, asOf)
            p.allMarketsJSON = nil
            p.healthJSON = nil
        }
    }

    /// Every market's snapshot at `asOf` and the index by id, at the first publication (which
    /// sizes the board's per-market arrays); nil after it.
    private func firstPublication(at asOf: EpochSeconds) -> (markets: [MarketSnapshot], index: [String: Int])? {
        guard !boardSized else { return nil }
        boardSized = true
        return (engine.snapshots(of: Array(engine.markets.indices), at: asOf), engine.marketIndex)
    }

    /// Sizes the board's per-market arrays with `first` (`firstPublication`), when given.
    private static func prepare(
        _ p: inout SnapshotBoard.Published,
        _ first: (markets: [MarketSnapshot], index: [String: Int])?
    ) {
        guard let first else { return }
        let n = first.markets.count
        p.markets = first.markets
        p.index = first.index
        p.served = Array(repeating: false, count: n)
        p.bodies = Array(repeating: nil, count: n)
        p.builtAt = Array(repeating: -.infinity, count: n)
        p.marketFeeds = Array(repeating: [:], count: n)
    }

    /// Posts `snapshots` (market index, view at `asOf`) to the board; each body is encoded
    /// on its next read.
    private func publish(_ snapshots: [(Int, MarketSnapshot)], at asOf: EpochSeconds) {
        guard !snapshots.isEmpty else { return }
        let first = firstPublication(at: asOf)
        let feedStats = self.feedStats
        board.update { p in
            Self.prepare(&p, first)
            for (i, s) in snapshots {
                p.markets[i] = s
                // Markets with polled sources only (push-only setups skip the lookup).
                if !feedStats.isEmpty { p.marketFeeds[i] = feedStats[s.id] ?? [:] }
                p.served[i] = true
                p.builtAt[i] = -.infinity
            }
            p.asOf = max(p.asOf, asOf)
            // The all-markets and health bodies are built on the next read, not on every quote.
            p.allMarketsJSON = nil
            p.healthJSON = nil
        }
    }

    /// Adds the markets `indices` due for a sample (one per `historyStepSeconds`) to the status
    /// page's recent history at `asOf`, read from the engine (a tick snapshots only what it changed).
    private func sampleHistory(_ indices: some Sequence<Int>, at asOf: EpochSeconds) {
        var due: [(Int, HistorySample, [Double?])] = []
        for i in indices where asOf - lastHistorySample[i] >= historyStepSeconds {
            lastHistorySample[i] = asOf
            let m = engine.markets[i]
            let sample = HistorySample(
                time: asOf,
                price: m.aggregate.price,
                maintenance: m.margin.maintenance,
                target: m.margin.target,
                reference: m.referencePrice,
                bandHalfWidth: m.breaker.band,
                state: m.state
            )
            due.append((i, sample, sourceIDs[i].indices.map { engine.source(market: i, $0).deviation }))
        }
        guard !due.isEmpty else { return }
        board.update { p in
            for (i, sample, deviations) in due {
                let id = marketIDs[i]
                if p.history[id] == nil { p.history[id] = MarketHistory(sourceIDs: sourceIDs[i]) }
                p.history[id]!.append(sample, deviations: deviations)
            }
        }
    }
}
