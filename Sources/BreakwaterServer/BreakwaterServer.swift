import AsyncHTTPClient
import BreakwaterConfig
import BreakwaterEngine
import BreakwaterFeeds
import Foundation
import Hummingbird
import Logging
import Metrics
import Prometheus
import ServiceLifecycle

/// Assembles the running service: the Monitor, its ticker, the feed pollers and the HTTP
/// application, composed in one `ServiceGroup` that shuts down gracefully on SIGTERM/SIGINT.
public struct BreakwaterServer: Sendable {
    public let config: BreakwaterConfig
    public let monitor: Monitor
    public let board: SnapshotBoard
    public let readiness: Readiness
    let tokens: TokenBook
    let logger: Logger
    let registry: PrometheusCollectorRegistry
    public static let version = "0.1.0"

    public init(config: BreakwaterConfig, environment: [String: String], registry: PrometheusCollectorRegistry, logger: Logger) throws {
        self.config = config
        self.logger = logger
        self.registry = registry
        board = SnapshotBoard()
        readiness = Readiness(notReadyReason: "starting")
        monitor = try Monitor(config: config, start: Self.now(), board: board, logger: logger)
        tokens = TokenBook(config: config, environment: environment)
    }

    public static func now() -> EpochSeconds { Date().timeIntervalSince1970 }

    /// The router with every route and the JSON error middleware.
    public func router() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: JSONErrorMiddleware(routes: APIRoutes.table))
        router.add(middleware: MetricsMiddleware())
        APIRoutes(monitor: monitor, board: board, tokens: tokens, readiness: readiness,
                  metrics: MetricsRenderer(registry: registry, version: Self.version), logger: logger, now: { Self.now() })
            .register(on: router)
        return router
    }

    /// Runs until SIGTERM/SIGINT: HTTP server, engine ticker and (unless `pollFeeds` is false) the pollers.
    /// `onListening` receives the bound port.
    public func run(pollFeeds: Bool = true, extraServices: [any Service] = [],
                    onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        await monitor.tick(now: Self.now())
        let httpClient = HTTPClient(eventLoopGroupProvider: .singleton)
        var services: [any Service] = [EngineTicker(monitor: monitor, tickSeconds: Double(config.server.tickMs) / 1000)]
        if pollFeeds && config.markets.contains(where: { $0.sources.contains { $0.kind != .push } }) {
            let feeds = FeedSupervisor(markets: config.markets, sink: monitor, httpClient: httpClient,
                                       userAgent: "breakwater/\(Self.version)", logger: logger)
            await monitor.setFeedStatistics { await feeds.statistics() }
            services.append(feeds)
        }
        services += extraServices
        let readiness = self.readiness
        let logger = self.logger
        let app = Application(
            router: router(),
            configuration: .init(address: .hostname(config.server.host, port: config.server.port), serverName: "breakwater"),
            onServerRunning: { channel in
                readiness.set(notReadyReason: nil)
                let port = channel.localAddress?.port ?? 0
                logger.info("listening", metadata: ["address": "http://\(channel.localAddress?.ipAddress ?? "?"):\(port)"])
                await onListening(port)
            },
            logger: logger)
        let group = ServiceGroup(configuration: .init(services: services.map { .init(service: $0) } + [.init(service: app)],
                                                      gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
        } catch {
            try? await httpClient.shutdown()
            throw error
        }
        try await httpClient.shutdown()
        logger.info("stopped")
    }
}

/// Advances the engine on the configured cadence (`server.tickMs`).
struct EngineTicker: Service {
    let monitor: Monitor
    let tickSeconds: Double

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try await Task.sleep(for: .milliseconds(Int(tickSeconds * 1000)))
                await monitor.tick(now: BreakwaterServer.now())
            }
        }
    }
}
