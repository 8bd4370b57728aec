import BreakwaterEngine
import GRDB

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The SQLite backend (WAL, GRDB): one file, one process (its instance lock refuses a second).
/// A write has been committed with `synchronous = FULL` when it returns: it survives a crash
/// and a power loss.
final class SQLiteBackend: StoreBackend {
    let path: String
    let pool: DatabasePool
    /// Device and inode of the file opened, to notice it being deleted or replaced under us
    /// (SQLite keeps writing to the open, unlinked file, and everything is gone at restart).
    let fileIdentity: FileIdentity?
    /// Held while open: one process per storage file.
    let instanceLock: InstanceLock

    var location: String { path }
    var isShared: Bool { false }

    /// Opens (creating if needed) and migrates the database at `path`, after taking its
    /// instance lock. Throws a ``StoreError``.
    init(path: String) throws {
        self.path = path
        instanceLock = try InstanceLock(databasePath: path)
        var config = Configuration()
        config.busyMode = .timeout(RiskStateStore.busyTimeoutSeconds)
        config.prepareDatabase { db in
            // With WAL, NORMAL syncs only at checkpoints: a commit acknowledged to a client
            // could vanish on power loss. FULL syncs the WAL at every commit (3.5 ms against
            // 0.06 ms on this project's test machine, well within a push's budget).
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        do {
            pool = try DatabasePool(path: path, configuration: config)
            try SQLiteSchema.migrator.migrate(pool)
            try pool.write { db in try db.execute(sql: "PRAGMA quick_check") }
        } catch {
            throw StoreError.wrap(error, path: path)
        }
        fileIdentity = FileIdentity(path: path)
    }

    /// Runs a write transaction, translating failures into ``StoreError``. Refuses to write
    /// when `path` no longer names the file opened. Waits for a lock until the task's write
    /// deadline, or ``RiskStateStore/busyTimeoutSeconds`` from now.
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        try checkStillThere()
        let deadline = RiskStateStore.writeDeadline ?? .now + .seconds(RiskStateStore.busyTimeoutSeconds)
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

    func writeHeartbeat(now: EpochSeconds) throws {
        try write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO heartbeat(id, time) VALUES (1, ?)", arguments: [now])
        }
    }

    /// Throws when `path` no longer names the file opened (deleted or replaced under us).
    func checkStillThere() throws {
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
