import Foundation

/// Runs a Python 3 script (raw sockets: what an HTTP client library would not send) and
/// returns its standard output and error. Awaits the process without blocking a thread: the tests'
/// server answers on the same small thread pool (two threads on a two-core machine), and two
/// tests blocked waiting for their clients left no thread to answer them.
enum PythonClient {
    static func run(_ script: String, _ arguments: [String]) async throws -> String {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("bw-python-\(UUID().uuidString).out")
        FileManager.default.createFile(atPath: output.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: output) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", script] + arguments
        let file = try FileHandle(forWritingTo: output)
        p.standardOutput = file
        p.standardError = file
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            p.terminationHandler = { _ in done.resume() }
            do { try p.run() } catch { p.terminationHandler = nil; done.resume() }
        }
        return String(decoding: try Data(contentsOf: output), as: UTF8.self)
    }
}
