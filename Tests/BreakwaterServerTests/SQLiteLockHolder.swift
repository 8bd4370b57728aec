import BreakwaterTestSupport
import Foundation

/// Another process holding an SQLite database's write lock, as a `sqlite3` shell does after
/// `BEGIN EXCLUSIVE;`, until ``release()`` (Python's sqlite3 module, in a child process).
/// Waits for the child without blocking a thread of the shared pool (see ``ChildProcess``).
/// Unchecked: tests call ``release()`` from one task at a time.
final class SQLiteLockHolder: @unchecked Sendable {
    private let child: ChildProcess

    private init(child: ChildProcess) { self.child = child }

    /// Starts the holder and returns once it has the lock (it says "locked"), at most 30 s.
    static func lock(path: String) async throws -> SQLiteLockHolder {
        let child = try ChildProcess.python(
            "import sqlite3, sys; c = sqlite3.connect(sys.argv[1], isolation_level=None); "
                + "c.execute('BEGIN EXCLUSIVE'); print('locked', flush=True); sys.stdin.read()",
            [path],
            input: .open,
            mergingErrors: true
        )
        let holder = SQLiteLockHolder(child: child)
        guard await child.printed("locked", within: 30) else {
            await holder.release()
            throw CocoaError(
                .fileLocking,
                userInfo: [NSLocalizedDescriptionKey: "could not lock \(path): \(child.output)"]
            )
        }
        return holder
    }

    /// Ends the transaction (the process exits on end of input) and waits for it.
    func release() async {
        child.closeInput()
        await child.exited()
    }

    deinit { child.closeInput() }
}
