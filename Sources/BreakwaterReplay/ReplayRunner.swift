public import BreakwaterEngine
import BreakwaterWire

/// Replays recorded prices through the engine in simulated time: the clock advances between
/// rows on the same cadence as `serve` (`TickSchedule`), so timers fire as they would live.
public struct ReplayRunner {
    public private(set) var engine: RiskEngine
    private var schedule: TickSchedule
    public private(set) var summary = ReplaySummary()
    private let onEvent: (EngineEvent) -> Void
    private let onZoneChange: (BacktestZoneChange, BacktestWindow, String) -> Void
    private var started = false
    /// Column order, from the header line when there is one (the first line that is not blank).
    private var columns = Columns.standard
    /// Why the header line was refused: the rows' columns are then unknown, and no row is
    /// read (by position, a `volume` column would have been taken for the confidence).
    public private(set) var headerProblem: String?
    private var sawFirstLine = false
    /// Time of the newest row given to the engine: after it plus `quietSeconds` nothing can
    /// happen without another row, so a long gap is crossed without ticking through it.
    private var lastRowTime: EpochSeconds?
    private let quietSeconds: Double
    /// Rows of the latest instant not yet applied, with their line numbers.
    private var pending: [(quote: Quote, line: Int)] = []
    private var pendingTime: EpochSeconds?
    /// Rows stamped `jumpSeconds` or more after the newest row applied (all with one time),
    /// held until a row stamped otherwise shows whether the recording really jumped there.
    private var heldJump: [(row: PriceRow, line: Int, market: Int, source: Int)] = []
    /// The smallest `maxAge` of the markets, seconds: a clock moved this far makes the rows
    /// stamped before the move too old for at least one market.
    private let jumpSeconds: Double
    public var badRowSampleLimit = 20

    /// - Parameters:
    ///   - tickSeconds: the engine cadence (config `server.tickMs` / 1000).
    ///   - onEvent: receives every engine event in order (e.g. to write JSON lines).
    ///   - onZoneChange: receives every change of a side's backtest zone (`MarginBacktest`), with
    ///     the window that caused it and the market id, in time order with the engine events.
    /// Rows stamped after this time plus the clock skew are refused (`time_in_future`).
    private let notAfter: EpochSeconds

    public init(
        markets: [MarketParameters],
        tickSeconds: Double,
        clockSkewSeconds: Double,
        notAfter: EpochSeconds = .infinity,
        onEvent: @escaping (EngineEvent) -> Void,
        onZoneChange: @escaping (BacktestZoneChange, BacktestWindow, String) -> Void = { _, _, _ in }
    ) throws {
        engine = try RiskEngine(markets: markets, start: 0, clockSkewSeconds: clockSkewSeconds)
        self.notAfter = notAfter
        self.schedule = TickSchedule(tickSeconds: tickSeconds)
        // Every timer a market can have running after its last quote: staleness, then a band
        // limit turning into a halt, the halt, a velocity halt, recovery; and two ticks.
        self.quietSeconds =
            markets.map { m in
                m.aggregation.maxAgeSeconds + m.breaker.limitSeconds + m.breaker.haltSeconds
                    + m.breaker.velocity.haltSeconds + m.breaker.recoverySeconds
            }.max().map { $0 + 2 * tickSeconds } ?? 0
        self.jumpSeconds = markets.map(\.aggregation.maxAgeSeconds).min() ?? .infinity
        self.onEvent = onEvent
        self.onZoneChange = onZoneChange
        self.summary.markets = markets.map { MarketReplaySummary(market: $0.id, backtest: MarginBacktest(market: $0)) }
    }

    /// Feeds one line from `LineSplitter` (`lineNumber` is 1-based, for error reports).
    public mutating func feed(_ line: LineSplitter.Line, lineNumber: Int) {
        switch line {
        case let .text(text):
            feed(line: text, lineNumber: lineNumber)
        case let .tooLong(bytes):
            summary.rows += 1
            bad(lineNumber, "a line of \(bytes) bytes (a row is a few dozen; is this a CSV?)")
        }
    }

    /// Feeds one CSV line (`lineNumber` is 1-based, for error reports). A first line naming
    /// the columns is a header: its order is used for every row.
    public mutating func feed(line: Substring, lineNumber: Int) {
        if line.trimmingSpaces.isEmpty || headerProblem != nil { return }
        defer { sawFirstLine = true }
        if !sawFirstLine, let header = Columns.header(line) {
            switch header {
            case let .success(c): columns = c
            case let .failure(e): headerProblem = "line \(lineNumber): \(e.message)"
            }
            return
        }
        summary.rows += 1
        switch PriceRow.parse(line, columns: columns) {
        case let .failure(e):
            bad(lineNumber, e.message)
        case let .success(row):
            feed(row, lineNumber: lineNumber)
        }
    }

    /// A row stamped `jumpSeconds` or more after the newest row applied is held, with the rows
    /// stamped the same, until a row stamped otherwise arrives. If that row is earlier than the
    /// held time by `jumpSeconds` or more, the recording goes on from before the jump: the held
    /// rows were mis-stamped and are refused (`time_in_future`) without moving the clock.
    /// Otherwise (and at the end of the input) the jump is a real gap and the held rows apply.
    mutating func feed(_ row: PriceRow, lineNumber: Int) {
        guard let (m, s) = engine.locate(market: String(row.market), source: String(row.source)) else {
            let known = engine.marketIndex[String(row.market)] != nil
            bad(
                lineNumber,
                known
                    ? "source \(PriceRow.shown(row.source)) is not configured for \(row.market)"
                    : "unknown market \(PriceRow.shown(row.market))"
            )
            return
        }
        if row.time > notAfter + engine.clockSkewSeconds {
            // The engine would refuse it too, but only after the row had moved the clock.
            refused(m, lineNumber, .timeInFuture(aheadSeconds: row.time - notAfter))
            return
        }
        if let heldTime = heldJump.first?.row.time {
            if row.time == heldTime {
                heldJump.append((row, lineNumber, m, s))
                return
            }
            if row.time <= heldTime - jumpSeconds { refuseHeldJump() } else { applyHeldJump() }
        }
        if let newest = summary.lastTime, row.time - newest >= jumpSeconds {
            heldJump.append((row, lineNumber, m, s))
            return
        }
        apply(row, market: m, source: s, lineNumber: lineNumber)
    }

    /// The held rows go back in time from the rows after them: refused, the clock unmoved.
    private mutating func refuseHeldJump() {
        let newest = summary.lastTime ?? 0
        for h in heldJump {
            refused(
                h.market,
                h.line,
                .timeInFuture(aheadSeconds: h.row.time - newest),
                note: "the rows after it go back in time"
            )
        }
        heldJump.removeAll()
    }

    /// The held rows open a real gap: applied in their order.
    private mutating func applyHeldJump() {
        let held = heldJump
        heldJump.removeAll()
        for h in held { apply(h.row, market: h.market, source: h.source, lineNumber: h.line) }
    }

    /// Gives a row to the engine's current instant (see `feed(_:lineNumber:)` for what may not).
    private mutating func apply(_ row: PriceRow, market m: Int, source s: Int, lineNumber: Int) {
        if row.time != pendingTime { ingestPending() }
        if !started {
            // Start the engine at the first row so warm-up counts from the recording's start,
            // and the tick cadence with it (timers fire between the first row and the next).
            started = true
            engine =
                (try? RiskEngine(
                    markets: engine.markets.map(\.parameters),
                    start: row.time,
                    clockSkewSeconds: engine.clockSkewSeconds
                )) ?? engine
            summary.firstTime = row.time
            schedule.start(at: row.time)
        }
        // The clock moves when a row with a later time arrives, through the ticks before it; the
        // rows of one instant are applied together once the next instant (or the end) shows
        // that they are all in, and the tick at their time runs after them: the state at t
        // includes the quotes stamped t (a source quoting exactly every max age stays fresh).
        if row.time > engine.clock { advance(before: row.time) }
        pending.append(
            (Quote(market: m, source: s, price: row.price, confidence: row.confidence, time: row.time), lineNumber)
        )
        pendingTime = row.time
        summary.lastTime = max(summary.lastTime ?? row.time, row.time)
    }

    /// Applies the rows of the current instant (see `RiskEngine.ingestSimultaneous`).
    private mutating func ingestPending() {
        guard let t = pendingTime, !pending.isEmpty else { return }
        let refusedRows = engine.ingestSimultaneous(pending.map(\.quote), at: max(engine.clock, t))
        var next = 0
        for (i, row) in pending.enumerated() {
            let m = row.quote.market
            if next < refusedRows.count, refusedRows[next].index == i {
                refused(m, row.line, refusedRows[next].reason)
                next += 1
            } else {
                summary.markets[m].quotes += 1
                lastRowTime = max(lastRowTime ?? t, t)
            }
        }
        pending.removeAll(keepingCapacity: true)
        pendingTime = nil
        drain()
    }

    /// Advances through the ticks before `t` (not at it).
    mutating func advance(before t: EpochSeconds) { advance(to: t.nextDown) }

    /// Advances through ticks up to `t`, recording margins and backtest observations per tick
    /// (engine events first, then the zone changes of the windows this tick finished).
    public mutating func advance(to t: EpochSeconds) {
        schedule.catchUp(&engine, to: t, quietFrom: lastRowTime.map { $0 + quietSeconds })
        drain()
        for i in engine.markets.indices {
            let m = engine.markets[i]
            summary.markets[i].minMaintenance = min(summary.markets[i].minMaintenance, m.margin.maintenance)
            summary.markets[i].maxMaintenance = max(summary.markets[i].maxMaintenance, m.margin.maintenance)
            let margins = PublishedMargins(
                longMaintenance: m.margin.longMaintenance,
                longInitial: m.margin.longInitial,
                shortMaintenance: m.margin.shortMaintenance,
                shortInitial: m.margin.shortInitial
            )
            let outcome = summary.markets[i].backtest.observe(
                price: m.aggregate.price,
                margins: margins,
                at: engine.clock
            )
            for c in outcome?.zoneChanges ?? [] {
                summary.events += 1
                onZoneChange(c, outcome!.window, m.parameters.id)
            }
        }
    }

    /// Ends the replay: applies the last instant's rows, runs the clock to the last row and
    /// closes open halts.
    public mutating func finish() {
        applyHeldJump()  // nothing after it went back in time
        ingestPending()
        if let last = summary.lastTime { advance(to: last) }
        for i in summary.markets.indices {
            if let since = summary.markets[i].haltedSince {
                summary.markets[i].secondsHalted += engine.clock - since
                summary.markets[i].haltedSince = nil
            }
        }
    }

    /// A row the engine refused: counted under its reason, the first ones listed with their line.
    private mutating func refused(_ market: Int, _ line: Int, _ reason: QuoteRejection, note: String? = nil) {
        summary.markets[market].rejected[reason.code, default: 0] += 1
        summary.refusedRows += 1
        if summary.refusedRowSamples.count < badRowSampleLimit {
            let why = note.map { "\(reason); \($0)" } ?? "\(reason)"
            summary.refusedRowSamples.append((line, "\(summary.markets[market].market): \(reason.code) (\(why))"))
        }
    }

    private mutating func bad(_ line: Int, _ message: String) {
        summary.badRows += 1
        if summary.badRowSamples.count < badRowSampleLimit { summary.badRowSamples.append((line, message)) }
    }

    private mutating func drain() {
        guard engine.hasEvents else { return }
        for e in engine.drainEvents() {
            summary.events += 1
            onEvent(e)
            guard e.kind == .breakerTransition, let i = engine.marketIndex[e.market] else { continue }
            // A market without a row yet has no finding to report (its quorum is lost from the start).
            if e.to != e.from || e.reasons != e.fromReasons, e.to != "normal", summary.markets[i].inInput {
                let added = e.reasons.filter { !e.fromReasons.contains($0) }.map(\.rawValue)
                for r in added { summary.markets[i].trips[r, default: 0] += 1 }
                if !added.isEmpty {
                    summary.tripCount += 1
                    if summary.tripSamples.count < summary.tripSampleLimit {
                        summary.tripSamples.append(
                            ReplayTrip(time: e.time, market: e.market, from: e.from, to: e.to, reasons: added)
                        )
                    }
                }
            }
            if e.to == "halted", summary.markets[i].haltedSince == nil { summary.markets[i].haltedSince = e.time }
            if e.to != "halted", let since = summary.markets[i].haltedSince {
                summary.markets[i].secondsHalted += e.time - since
                summary.markets[i].haltedSince = nil
            }
        }
    }
}
