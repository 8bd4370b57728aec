import AsyncHTTPClient
import BreakwaterAlerts
import BreakwaterConfig
import BreakwaterEngine
import BreakwaterStore
import Foundation
import Logging
import Metrics

/// The durable edge: the SQLite store, the alert lifecycle and the delivery worker, and the
/// market state (halts, margin) that must survive a restart.
public struct Alerting: Sendable {
    public let store: AlertStore
    public let center: AlertCenter
    public let worker: DeliveryWorker

    /// Opens the store at `config.storage.path` (creating its directory) and loads firing alerts;
    /// the delivery counters go to `metrics`.
    public static func open(config: BreakwaterConfig, environment: [String: String], metrics: any MetricsFactory, logger: Logger) throws -> Alerting {
        let path = config.storage.path
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty { try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        let store = try AlertStore(path: path)
        try store.checkWritable(now: Date().timeIntervalSince1970)
        for hook in config.alerts.webhooks {
            for problem in Destination(hook).problems(environment: environment) {
                logger.error("alert destination misconfigured", metadata: ["destination": "\(hook.id)", "problem": "\(problem)"])
            }
        }
        let worker = DeliveryWorker(store: store, config: config.alerts, environment: environment, policy: nil,
                                    generatorURL: config.server.publicURL, pollInterval: 0.5,
                                    logger: logger, clock: DeliveryWorker.wallClock, metrics: metrics)
        let center = try AlertCenter(store: store, config: config.alerts, generatorURL: config.server.publicURL,
                                     onEnqueue: { worker.wake() })
        return Alerting(store: store, center: center, worker: worker)
    }

    /// Restores halts, margins and last good prices saved before the last stop into the monitor.
    func restore(into monitor: Monitor, now: EpochSeconds, logger: Logger) async throws {
        for r in try store.loadMarketStates() {
            let lastGood = r.lastGoodPrice.flatMap { p in r.lastGoodPriceTime.map { (price: p, time: $0) } }
            await monitor.restore(market: r.market, manual: r.manual, bandHaltUntil: r.bandHaltUntil,
                                  velocityHaltUntil: r.velocityHaltUntil, maintenance: r.maintenanceMargin,
                                  lastGoodPrice: lastGood, now: now)
            if r.manual != nil || r.bandHaltUntil.map({ $0 > now }) == true || r.velocityHaltUntil.map({ $0 > now }) == true {
                logger.notice("restored halt", metadata: ["market": "\(r.market)", "manual": "\(r.manual?.reason ?? "-")",
                                                          "until": "\(r.manual?.until ?? r.bandHaltUntil ?? r.velocityHaltUntil ?? 0)"])
            }
        }
    }

    /// Commits the alerts caused by `events` and the state of the markets in `snapshots`, on
    /// the store's write queue (the caller suspends); throws ``StoreError`` (`busy` once the
    /// database has stayed locked by another process for ``AlertStore/busyTimeoutSeconds``
    /// from this call).
    @Sendable func commit(events: [EngineEvent], snapshots: [MarketSnapshot], now: EpochSeconds) async throws {
        let states = snapshots.map { s in
            MarketStateRecord(market: s.id, manual: s.manual, bandHaltUntil: s.bandHaltUntil,
                              velocityHaltUntil: s.velocityHaltUntil, maintenanceMargin: s.maintenanceMargin,
                              lastGoodPrice: s.lastGoodPrice, lastGoodPriceTime: s.lastGoodPriceTime, updatedAt: now)
        }
        let (center, store) = (center, store)
        try await AlertStore.withWriteDeadline {
            try await Self.commit(on: center, store: store, events: events, snapshots: snapshots, states: states, now: now)
        }
    }

    /// The alerts, then the market states, with no other write between them.
    private static func commit(on center: isolated AlertCenter, store: AlertStore, events: [EngineEvent], snapshots: [MarketSnapshot],
                               states: [MarketStateRecord], now: EpochSeconds) throws {
        try center.process(events: events, snapshots: snapshots, now: now)
        if !states.isEmpty { try store.saveMarketStates(states) }
        // Nothing to write (an idle tick): still notice a storage that stopped working, so that
        // /readyz and the pushes' answers say so while idle too.
        if events.isEmpty && states.isEmpty { try store.checkAlive(now: now) }
    }
}
