import BreakwaterEngine
import GRDB
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// SQLite storage (WAL) for the risk state that must survive a restart: breaker and halt state, margin
/// and last good price per market, alerts and their delivery outbox. A thin edge: no business logic.
///
/// Every method is synchronous, thread-safe and may block its thread: a write waits up to
/// ``busyTimeoutSeconds`` for a lock another process holds. While serving, call them on
/// ``writes`` (or ``reads``), through ``writing(_:)`` and ``reading(_:)``, never on Swift's
/// cooperative pool (start-up, before anything is served, may call them directly).
/// A write has been committed with `synchronous = FULL` when it returns: it survives a crash
/// and a power loss.
public final class RiskStateStore: Sendable {
    public let path: String
    let pool: DatabasePool
    /// Device and inode of the file opened, to notice it being deleted or replaced under us
    /// (SQLite keeps writing to the open, unlinked file, and everything is gone at restart).
    let fileIdentity: FileIdentity?
    /// Held while open: one process per storage file.
    let instanceLock: InstanceLock
    /// Where writes run, one at a time and in order (``AlertCenter`` runs here too).
    public let writes = StorageQueue(label: "breakwater.store.writes")
    /// Where reads run, so that a write waiting for a lock does not hold them up (WAL lets
    /// them read the last committed state meanwhile).
    public let reads = StorageQueue(label: "breakwater.store.reads")
    /// Deliveries per destination and status, for metrics without a table scan.
    let outbox: OutboxCounts
    /// When the heartbeat was last written (epoch seconds).
    let lastHeartbeat = Mutex<Double>(0)

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

    /// Opens (creating if needed) and migrates the database at `path`, after taking its
    /// instance lock. Throws a ``StoreError`` naming what to fix: unwritable path, lock file
    /// that cannot be made, storage held by another process, corrupt file, full disk.
    public init(path: String) throws {
        self.path = path
        instanceLock = try InstanceLock(databasePath: path)
        var config = Configuration()
        config.busyMode = .timeout(Self.busyTimeoutSeconds)
        config.prepareDatabase { db in
            // With WAL, NORMAL syncs only at checkpoints: a commit acknowledged to a client
            // could vanish on power loss. FULL syncs the WAL at every commit (3.5 ms against
            // 0.06 ms on this project's test machine, well within a push's budget).
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        do {
            pool = try DatabasePool(path: path, configuration: config)
            try Schema.migrator.migrate(pool)
            try pool.write { db in try db.execute(sql: "PRAGMA quick_check") }
            outbox = OutboxCounts(try Self.countDeliveries(pool))
        } catch {
            throw StoreError.wrap(error, path: path)
        }
        fileIdentity = FileIdentity(path: path)
    }

    /// Runs `body` with the store on ``writes``, after the writes queued before it; the caller
    /// suspends meanwhile. Its writes are bounded by the busy timeout from this call.
    public func writing<T: Sendable>(_ body: @escaping @Sendable (RiskStateStore) throws -> T) async throws -> T {
        let deadline = Self.writeDeadline ?? .now + .seconds(Self.busyTimeoutSeconds)
        return try await writes.run { try Self.$writeDeadline.withValue(deadline) { try body(self) } }
    }

    /// Runs `body` with the store on ``reads``; the caller suspends meanwhile.
    public func reading<T: Sendable>(_ body: @escaping @Sendable (RiskStateStore) throws -> T) async throws -> T {
        try await reads.run { try body(self) }
    }

    /// Runs a write transaction, translating failures into ``StoreError``. Refuses to write
    /// when `path` no longer names the file opened. Waits for a lock until the task's write
    /// deadline, or ``busyTimeoutSeconds`` from now.
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        try checkFileIsTheOneOpened()
        let deadline = Self.writeDeadline ?? .now + .seconds(Self.busyTimeoutSeconds)
        do {
            return try pool.writeWithoutTransaction { db in
                // Past the deadline (queued behind writes that waited): one try, no wait.
                let left = ContinuousClock.now.duration(to: deadline).components
                let ms = max(0, left.seconds * 1000 + left.attoseconds / 1_000_000_000_000_000)
                try db.execute(sql: "PRAGMA busy_timeout = \(ms)")
                var result: T?
                try db.inTransaction(.immediate) {
                    result = try body(db)
                    return .commit
                }
                return result!
            }
        } catch {
            throw StoreError.wrap(error, path: path)
        }
    }

    /// Runs a read, translating failures into ``StoreError``.
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try pool.read(body) } catch { throw StoreError.wrap(error, path: path) }
    }

    /// Checks the database can still be written at `now` (epoch seconds), for readiness probes.
    /// Throws ``StoreError`` (disk full, file removed or made read-only...).
    public func checkWritable(now: Double) throws {
        try write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO heartbeat(id, time) VALUES (1, ?)", arguments: [now])
        }
        lastHeartbeat.withLock { $0 = now }
    }

    /// For a hand-over with nothing to write (an idle tick): checks that `path` still names the
    /// file opened (one `stat`), and writes the heartbeat when the last one is at least
    /// ``heartbeatSeconds`` older than `now` (epoch seconds), so that a disk gone full or
    /// read-only is noticed while idle too. Throws ``StoreError``.
    public func checkAlive(now: Double) throws {
        try checkFileIsTheOneOpened()
        if now - lastHeartbeat.withLock({ $0 }) >= Self.heartbeatSeconds { try checkWritable(now: now) }
    }

    /// Seconds between heartbeat writes while nothing else is written.
    public static let heartbeatSeconds: Double = 10

    /// Throws when `path` no longer names the file opened (deleted or replaced under us).
    func checkFileIsTheOneOpened() throws {
        if let opened = fileIdentity, FileIdentity(path: path) != opened {
            throw StoreError(
                kind: .unwritable,
                path: path,
                message: "the database file was deleted or replaced while running; what is written now would be "
                    + "lost at restart: restore the file, or restart to open a new one"
            )
        }
    }
}

/// A file's device and inode number; nil for a path that names nothing.
struct FileIdentity: Equatable, Sendable {
    let device: UInt64
    let inode: UInt64

    init?(path: String) {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        device = UInt64(st.st_dev)
        inode = UInt64(st.st_ino)
    }
}
