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
/// store comes back by itself when the server does. The schema is migrated on the first
/// connection that succeeds (a replica may start while the server is away). Each failure
/// throws ``StoreError`` (`unavailable` while the server cannot be reached, `unwritable` for a
/// login refused or a database missing).
final class PostgresBackend: StoreBackend {
    let url: DatabaseURL
    let logger: Logger
    /// The open connection (nil until the first operation or after one broke) and whether the
    /// schema is migrated; held locked for the whole of each operation.
    private let session = Mutex<(connection: PostgresConnection?, migrated: Bool)>((nil, false))

    var location: String { url.redacted }
    var isShared: Bool { true }

    /// Longest wait for the server to accept a connection, seconds.
    static let connectTimeoutSeconds: Int64 = 2

    /// With `connectNow`, connects and migrates here and throws ``StoreError`` when the server
    /// cannot be reached or refuses; without, the first operation does.
    init(url: DatabaseURL, logger: Logger, connectNow: Bool = true) throws {
        self.url = url
        self.logger = logger
        if connectNow { try withConnection { _ in } }
    }

    deinit {
        // The connection must outlive its close (postgres-nio asserts it was closed).
        if let c = session.withLock({ $0.connection }), !c.isClosed {
            c.close().whenComplete { _ in withExtendedLifetime(c) {} }
        }
    }

    /// Runs `body` with the connection (connecting, and migrating the first time, when there is
    /// none), alone on it.
    func withConnection<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        try session.withLock { s in
            do {
                if s.connection == nil || s.connection?.isClosed == true { s.connection = try connect() }
                let c = s.connection!
                if !s.migrated {
                    try inTransaction(c) { try PostgresSchema.migrate(self, on: $0) }
                    s.migrated = true
                }
                return try body(c)
            } catch {
                if s.connection?.isClosed == true { s.connection = nil }
                throw StoreError.wrap(postgres: error, location: location)
            }
        }
    }

    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
    func transaction<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        try withConnection { c in try inTransaction(c, body) }
    }

    /// Runs `body` in one transaction on `c`, which the caller holds.
    private func inTransaction<T>(_ c: PostgresConnection, _ body: (PostgresConnection) throws -> T) throws -> T {
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
