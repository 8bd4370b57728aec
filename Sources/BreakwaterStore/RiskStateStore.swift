import BreakwaterEngine
public import BreakwaterWire
public import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The risk state that must survive a restart: breaker and halt state, margin and last good
/// price per market, alerts and their delivery outbox. A thin edge: no business logic. Two
/// backends behind one interface: an SQLite file (``init(path:)``, the embedded default, one
/// process) and a PostgreSQL database (``init(postgres:logger:)``, shared by several replicas).
///
/// Every method is synchronous, thread-safe and may block its thread: a write waits up to
/// ``busyTimeoutSeconds`` for a lock another process holds. While serving, call them on
/// ``writes`` (or ``reads``), through ``writing(_:)`` and ``reading(_:)``, never on Swift's
/// cooperative pool (start-up, before anything is served, may call them directly).
/// A write has been committed durably when it returns.
public final class RiskStateStore: Sendable {
    /// Where the data lives: the SQLite file, or the PostgreSQL URL without its password.
    public let path: String
    let backend: any StoreBackend
    /// Where writes run, one at a time and in order (``AlertCenter`` runs here too).
    public let writes = StorageQueue(label: "breakwater.store.writes")
    /// Where reads run, so that a write waiting for a lock does not hold them up.
    public let reads = StorageQueue(label: "breakwater.store.reads")
    /// Deliveries per destination and status, for metrics without a table scan.
    let outbox: OutboxCounts
    /// False until ``outbox`` holds the database's counts (see ``countOutboxIfNeeded()``).
    private let outboxCounted: Mutex<Bool>
    /// When the heartbeat was last written (epoch seconds).
    let lastHeartbeat = Mutex<Double>(0)
    /// This process among the replicas sharing the database: host, process id and a random
    /// part (a restarted replica is a new one). Names lease holders and delivery claims.
    public let replica: String
    /// How long the last write on ``writes`` took, seconds (the database's latency as seen here).
    let lastWriteSeconds = Mutex<Double>(0)
    /// Delivery claims granted and refused (another replica had it) since this store opened.
    let claimCounts = Mutex<(granted: Int, refused: Int)>((0, 0))

    /// Longest a write waits for a lock held by another process (a `sqlite3` shell in a
    /// transaction, a backup tool), seconds, counted from when it was asked for; then it
    /// fails with ``StoreError/Kind/busy``.
    public static let busyTimeoutSeconds: Double = 2

    /// When the writes of the current task give up waiting for a lock; nil: the busy timeout
    /// from when each write starts. ``withWriteDeadline(_:)`` sets it for a whole change.
    @TaskLocal static var writeDeadline: ContinuousClock.Instant?

    /// Runs `operation` with every store write it makes bounded by one busy timeout from now,
    /// including the time spent queued behind other writes.
    public static func withWriteDeadline<T: Sendable>(_ operation: () async throws -> T) async throws -> T {
        try await $writeDeadline.withValue(writeDeadline ?? .now + .seconds(busyTimeoutSeconds), operation: operation)
    }

    /// Opens (creating if needed) and migrates the SQLite database at `path`, after taking its
    /// instance lock. Throws a ``StoreError`` naming what to fix: unwritable path, lock file
    /// that cannot be made, storage held by another process, corrupt file, full disk.
    public convenience init(path: String) throws {
        try self.init(backend: SQLiteBackend(path: path))
    }

    /// Connects to the PostgreSQL database `url` names and migrates it (several replicas may
    /// do so at once). Throws a ``StoreError`` naming what to fix: server unreachable, login
    /// refused, no such database. With `connectNow` false nothing is asked of the server here
    /// (a replica starting while it is away): the first operation connects and migrates, every
    /// operation throws as above until it can, and ``countOutboxIfNeeded()`` counts the outbox.
    public convenience init(postgres url: DatabaseURL, logger: Logger, connectNow: Bool = true) throws {
        try self.init(backend: PostgresBackend(url: url, logger: logger, connectNow: connectNow), countNow: connectNow)
    }

    /// `countNow` false: the outbox is counted by ``countOutboxIfNeeded()``, not here.
    init(backend: any StoreBackend, countNow: Bool = true) throws {
        self.backend = backend
        var host = [CChar](repeating: 0, count: 256)
        let name =
            gethostname(&host, host.count) == 0
            ? String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : "host"
        replica = "\(name)-\(getpid())-\(UInt16.random(in: 0...UInt16.max))"
        path = backend.location
        outbox = OutboxCounts(countNow ? try backend.countDeliveries() : [:])
        outboxCounted = Mutex(countNow)
    }

    /// Counts the deliveries per destination and status, for a store opened without reaching its
    /// database; nothing once counted. Call it on ``writes`` (no delivery changes meanwhile).
    public func countOutboxIfNeeded() throws {
        guard !outboxCounted.withLock({ $0 }) else { return }
        outbox.reset(to: try backend.countDeliveries())
        outboxCounted.withLock { $0 = true }
    }

    /// Runs `body` with the store on ``writes``, after the writes queued before it; the caller
    /// suspends meanwhile. Its writes are bounded by the busy timeout from this call.
    public func writing<T: Sendable>(_ body: @escaping @Sendable (RiskStateStore) throws -> T) async throws -> T {
        let deadline = Self.writeDeadline ?? .now + .seconds(Self.busyTimeoutSeconds)
        return try await writes.run {
            let began = ContinuousClock.now
            defer {
                let took = (ContinuousClock.now - began).components
                self.lastWriteSeconds.withLock { $0 = Double(took.seconds) + Double(took.attoseconds) * 1e-18 }
            }
            return try Self.$writeDeadline.withValue(deadline) { try body(self) }
        }
    }

    /// How long the last write through ``writing(_:)`` took, seconds.
    public var lastWriteDuration: Double { lastWriteSeconds.withLock { $0 } }

    /// Delivery claims granted to this replica and refused (another replica was sending) since it opened.
    public var deliveryClaims: (granted: Int, refused: Int) { claimCounts.withLock { $0 } }

    /// Runs `body` with the store on ``reads``; the caller suspends meanwhile.
    public func reading<T: Sendable>(_ body: @escaping @Sendable (RiskStateStore) throws -> T) async throws -> T {
        try await reads.run { try body(self) }
    }

    /// Checks the database can still be written at `now` (epoch seconds), for readiness probes.
    /// Throws ``StoreError`` (disk full, file removed or made read-only, server away...).
    public func checkWritable(now: Double) throws {
        try backend.writeHeartbeat(now: now)
        lastHeartbeat.withLock { $0 = now }
    }

    /// For a hand-over with nothing to write (an idle tick): checks that the database is still
    /// the one opened (an SQLite file: one `stat`), and writes the heartbeat when the last one
    /// is at least ``heartbeatSeconds`` older than `now` (epoch seconds), so that a disk gone
    /// full or a server gone away is noticed while idle too. Throws ``StoreError``.
    public func checkAlive(now: Double) throws {
        try backend.checkStillThere()
        if now - lastHeartbeat.withLock({ $0 }) >= Self.heartbeatSeconds { try checkWritable(now: now) }
    }

    /// True when several replicas may share this store (PostgreSQL); false for an SQLite file,
    /// which one process holds.
    public var isShared: Bool { backend.isShared }

    /// Seconds between heartbeat writes while nothing else is written.
    public static let heartbeatSeconds: Double = 10
}
