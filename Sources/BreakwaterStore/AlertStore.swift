import BreakwaterEngine
import GRDB
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// SQLite storage (WAL) for alerts, the delivery outbox and market state. A thin edge: no business logic.
/// Every method is synchronous and thread-safe; writes are committed when the method returns.
public final class AlertStore: Sendable {
    public let path: String
    let pool: DatabasePool
    /// Device and inode of the file opened, to notice it being deleted or replaced under us
    /// (SQLite keeps writing to the open, unlinked file, and everything is gone at restart).
    let fileIdentity: FileIdentity?
    /// Held while open: one process per storage file.
    let instanceLock: InstanceLock?

    /// Opens (creating if needed) and migrates the database at `path`.
    /// Throws a ``StoreError`` naming what to fix: unwritable path, corrupt file, full disk.
    public init(path: String) throws {
        self.path = path
        instanceLock = try InstanceLock(databasePath: path)
        var config = Configuration()
        config.busyMode = .timeout(5)
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        do {
            pool = try DatabasePool(path: path, configuration: config)
            try Schema.migrator.migrate(pool)
            try pool.write { db in try db.execute(sql: "PRAGMA quick_check") }
        } catch {
            throw StoreError.wrap(error, path: path)
        }
        fileIdentity = FileIdentity(path: path)
    }

    /// Runs a write transaction, translating failures into ``StoreError``. Refuses to write
    /// when `path` no longer names the file opened.
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        if let opened = fileIdentity, FileIdentity(path: path) != opened {
            throw StoreError(kind: .unwritable, path: path,
                             message: "the database file was deleted or replaced while running; what is written now would be "
                                 + "lost at restart: restore the file, or restart to open a new one")
        }
        do { return try pool.write(body) } catch { throw StoreError.wrap(error, path: path) }
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
