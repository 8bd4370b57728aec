import BreakwaterEngine
import BreakwaterStore
import BreakwaterTestSupport
import Foundation
import Testing

/// One process per storage file.
struct InstanceLockTests {
    /// A second process on the same storage is refused (a double start wrote into the first
    /// one's outbox); the same process may open it again, and a dead holder leaves no lock.
    @Test func anotherProcessOnTheSameStorageIsRefused() async throws {
        let path = tempDBPath()
        _ = try RiskStateStore(path: path)
        // Awaited without blocking a thread of the shared pool (see ChildProcess).
        let holder = try ChildProcess.python(
            "import fcntl, sys; f = open(sys.argv[1], 'w'); fcntl.lockf(f, fcntl.LOCK_EX); "
                + "print('locked', flush=True); sys.stdin.read()",
            [path + ".lock"],
            input: .open,
            mergingErrors: true
        )
        try #require(await holder.printed("locked", within: 30), "the holder did not take the lock: \(holder.output)")
        do {
            _ = try RiskStateStore(path: path)
            Issue.record("opened storage another process holds")
        } catch let e as StoreError {
            #expect(e.kind == .busy && e.message.contains("another process (pid \(holder.processIdentifier))"), "\(e)")
        }
        holder.closeInput()
        await holder.exited()
        _ = try RiskStateStore(path: path)  // the holder is gone: free again
    }
}

// Where the instance lock cannot be taken the store is not used: two instances could share it.
extension InstanceLockTests {
    @Test func aLockFileThatCannotBeCreatedRefusesTheStore() throws {
        let path = tempDBPath()
        // A directory where the lock file should be: open(2) fails (EISDIR) even for root,
        // while the database itself could be created next to it.
        try FileManager.default.createDirectory(atPath: path + ".lock", withIntermediateDirectories: false)
        let error = #expect(throws: StoreError.self) { try RiskStateStore(path: path) }
        #expect(error?.kind == .unwritable, "\(String(describing: error))")
        #expect(
            error?.message.contains("cannot create the lock file \(path).lock") == true,
            "\(String(describing: error))"
        )
        #expect(!FileManager.default.fileExists(atPath: path), "the database was opened without its lock")
    }
}
