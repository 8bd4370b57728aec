#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive lock on `<database>.lock`, held while a store is open, so that a second
/// Breakwater started on the same storage (a double start, two pods on one volume) refuses it
/// instead of writing into the first one's outbox (it recorded the first one's sends in
/// progress as interrupted).
///
/// A POSIX record lock (`fcntl`): held per process, so one process may open its store twice
/// (tests do); released by the kernel when the process dies, so a `kill -9` leaves no stale
/// lock. Where the lock file cannot be created (a read-only directory, `/dev/null`), there is
/// no lock and the store opens as before.
final class InstanceLock: Sendable {
    private let fd: Int32

    /// Takes the lock for the database at `path`; throws ``StoreError`` (`busy`) when another
    /// process holds it; nil when no lock file can be made there.
    init?(databasePath path: String) throws {
        let fd = open(path + ".lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return nil }
        var lock = flock()
        lock.l_type = Int16(F_WRLCK)
        lock.l_whence = Int16(SEEK_SET)
        if fcntl(fd, F_SETLK, &lock) != 0 {
            let code = errno
            var holder = flock()
            holder.l_type = Int16(F_WRLCK)
            holder.l_whence = Int16(SEEK_SET)
            let pid = fcntl(fd, F_GETLK, &holder) == 0 && holder.l_type != Int16(F_UNLCK) ? " (pid \(holder.l_pid))" : ""
            close(fd)
            guard code == EAGAIN || code == EACCES else { return nil }
            throw StoreError(kind: .busy, path: path,
                             message: "another process\(pid) has this storage open; two Breakwater instances must not share "
                                 + "one storage file (give each its own storage.path)")
        }
        self.fd = fd
    }

    deinit { close(fd) }
}
