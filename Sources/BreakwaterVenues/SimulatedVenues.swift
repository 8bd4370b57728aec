public import BreakwaterEngine
public import Foundation
import Hummingbird
public import Logging
import ServiceLifecycle

/// Local venues on 127.0.0.1 that speak the real response formats of Coinbase, Coinbase Exchange,
/// Kraken, Binance, Bitstamp, OKX, Bybit, Pyth Hermes, a Chainlink JSON-RPC node and a custom JSON
/// endpoint, on one port. Prices are synthetic and every answer says so (`X-Breakwater-Simulated: true`).
///
/// Paths (base URL `http://127.0.0.1:<port>` for every adapter): `/v2/prices/{sym}/spot`,
/// `/products/{sym}/ticker`, `/0/public/Ticker?pair=`, `/api/v3/ticker/price|bookTicker?symbol=`,
/// `/api/v2/ticker/{pair}/`, `/api/v5/market/ticker?instId=`, `/v5/market/tickers?symbol=`,
/// `/v2/updates/price/latest?ids[]=..`, `POST /rpc` (chainlink), `/custom/{sym}` (json: `/data/price`,
/// `/data/timestamp`, `/data/conf`).
public final class SimulatedVenues: Sendable {
    /// Prices, modes and request counters; change them at any time.
    public let state: VenueState
    /// The bound TCP port on 127.0.0.1.
    public let port: Int
    private let server: Task<Void, any Error>

    /// `http://127.0.0.1:<port>`: the `baseURL` (and chainlink `rpcURL` + `/rpc`) for every adapter.
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    private let group: ServiceGroup

    private init(state: VenueState, port: Int, server: Task<Void, any Error>, group: ServiceGroup) {
        self.state = state
        self.port = port
        self.server = server
        self.group = group
    }

    /// Starts the server and returns once it listens.
    /// - Parameters:
    ///   - port: 0 picks a free port.
    ///   - clock: the time venues stamp their answers with, epoch seconds.
    public static func start(
        port: Int = 0,
        logger: Logger? = nil,
        clock: @escaping @Sendable () -> EpochSeconds = { Date().timeIntervalSince1970 }
    ) async throws -> SimulatedVenues {
        let state = VenueState(clock: clock)
        var log = logger ?? Logger(label: "breakwater.venues")
        // Hummingbird logs task cancellation on stop() as an error: keep the default logger quiet.
        if logger == nil { log.logLevel = .critical }
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: VenueRoutes.router(state),
            configuration: .init(
                address: .hostname("127.0.0.1", port: port),
                serverName: "breakwater-simulated-venues"
            ),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            },
            logger: log
        )
        // Run under a ServiceGroup so stop() is a graceful shutdown: the listening socket closes
        // before connections are torn down (cancelling app.run() can race a connection being
        // accepted, which trips an assertion in NIO's async channel).
        let group = ServiceGroup(configuration: .init(services: [.init(service: app)], logger: log))
        let task = Task {
            defer { continuation.finish() }
            try await group.run()
        }
        for await bound in ports where bound > 0 {
            return SimulatedVenues(state: state, port: bound, server: task, group: group)
        }
        await group.triggerGracefulShutdown()
        _ = await task.result
        throw VenueStartError(message: "simulated venues did not start on 127.0.0.1:\(port)")
    }

    /// Stops the server and waits until it has.
    public func stop() async {
        await group.triggerGracefulShutdown()
        _ = await server.result
    }
}

public struct VenueStartError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
