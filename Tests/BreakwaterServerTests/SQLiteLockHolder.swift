import Foundation

/// Another process holding an SQLite database's write lock, as a `sqlite3` shell does after
/// `BEGIN EXCLUSIVE;`, until ``release()`` (Python's sqlite3 module, in a child process).
/// Unchecked: Process and Pipe are not Sendable; tests call ``release()`` from one task at a time.
final class SQLiteLockHolder: @unchecked Sendable {
    private let process = Process()
    private let input = Pipe()

    init(path: String) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import sqlite3, sys; c = sqlite3.connect(sys.argv[1], isolation_level=None); "
                             + "c.execute('BEGIN EXCLUSIVE'); print('locked', flush=True); sys.stdin.read()", path]
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        let said = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
        guard said.contains("locked") else {
            release()
            throw CocoaError(.fileLocking, userInfo: [NSLocalizedDescriptionKey: "could not lock \(path): \(said)"])
        }
    }

    /// Ends the transaction (the process exits) and waits for it.
    func release() {
        guard process.isRunning else { return }
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }

    deinit { release() }
}
