public import BreakwaterConfig
public import BreakwaterEngine
public import BreakwaterStore
import BreakwaterWire
import Foundation
public import Logging
public import Metrics

/// The durable edge: the risk state store, the alert lifecycle and the delivery worker, wired
/// together. The server opens it, restores the saved market states from its store and hands it
/// every change with ``commit(_:now:)``.
public struct Alerting: Sendable {
    public let store: RiskStateStore
    public let center: AlertCenter
    public let worker: DeliveryWorker
    /// Held by the one replica that turns events into alerts (always, with SQLite).
    public let lease: AlertLease

    /// Opens the store `config.storage` names and loads firing alerts;
    /// the delivery counters go to `metrics`. Says once in `logger` when no destination is
    /// configured (alerts are then kept and logged, sent nowhere). PostgreSQL is not asked
    /// anything here (a replica may start while it is away): the store connects and migrates at
    /// its first operation, and the firing alerts are loaded when the replica takes the lease.
    public static func open(
        config: BreakwaterConfig,
        environment: [String: String],
        metrics: any MetricsFactory,
        logger: Logger
    ) throws -> Alerting {
        let store = try openStore(config.storage, environment: environment, logger: logger)
        if !store.isShared { try store.checkWritable(now: Date().timeIntervalSince1970) }
        for hook in config.alerts.webhooks {
            for problem in Destination(hook).problems(environment: environment) {
                logger.error(
                    "alert destination misconfigured",
                    metadata: ["destination": "\(hook.id)", "problem": "\(problem)"]
                )
            }
        }
        let worker = DeliveryWorker(
            store: store,
            config: config.alerts,
            environment: environment,
            policy: nil,
            generatorURL: config.server.publicURL,
            pollInterval: 0.5,
            logger: logger,
            clock: DeliveryWorker.wallClock,
            metrics: metrics
        )
        let center = try AlertCenter(
            store: store,
            config: config.alerts,
            generatorURL: config.server.publicURL,
            onEnqueue: { worker.wake() },
            logger: logger,
            loadNow: !store.isShared
        )
        if config.alerts.webhooks.isEmpty {
            logger.notice(
                "no alert destination configured: alerts are kept (GET /v1/alerts) and logged, but sent nowhere",
                metadata: ["configure": "alerts.webhooks"]
            )
        }
        let lease = AlertLease(store: store, logger: logger) { [center, logger] in
            do { try await Self.takeOver(center, now: DeliveryWorker.wallClock()) } catch {
                logger.error("cannot reload the alerts on taking the lease", metadata: ["error": "\(error)"])
            }
        }
        if !store.isShared { lease.takeAtStart() }
        return Alerting(store: store, center: center, worker: worker, lease: lease)
    }

    private static func takeOver(_ center: isolated AlertCenter, now: EpochSeconds) throws {
        try center.takeOver(now: now)
    }

    /// Opens the SQLite file (creating its directory) or connects to the PostgreSQL database
    /// whose URL is in the variable `storage.urlEnv` names. Throws ``StoreError``.
    static func openStore(
        _ storage: StorageConfig,
        environment: [String: String],
        logger: Logger
    ) throws -> RiskStateStore {
        switch storage.kind {
        case .sqlite:
            let directory = (storage.path as NSString).deletingLastPathComponent
            if !directory.isEmpty {
                try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            }
            return try RiskStateStore(path: storage.path)
        case .postgres:
            // The config loader checked the variable; a caller that skipped it gets the same words.
            guard let text = EnvironmentSecret.value(storage.urlEnv, in: environment) else {
                throw StoreError(
                    kind: .unwritable,
                    path: "$\(storage.urlEnv)",
                    message:
                        "environment variable \(storage.urlEnv) is not set (expected postgres://user:password@host:5432/database)"
                )
            }
            do {
                return try RiskStateStore(postgres: try DatabaseURL(text), logger: logger, connectNow: false)
            } catch let problem as DatabaseURL.Problem {
                throw StoreError(kind: .unwritable, path: "$\(storage.urlEnv)", message: problem.description)
            }
        }
    }

    /// Commits the alerts caused by `changes` (only on the replica holding ``lease``) and the
    /// saved state of their markets (stamped `now`, epoch seconds), on the store's write queue
    /// (the caller suspends); with no changes,
    /// the reminders due and a check that storage still works. Throws ``StoreError`` (`busy`
    /// once the database has stayed locked by another process for
    /// ``RiskStateStore/busyTimeoutSeconds`` from this call); nothing is then acknowledged.
    @Sendable public func commit(_ changes: [MarketChange], now: EpochSeconds) async throws {
        var alerts = lease.isHeld
        // Not the holder: the lease may have lapsed (the holder died, the database was away);
        // take it now rather than at the next renewal, so these changes are turned into alerts.
        if !alerts { alerts = await lease.renew() }
        let (center, store) = (center, store)
        try await RiskStateStore.withWriteDeadline {
            try await Self.commit(on: center, store: store, changes: changes, alerts: alerts, now: now)
        }
    }

    /// Commits the alerts opened or resolved by `conditions` (conditions that are not engine
    /// events: a backtest, the correlation regime, stress) at `now`, epoch seconds, on the
    /// store's write queue; nothing on a replica that does not hold ``lease``. Throws
    /// ``StoreError`` as ``commit(_:now:)`` does.
    @Sendable public func commit(conditions: [AlertCondition], now: EpochSeconds) async throws {
        guard lease.isHeld else { return }
        let center = center
        try await RiskStateStore.withWriteDeadline {
            try await Self.apply(conditions, on: center, at: now)
        }
    }

    private static func apply(
        _ conditions: [AlertCondition],
        on center: isolated AlertCenter,
        at t: EpochSeconds
    ) throws {
        if !center.isLoaded { try center.takeOver(now: t) }
        try center.apply(conditions, at: t)
    }

    /// The alerts and then the market states, with no other write between them, when this
    /// replica holds the lease: on a shared database the holder alone writes the market states
    /// (margins, last good price, band and velocity halt ends), which the others adopt
    /// (`SharedOperatorSync`); a replica that does not hold it writes only the heartbeat, so that
    /// its changes are not acknowledged while the database is away.
    private static func commit(
        on center: isolated AlertCenter,
        store: RiskStateStore,
        changes: [MarketChange],
        alerts: Bool,
        now: EpochSeconds
    ) throws {
        // A holder whose alert state is not loaded yet (its load on taking the lease failed) loads it first.
        if alerts && !center.isLoaded { try center.takeOver(now: now) }
        if alerts { try center.process(changes, now: now) } else { center.remember(changes, now: now) }
        if !changes.isEmpty && alerts {
            try store.saveMarketStates(changes.map { MarketStateRecord($0.snapshot, updatedAt: now) })
        } else if !changes.isEmpty {
            try store.checkWritable(now: now)
        } else {
            // Nothing to write (an idle tick): still notice a storage that stopped working, so that
            // /readyz and the pushes' answers say so while idle too.
            try store.checkAlive(now: now)
        }
    }
}
