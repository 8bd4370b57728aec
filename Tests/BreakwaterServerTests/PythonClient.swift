import BreakwaterTestSupport
import Foundation

/// Runs a Python 3 script (raw sockets: what an HTTP client library would not send) and
/// returns its standard output and error together. Awaits the process without blocking a
/// thread (see ``ChildProcess``): the tests' server answers on the same small thread pool.
enum PythonClient {
    static func run(_ script: String, _ arguments: [String]) async throws -> String {
        try await ChildProcess.run(
            URL(fileURLWithPath: "/usr/bin/env"),
            ["python3", "-c", script] + arguments,
            mergingErrors: true
        ).output
    }
}
