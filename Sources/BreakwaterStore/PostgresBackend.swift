import BreakwaterEngine
import BreakwaterWire
import Logging
import NIOCore
import NIOPosix
import PostgresNIO
import Synchronization

/// The PostgreSQL backend: one database shared by several replicas. One connection, used by
/// one operation at a time (a write is one transaction on it); a connection that broke (the
/// server restarted or went away) is dropped and the next operation connects again, so the
/// store comes back by itself when the server does. Each failure throws ``StoreError``
/// (`unavailable` while the server cannot be reached).
final class PostgresBackend: StoreBackend {
    let url: DatabaseURL
    let logger: Logger
    /// The open connection, nil until the first operation or after one broke; held locked for
    /// the whole of each operation.
    private let connection = Mutex<PostgresConnection?>(nil)

    var location: String { url.redacted }
    var isShared: Bool { true }

    /// Longest wait for the server to accept a connection, seconds.
    static let connectTimeoutSeconds: Int64 = 2

    /// Connects and migrates; throws ``StoreError`` when the server cannot be reached or refuses.
    init(url: DatabaseURL, logger: Logger) throws {
        self.url = url
        self.logger = logger
        try PostgresSchema.migrate(self)
    }

    deinit {
        // The connection must outlive its close (postgres-nio asserts it was closed).
        if let c = connection.withLock({ $0 }), !c.isClosed {
            c.close().whenComplete { _ in withExtendedLifetime(c) {} }
        }
    }

    /// Runs `body` with the connection (connecting first when there is none), alone on it.
    func withConnection<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        try connection.withLock { current in
            do {
                if current == nil || current?.isClosed == true { current = try connect() }
                return try body(current!)
            } catch {
                if current?.isClosed == true { current = nil }
                throw StoreError.wrap(postgres: error, location: location)
            }
        }
    }

    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
    func transaction<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        try withConnection { c in
            try run(c, "BEGIN")
            do {
                let result = try body(c)
                try run(c, "COMMIT")
                return result
            } catch {
                if !c.isClosed { _ = try? run(c, "ROLLBACK") }
                throw error
            }
        }
    }

    /// Runs one statement and collects its rows.
    @discardableResult
    func run(_ c: PostgresConnection, _ query: PostgresQuery) throws -> PostgresQueryResult {
        try c.query(query, logger: logger).wait()
    }

    /// Runs `query` alone (its own implicit transaction) and collects its rows.
    @discardableResult
    func run(_ query: PostgresQuery) throws -> PostgresQueryResult {
        try withConnection { c in try run(c, query) }
    }

    private func connect() throws -> PostgresConnection {
        var config = PostgresConnection.Configuration(
            host: url.host,
            port: url.port,
            username: url.user,
            password: url.password,
            database: url.database,
            tls: .disable
        )
        config.options.connectTimeout = .seconds(Self.connectTimeoutSeconds)
        return try PostgresConnection.connect(
            on: MultiThreadedEventLoopGroup.singleton.any(),
            configuration: config,
            id: 1,
            logger: logger
        ).wait()
    }

    func writeHeartbeat(now: EpochSeconds) throws {
        try run(
            "INSERT INTO heartbeat(id, time) VALUES (1, \(now)) ON CONFLICT (id) DO UPDATE SET time = EXCLUDED.time"
        )
    }

    /// Nothing to check without a query: a server gone away shows at the next heartbeat.
    func checkStillThere() throws {}
}
