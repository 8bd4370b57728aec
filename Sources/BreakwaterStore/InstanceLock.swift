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
/// lock. Where the lock file cannot be made or locked (a read-only directory, a path whose
/// parent is a file, a file system without locks), the store is not opened: without the lock
/// nothing would stop a second instance from sharing the file.
final class InstanceLock: Sendable {
    private let fd: Int32

    /// Takes the lock for the database at `path`; throws ``StoreError``: `busy` when another
    /// process holds it, `unwritable` when it cannot be taken.
    init(databasePath path: String) throws {
        let lockPath = path + ".lock"
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            let reason = String(cString: strerror(errno))
            throw StoreError(
                kind: .unwritable,
                path: path,
                message: "cannot create the lock file \(lockPath) (\(reason)); without it a second Breakwater could "
                    + "share this storage: make its directory writable for the service user, or change storage.path"
            )
        }
        var lock = flock()
        lock.l_type = Int16(F_WRLCK)
        lock.l_whence = Int16(SEEK_SET)
        if fcntl(fd, F_SETLK, &lock) != 0 {
            let code = errno
            var holder = flock()
            holder.l_type = Int16(F_WRLCK)
            holder.l_whence = Int16(SEEK_SET)
            let pid =
                fcntl(fd, F_GETLK, &holder) == 0 && holder.l_type != Int16(F_UNLCK) ? " (pid \(holder.l_pid))" : ""
            close(fd)
            guard code == EAGAIN || code == EACCES else {
                throw StoreError(
                    kind: .unwritable,
                    path: path,
                    message: "cannot lock \(lockPath) (\(String(cString: strerror(code)))); without the lock a second "
                        + "Breakwater could share this storage: put storage.path on a local file system"
                )
            }
            throw StoreError(
                kind: .busy,
                path: path,
                message: "another process\(pid) has this storage open; two Breakwater instances must not share "
                    + "one storage file (give each its own storage.path)"
            )
        }
        self.fd = fd
    }

    deinit { close(fd) }
}
