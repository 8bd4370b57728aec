public import BreakwaterAlerts
public import BreakwaterConfig
public import BreakwaterEngine
import BreakwaterFeeds
import BreakwaterStore
import Foundation
public import Hummingbird
public import HummingbirdCore
public import Logging
import Metrics
import NIOCore
public import Prometheus
public import ServiceLifecycle
import UnixSignals

/// Assembles the running service: the Monitor, its ticker, the feed pollers and the HTTP
/// application, composed in one `ServiceGroup` that shuts down gracefully on SIGTERM/SIGINT.
public struct BreakwaterServer: Sendable {
    public let config: BreakwaterConfig
    public let monitor: Monitor
    public let board: SnapshotBoard
    /// The cross-market view, published by the ``SystemicSampler``.
    public let system: SystemBoard
    public let readiness: Readiness
    let tokens: TokenBook
    let logger: Logger
    let registry: PrometheusCollectorRegistry
    /// Records into `registry`: every metric of this server goes here, not to the global
    /// `MetricsSystem` (which `serve` bootstraps with the same registry for libraries' metrics).
    let metricsFactory: BreakwaterMetricsFactory
    let httpMetrics: HTTPMetrics
    let processMetrics: ProcessMetrics
    /// The durable store, alert lifecycle and delivery; nil when storage could not be opened
    /// (the service still evaluates and serves, and /readyz says why it is not ready).
    public let alerting: Alerting?
    /// The first contact with a shared (PostgreSQL) store, at start-up or once it is reachable;
    /// nil with SQLite or no storage.
    let databaseJoin: DatabaseJoin?
    public static let version = "0.1.0"
    /// A banner for the status page (`demo` says its prices are synthetic); nil for none.
    public var statusNotice: String?
    /// Seconds a connection may stay open with no request in progress.
    public static let idleTimeoutSeconds: Int64 = 60
    /// Seconds a request may take from its headers to the end of its body (`RequestBodyDeadline`);
    /// the largest body, 4 MiB, needs about 3.4 Mbit/s to arrive in time.
    public static let bodyTimeoutSeconds: Int64 = 10
    /// Seconds a positions snapshot (`POST /v1/positions`, up to 64 MiB) may take to arrive:
    /// 64 MiB needs about 4.5 Mbit/s to arrive in time.
    public static let positionsBodyTimeoutSeconds: Int64 = 120
    /// Open client connections, at most `server.maxConnections`.
    public let connections: ConnectionCap
    /// The positions last posted (memory only) and the latest live stress pass on them.
    public let positions = PositionBook()
    public let stressResults = StressBoard()
    /// Where position snapshots are read and stress passes run: a thread of its own.
    let stressWorker = StorageQueue(label: "breakwater.stress")

    /// The wall clock (epoch seconds) every route, tick and restore reads; a test may pass its own.
    let clock: @Sendable () -> EpochSeconds

    public init(
        config: BreakwaterConfig,
        environment: [String: String],
        registry: PrometheusCollectorRegistry,
        logger: Logger,
        clock: @escaping @Sendable () -> EpochSeconds = BreakwaterServer.now
    ) throws {
        self.clock = clock
        self.config = config
        self.logger = logger
        self.registry = registry
        metricsFactory = BreakwaterMetricsFactory(registry: registry)
        httpMetrics = HTTPMetrics(factory: metricsFactory)
        processMetrics = ProcessMetrics(registry: registry)
        board = SnapshotBoard()
        system = SystemBoard(markets: config.markets.map(\.id), parameters: config.systemic)
        readiness = Readiness()
        monitor = try Monitor(config: config, start: clock(), board: board, logger: logger)
        tokens = try TokenBook(config: config, environment: environment)
        // One line per token variable that is not set (never a value): its callers get 401/403.
        for n in TokenVariables.unset(in: config, environment: environment) {
            logger.warning(
                "token variable not set: requests that need \(n.use) are refused",
                metadata: ["variable": "\(n.variable)"]
            )
        }
        connections = ConnectionCap(max: config.server.maxConnections, logger: logger)
        do {
            alerting = try Alerting.open(
                config: config,
                environment: environment,
                metrics: metricsFactory,
                logger: logger
            )
        } catch {
            let storage =
                config.storage.kind == .sqlite ? config.storage.path : "postgres (URL in $\(config.storage.urlEnv))"
            logger.critical(
                "storage unavailable: changes are not acknowledged (pushes and operator actions answer 503, alerts wait) until it is fixed and the service restarted; halts saved before cannot be restored",
                metadata: ["path": "\(storage)", "error": "\(error)"]
            )
            readiness.set(storageProblem: "storage \(storage): \(error)")
            alerting = nil
        }
        if let store = alerting?.store, store.isShared {
            databaseJoin = DatabaseJoin(store: store, monitor: monitor, logger: logger, now: clock)
        } else {
            databaseJoin = nil
        }
    }

    /// Restores saved halts and margins and connects the monitor's events to the alerts.
    public func connectAlerting() async throws {
        guard let alerting else {
            // Without storage nothing the engine reports can be kept: every change waits, as
            // when storage fails later (pushes and operator actions answer 503, /readyz says why).
            let problem = StorageUnavailable(
                reason: readiness.notReadyReason() ?? "storage \(config.storage.path) could not be opened"
            )
            await monitor.setEventHandler { _, _ in throw problem }
            return
        }
        if let join = databaseJoin {
            let store = alerting.store
            await monitor.setManualHaltWriter { market, halt, now in
                try await store.writing { try $0.saveManualHalt(market: market, halt: halt, at: now) }
            }
            await monitor.setSourceSwitchWriter { change in
                try await store.writing { try $0.saveSourceSwitch(change) }
            }
            await monitor.setAlertLeaseCheck { [lease = alerting.lease] in lease.isHeld }
            // The database away at start-up: serve without it, and join when it returns.
            do { try await sharedOperatorSync(alerting, join: join).pass(atStart: true) } catch {
                logger.error(
                    "shared database not reachable at start-up: serving without it (pushes and operator actions answer 503, events wait); this replica joins by itself when it is reachable",
                    metadata: ["database": "\(store.path)", "error": "\(error)"]
                )
                readiness.set(storageProblem: "storage: \(error)")
            }
        } else {
            await monitor.restore(try alerting.store.loadMarketStates(), now: clock(), logger: logger)
            await monitor.restoreModel(try alerting.store.loadBacktestWindows())
        }
        await monitor.setModelHandler { windows, conditions, now in
            let records = windows
            try await alerting.store.writing { try $0.saveBacktestWindows(records) }
            try await alerting.commit(conditions: conditions, now: now)
        }
        let (readiness, join) = (self.readiness, databaseJoin)
        await monitor.setEventHandler { changes, now in
            do {
                try await alerting.commit(changes, now: now)
                // Reached, but not joined yet (the next sync pass joins): not ready until then.
                let joining = join.map { !$0.isJoined } ?? false
                readiness.set(storageProblem: joining ? "storage: reachable again, joining" : nil)
            } catch {
                readiness.set(storageProblem: "storage: \(error)")
                throw error
            }
        }
    }

    public static func now() -> EpochSeconds { Date().timeIntervalSince1970 }

    /// The reader of the other replicas' operator actions (PostgreSQL).
    func sharedOperatorSync(_ alerting: Alerting, join: DatabaseJoin) -> SharedOperatorSync {
        SharedOperatorSync(store: alerting.store, monitor: monitor, join: join, logger: logger, now: clock)
    }

    /// The router with every route and the JSON error middleware.
    public func router() -> Router<ClientRequestContext> {
        // HEAD on every GET route (load balancers and uptime checks probe with it): the GET
        // answer's status and headers without its body.
        let router = Router(context: ClientRequestContext.self, options: .autoGenerateHeadEndpoints)
        router.add(middleware: HTTPMetricsMiddleware(metrics: httpMetrics))
        router.add(
            middleware: JSONErrorMiddleware(
                routes: APIRoutes.table + AlertRoutes.table + StressRoutes.table + SystemRoutes.table
            )
        )
        let limits = RateLimits(
            push: RateLimiter(ratePerSecond: config.server.pushRequestsPerSecond),
            admin: RateLimiter(ratePerSecond: config.server.adminRequestsPerSecond)
        )
        APIRoutes(
            monitor: monitor,
            board: board,
            tokens: tokens,
            limits: limits,
            readiness: readiness,
            metrics: MetricsRenderer(
                registry: registry,
                process: processMetrics,
                version: Self.version,
                alerting: alerting
            ),
            logger: logger,
            now: clock,
            statusPage: StatusPage.html(notice: statusNotice)
        )
        .register(on: router)
        AlertRoutes(
            alerting: alerting,
            destinations: config.alerts.webhooks,
            tokens: tokens,
            adminLimit: limits.admin,
            logger: logger,
            now: clock
        )
        .register(on: router)
        let known = Set(config.markets.map(\.id))
        PositionsRoute(
            book: positions,
            knownMarkets: known,
            tokens: tokens,
            limiter: limits.admin,
            worker: stressWorker,
            clockSkewSeconds: Double(config.server.clockSkewMs) / 1000,
            logger: logger,
            now: clock
        )
        .register(on: router)
        StressRoutes(results: stressResults, knownMarkets: known, tokens: tokens, worker: stressWorker, now: clock)
            .register(on: router)
        SystemRoutes(system: system, tokens: tokens).register(on: router)
        return router
    }

    /// The live stress pass of this server (run by `run`; a test may call its `pass()`).
    public var liveStress: LiveStress {
        LiveStress(
            board: board,
            system: system,
            positions: positions,
            results: stressResults,
            config: config,
            worker: stressWorker,
            alerting: alerting,
            metrics: StressMetrics(factory: metricsFactory),
            logger: logger,
            clock: clock
        )
    }

    /// The service that samples every market on the `systemic.sampleSeconds` grid and updates
    /// the cross-market view (``system``) off the engine's path.
    func systemicSampler() -> SystemicSampler {
        SystemicSampler(
            board: board,
            system: system,
            metrics: SystemMetrics(factory: metricsFactory),
            commit: alerting.map { $0.commit(conditions:now:) },
            logger: logger,
            clock: clock
        )
    }

    /// The HTTP/1.1 server: a connection with no request in progress (idle keep-alive, or one
    /// that sent part of its headers and stopped) is closed after `idleTimeoutSeconds`, a request
    /// body must arrive within `bodyTimeout` (408 otherwise), and connections past
    /// `server.maxConnections` are closed on arrival, so clients that hold connections cannot use
    /// up the server's file descriptors.
    public func httpServer(
        bodyTimeout: Duration = .seconds(BreakwaterServer.bodyTimeoutSeconds),
        positionsBodyTimeout: Duration = .seconds(BreakwaterServer.positionsBodyTimeoutSeconds)
    ) -> HTTPServerBuilder {
        let connections = self.connections
        let timeout = TimeAmount(bodyTimeout)
        let longBody = TimeAmount(positionsBodyTimeout)
        // Evaluated once per connection: each gets its own handlers, sharing the one count.
        return .http1(
            configuration: .init(
                additionalChannelHandlers: [
                    ConnectionCap.Handler(cap: connections),
                    RequestBodyDeadline(timeout: timeout, longerFor: ["/v1/positions": longBody]),
                ],
                idleTimeout: .seconds(Self.idleTimeoutSeconds)
            )
        )
    }

    /// Runs until SIGTERM/SIGINT: HTTP server, engine ticker and (unless `pollFeeds` is false) the pollers.
    /// `onListening` receives the bound port.
    public func run(
        pollFeeds: Bool = true,
        extraServices: [any Service] = [],
        onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws {
        try await connectAlerting()
        await monitor.tick(now: clock())
        var services: [any Service] = [
            EngineTicker(monitor: monitor, tickSeconds: Double(config.server.tickMs) / 1000, clock: clock),
            liveStress,
            systemicSampler(),
        ]
        // The delivery worker returns at once when no destination is configured: that is fine.
        var quiet: [any Service] = []
        if let alerting {
            quiet.append(alerting.worker)
            quiet.append(alerting.lease)
            if let join = databaseJoin { quiet.append(sharedOperatorSync(alerting, join: join)) }
            quiet.append(
                StoragePruner(
                    store: alerting.store,
                    retentionDays: config.storage.retentionDays,
                    intervalSeconds: 3600,
                    logger: logger,
                    now: clock
                )
            )
        }
        if pollFeeds && config.markets.contains(where: { $0.sources.contains { $0.kind != .push } }) {
            let feeds = FeedSupervisor(
                markets: config.markets,
                sink: monitor,
                httpClient: FeedSupervisor.pollingClient,
                userAgent: "breakwater/\(Self.version)",
                logger: logger,
                metrics: metricsFactory
            )
            await monitor.setFeedStatistics { await feeds.statistics() }
            services.append(feeds)
        }
        services += extraServices
        let readiness = self.readiness
        let logger = self.logger
        let app = Application(
            router: router(),
            server: httpServer(),
            configuration: .init(
                address: .hostname(config.server.host, port: config.server.port),
                serverName: "breakwater"
            ),
            onServerRunning: { channel in
                readiness.set(listening: true)
                let port = channel.localAddress?.port ?? 0
                await onListening(port)
            },
            logger: logger
        )
        let group = ServiceGroup(
            configuration: .init(
                services: services.map { .init(service: $0) }
                    + quiet.map { .init(service: $0, successTerminationBehavior: .ignore) }
                    + [.init(service: app)],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        try await group.run()
        // Flush: one last tick commits pending events and the markets' state.
        await monitor.tick(now: clock())
        await monitor.closeEventLog()
        logger.info("stopped")
    }
}

/// Advances the engine on the configured cadence (`server.tickMs`).
struct EngineTicker: Service {
    let monitor: Monitor
    let tickSeconds: Double
    /// Epoch seconds, the server's clock.
    let clock: @Sendable () -> EpochSeconds

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            var trimmer = MemoryTrimmer()
            while !Task.isCancelled {
                try await Task.sleep(for: .milliseconds(Int(tickSeconds * 1000)))
                await monitor.tick(now: clock(), waitForStorage: false)
                _ = trimmer.tick(pushedQuotes: await monitor.pushedQuotes)
            }
        }
    }
}

/// Storage could not be opened at start-up; a restart after fixing it is needed.
struct StorageUnavailable: Error, CustomStringConvertible {
    let reason: String
    var description: String { "\(reason) (fix it and restart)" }
}
