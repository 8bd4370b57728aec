public import BreakwaterConfig
public import BreakwaterEngine
public import BreakwaterStore
public import Logging

/// Turns market changes (engine events and the market snapshot after them) into alerts with a lifecycle, and enqueues their notifications.
///
/// Deterministic given its inputs: time comes in as a parameter (epoch seconds) and ids from `makeID`.
/// Everything one call changes (every alert it opens, resolves or reminds, their notifications and the margins
/// announced) is committed to the store in one transaction before the call returns (see ``storing(_:)``); if the
/// store throws, nothing is stored, nothing changes in memory (the next call retries) and the caller should treat
/// the events as not acknowledged. Runs on the store's write queue (its commits block there, not on Swift's
/// cooperative pool, while another process holds the database locked).
/// Each alert that fires (a one-shot notification included) or resolves is one log line once its call's
/// transaction is committed: `alert.firing` or `alert.resolved` with its type, market, severity and summary.
public actor AlertCenter {
    let store: RiskStateStore
    public nonisolated var unownedExecutor: UnownedSerialExecutor { store.writes.asUnownedSerialExecutor() }
    let config: AlertsConfig
    let destinations: [Destination]
    let makeID: @Sendable (String) -> String
    let onEnqueue: @Sendable () -> Void
    let logger: Logger
    /// Firing alerts by fingerprint.
    var firing: [String: Alert] = [:]
    /// Last notice time per fingerprint and destination id, epoch seconds.
    var lastSent: [String: [String: EpochSeconds]] = [:]
    /// Fingerprints loaded from storage whose condition the engine has not confirmed since start-up.
    var reattached: Set<String> = []
    /// Last announced maintenance margin per market (fraction).
    var marginNotified: [String: Double]
    /// `source.degraded` conditions waiting out `config.sourceDegradedForSeconds`, by
    /// fingerprint: the latest condition and when it began (epoch seconds).
    var held: [String: (condition: AlertCondition, since: EpochSeconds)] = [:]
    /// What the engine reported while another replica held the alert lease (see ``remember(_:now:)``).
    var remembered: [(events: [EngineEvent], snapshots: [MarketSnapshot], now: EpochSeconds)] = []
    /// True once the alert state was loaded from the store (at init, or by ``reload()``); false
    /// again while a takeover is not wholly stored (``takeOver(now:)``).
    public internal(set) var isLoaded = false

    /// Loads firing alerts and margin notices from `store` (re-attaching them by fingerprint);
    /// with `loadNow` false (a shared store that may be away), ``reload()`` does when the replica
    /// takes the alert lease.
    /// - Parameters:
    ///   - generatorURL: the service's public URL, for Alertmanager's `generatorURL`.
    ///   - makeID: makes a unique id with the given prefix (`alr_`, `msg_`); random by default.
    ///   - onEnqueue: called after a call's notifications are committed (wake the delivery worker).
    ///   - logger: where each alert that fires or resolves is logged.
    public init(
        store: RiskStateStore,
        config: AlertsConfig,
        generatorURL: String? = nil,
        makeID: @escaping @Sendable (String) -> String = RandomID.make,
        onEnqueue: @escaping @Sendable () -> Void = {},
        logger: Logger = Logger(label: "breakwater.alerts"),
        loadNow: Bool = true
    ) throws {
        self.logger = logger
        self.store = store
        self.config = config
        self.destinations = config.webhooks.map { Destination($0, generatorURL: generatorURL) }
        self.makeID = makeID
        self.onEnqueue = onEnqueue
        marginNotified = [:]
        guard loadNow else { return }
        let state = try Self.stored(in: store, destinations: destinations)
        (firing, lastSent, reattached, marginNotified) = (state.firing, state.lastSent, state.reattached, state.margins)
        isLoaded = true
    }

    /// Replaces the alert state with the store's: the firing alerts (re-attached by
    /// fingerprint, to be confirmed or resolved by the next snapshot of their market) and the
    /// margins announced. For a replica taking over the alert lease from another.
    public func reload() throws {
        let state = try Self.stored(in: store, destinations: destinations)
        (firing, lastSent, reattached, marginNotified) = (state.firing, state.lastSent, state.reattached, state.margins)
        held = [:]
        isLoaded = true
    }

    /// The firing alerts in `store` by fingerprint (one-shot notifications left out), when each
    /// was last sent to each destination, and the margins announced.
    private static func stored(
        in store: RiskStateStore,
        destinations: [Destination]
    ) throws -> (
        firing: [String: Alert], lastSent: [String: [String: EpochSeconds]], reattached: Set<String>,
        margins: [String: Double]
    ) {
        var firing: [String: Alert] = [:]
        var lastSent: [String: [String: EpochSeconds]] = [:]
        for r in try store.firingAlerts() {
            let a = Alert(record: r)
            if a.isNotification { continue }
            firing[a.fingerprint] = a
            for d in destinations where d.accepts(a) { lastSent[a.fingerprint, default: [:]][d.id] = a.updatedAt }
        }
        return (firing, lastSent, Set(firing.keys), try store.marginNotices())
    }

    /// Alerts currently firing, oldest first.
    public func firingAlerts() -> [Alert] { firing.values.sorted { ($0.startsAt, $0.id) < ($1.startsAt, $1.id) } }

    /// Applies the events of `changes` (each market's in order), then margin changes and start-up reconciliation
    /// from their snapshots, then reminders due at `now` (epoch seconds). Returns the alerts opened, resolved or
    /// reminded, in order. No changes: reminders only.
    @discardableResult
    public func process(_ changes: [MarketChange], now: EpochSeconds) throws -> [Alert] {
        try process(events: changes.flatMap(\.events), snapshots: changes.map(\.snapshot), now: now)
    }

    /// ``process(_:now:)`` on its parts: `events` in order, each with the snapshot of its market in `snapshots`
    /// if there is one (the rules then add reference, band and actions to the alert).
    @discardableResult
    func process(events: [EngineEvent], snapshots: [MarketSnapshot], now: EpochSeconds) throws -> [Alert] {
        try storing { pending in
            let byMarket = Dictionary(snapshots.map { ($0.id, $0) }, uniquingKeysWith: { _, b in b })
            var changed: [Alert] = []
            for e in events {
                for c in AlertRules.conditions(for: e, snapshot: byMarket[e.market]) {
                    if let a = apply(c, at: e.time, into: &pending) { changed.append(a) }
                }
            }
            changed += openHeld(now: now, snapshots: byMarket, into: &pending)
            for s in snapshots {
                if let a = checkMargin(s, now: now, into: &pending) { changed.append(a) }
                for fp in reattached where firing[fp]?.market == s.id {
                    guard var a = firing[fp], let active = AlertRules.stillActive(a, in: s) else { continue }
                    reattached.remove(fp)
                    if !active {
                        a = resolve(a, at: now, into: &pending)
                        changed.append(a)
                    }
                }
            }
            changed += remind(now: now, into: &pending)
            return changed
        }
    }

    /// Opens or resolves the alerts of `conditions` that do not come from engine events (a
    /// backtest, the correlation regime, stress), in order, at `t` (epoch seconds). An active
    /// condition whose alert is firing changes nothing; an inactive one resolves it. Returns
    /// the alerts opened or resolved.
    @discardableResult
    public func apply(_ conditions: [AlertCondition], at t: EpochSeconds) throws -> [Alert] {
        try storing { pending in conditions.compactMap { apply($0, at: t, into: &pending) } }
    }

    /// Opens or resolves the alert for one condition at `t`, into `pending`; nil when nothing changed.
    func apply(_ c: AlertCondition, at t: EpochSeconds, into pending: inout Pending) -> Alert? {
        let fp = c.fingerprint
        if let current = firing[fp] {
            if c.active {
                reattached.remove(fp)
                return nil
            }
            return resolve(current, at: t, into: &pending)
        }
        guard c.active, c.mayOpen else {
            held[fp] = nil
            return nil
        }
        if c.type == AlertType.sourceDegraded && config.sourceDegradedForSeconds > 0 {
            held[fp] = (c, held[fp]?.since ?? t)
            return nil
        }
        return open(c, startsAt: t, at: t, into: &pending)
    }

    /// Opens the held conditions that have lasted `sourceDegradedForSeconds` by `now` (and that
    /// `snapshots`, where they cover the market, still show), oldest first.
    func openHeld(now: EpochSeconds, snapshots: [String: MarketSnapshot], into pending: inout Pending) -> [Alert] {
        var out: [Alert] = []
        for (fp, h) in held.sorted(by: { ($0.value.since, $0.key) < ($1.value.since, $1.key) })
        where now - h.since >= config.sourceDegradedForSeconds {
            if let s = snapshots[h.condition.market], let src = s.sources.first(where: { $0.id == h.condition.source }),
                ![.stale, .error, .outlier].contains(src.status)
            {
                held[fp] = nil
                continue
            }
            out.append(open(h.condition, startsAt: h.since, at: now, into: &pending))
            held[fp] = nil
        }
        return out
    }

    /// Opens the alert for `c`, which began at `startsAt`, notifying at `t`, into `pending`.
    func open(_ c: AlertCondition, startsAt: EpochSeconds, at t: EpochSeconds, into pending: inout Pending) -> Alert {
        let fp = c.fingerprint
        let a = Alert(
            id: makeID("alr_"),
            fingerprint: fp,
            type: c.type,
            market: c.market,
            source: c.source,
            severity: c.severity,
            status: .firing,
            startsAt: startsAt,
            endsAt: nil,
            summary: c.summary,
            details: c.details,
            updatedAt: t
        )
        lastSent[fp] = enqueue(a, kind: .firing, at: t, into: &pending)
        firing[fp] = a
        pending.logged.append(a)
        return a
    }

    func resolve(_ current: Alert, at t: EpochSeconds, into pending: inout Pending) -> Alert {
        var a = current
        a.status = .resolved
        a.endsAt = t
        a.updatedAt = t
        enqueue(a, kind: .resolved, at: t, into: &pending)
        firing[a.fingerprint] = nil
        lastSent[a.fingerprint] = nil
        reattached.remove(a.fingerprint)
        pending.logged.append(a)
        return a
    }

    func remind(now: EpochSeconds, into pending: inout Pending) -> [Alert] {
        var out: [Alert] = []
        for var a in firingAlerts() {
            let due = destinations.filter { d in
                d.accepts(a)
                    && now - (lastSent[a.fingerprint]?[d.id] ?? a.startsAt)
                        >= d.repeatSeconds(default: config.repeatIntervalSeconds)
            }
            guard !due.isEmpty else { continue }
            a.updatedAt = now
            let sent = enqueue(a, kind: .reminder, at: now, to: due, into: &pending)
            firing[a.fingerprint] = a
            lastSent[a.fingerprint, default: [:]].merge(sent) { _, b in b }
            out.append(a)
        }
        return out
    }

    func checkMargin(_ s: MarketSnapshot, now: EpochSeconds, into pending: inout Pending) -> Alert? {
        guard let last = marginNotified[s.id] else {
            if s.maintenanceMargin.isFinite, s.maintenanceMargin > 0 { marginNotified[s.id] = s.maintenanceMargin }
            return nil
        }
        guard let c = AlertRules.marginChange(s, last: last, step: config.marginStep) else { return nil }
        let a = notification(c, at: now)
        enqueue(a, kind: .firing, at: now, into: &pending)
        pending.stored.marginNotices.append(.init(market: s.id, margin: s.maintenanceMargin, time: now))
        marginNotified[s.id] = s.maintenanceMargin
        pending.logged.append(a)
        return a
    }

    /// Sends a `test` alert to every destination (filters ignored). Returns the stored alert.
    @discardableResult
    public func sendTest(now: EpochSeconds, requestedBy: String? = nil) throws -> Alert {
        var d = AlertDetails()
        d.message = requestedBy.map { "requested by \($0)" }
        let c = AlertCondition(
            type: AlertType.test,
            market: "breakwater",
            active: true,
            severity: .info,
            summary: "Breakwater test alert: delivery works; no action needed",
            details: d
        )
        let a = notification(c, at: now)
        return try storing { pending in
            enqueue(a, kind: .firing, at: now, into: &pending)
            pending.logged.append(a)
            return a
        }
    }

    /// The log line of `a`, just stored as fired or resolved: `alert.firing` (a one-shot notification
    /// too, `oneShot` true; at `warning` level unless its severity is `info`), or `alert.resolved`
    /// with how long it fired (`firedSeconds`).
    func log(_ a: Alert) {
        var meta: Logger.Metadata = [
            "alert": "\(a.id)", "type": "\(a.type)", "market": "\(a.market)",
            "severity": "\(a.severity.rawValue)", "summary": "\(a.summary)",
        ]
        if let source = a.source { meta["source"] = "\(source)" }
        if a.isNotification {
            meta["oneShot"] = "true"
        } else if let end = a.endsAt {
            meta["firedSeconds"] = "\(((end - a.startsAt) * 10).rounded() / 10)"
        }
        if a.status == .firing || a.isNotification {
            logger.log(level: a.severity == .info ? .notice : .warning, "alert.firing", metadata: meta)
        } else {
            logger.notice("alert.resolved", metadata: meta)
        }
    }

    /// A one-shot notification alert, stored closed (`resolved`, `endsAt` = `startsAt`) since it never resolves.
    func notification(_ c: AlertCondition, at t: EpochSeconds) -> Alert {
        Alert(
            id: makeID("alr_"),
            fingerprint: c.fingerprint,
            type: c.type,
            market: c.market,
            source: c.source,
            severity: c.severity,
            status: .resolved,
            startsAt: t,
            endsAt: t,
            summary: c.summary,
            details: c.details,
            updatedAt: t
        )
    }
}
