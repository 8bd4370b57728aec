import ArgumentParser
import BreakwaterConfig
import BreakwaterEngine
import BreakwaterServer
import Foundation
import Logging
import Metrics
import Prometheus

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the service: poll sources, evaluate markets, serve the API, metrics and status page."
    )

    @Option(help: "Configuration file (default: $BREAKWATER_CONFIG or ./config.json).") var config: String?
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        let logger = try logging.bootstrap()
        let cfg = try ConfigPath.load(config)
        try await Self.serve(cfg, logger: logger, pollFeeds: true)
    }

    /// Shared by `serve` and `demo`.
    static func serve(
        _ cfg: BreakwaterConfig,
        logger: Logger,
        pollFeeds: Bool,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        statusNotice: String? = nil,
        onListening: @escaping @Sendable (Int, BreakwaterServer) async -> Void = { _, _ in }
    ) async throws {
        // The server records its own metrics into `registry` through the factory it is given;
        // the global bootstrap (once per process) sends any library's swift-metrics there too.
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(BreakwaterMetricsFactory(registry: registry))
        var server: BreakwaterServer
        do {
            server = try BreakwaterServer(
                config: cfg,
                environment: environment,
                registry: registry,
                logger: logger
            )
        } catch let error as ConfigError {
            // Problems with the secrets' values (a token too short, protectReads with no token
            // that can read): a configuration error, exit 2 like the others.
            FileHandle.standardError.write(
                Data("configuration: \(error.issues.count) problem(s)\n\(error.description)\n".utf8)
            )
            throw ExitCode(2)
        }
        server.statusNotice = statusNotice
        // Through the logger, so that with --log-format json every line on stdout is JSON.
        for m in cfg.markets {
            let sources = m.sources.map { s in
                "\(s.id) (\(s.kind.rawValue)\(s.symbol.map { " \($0)" } ?? "")\(s.normalizeBy.map { " x \($0)" } ?? "")\(s.kind == .push ? "" : " every \(s.intervalMs) ms"))"
            }
            logger.info(
                "market \(m.id): \(m.aggregation.method.rawValue) of \(m.sources.count) sources, quorum \(m.aggregation.minSources): \(sources.joined(separator: ", "))"
            )
        }
        // Printed once the socket is bound: the port is the real one (server.port 0 picks a free one).
        let running = server
        try await server.run(
            pollFeeds: pollFeeds,
            onListening: { port in
                let host = ConfigLoader.hostForURL(cfg.server.host)
                logger.notice("breakwater \(BreakwaterServer.version) listening on http://\(host):\(port)")
                await onListening(port, running)
            }
        )
    }
}
