import Foundation

/// A real PostgreSQL server for tests, on 127.0.0.1: Debian's `postgresql` package, `initdb`
/// into a new temporary directory, `pg_ctl start` on a free port, run as the `postgres` user
/// when the tests run as root (the server refuses root). Trust authentication for the user
/// `breakwater` on loopback only. A watchdog stops the server and removes its directory when
/// the test process ends, however it ends.
public final class TestPostgres: Sendable {
    /// The data directory (also holds the server's log and its Unix socket).
    public let directory: String
    public let port: Int
    private let bin: String
    private let asUser: [String]

    /// One server for the whole test process, started on first use.
    public static func shared() async throws -> TestPostgres { try await SharedServer.instance.server() }

    /// Starts a new server. Throws ``Failure`` naming what is missing (the package, the user).
    public static func start() async throws -> TestPostgres {
        guard let bin = installedBinaries() else {
            throw Failure(
                "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): apt-get install -y postgresql"
            )
        }
        let root = getuid() == 0
        let asUser = root ? ["/usr/sbin/runuser", "-u", "postgres", "--"] : []
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bw-pg-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        if root {
            try await check(ChildProcess.run(URL(fileURLWithPath: "/bin/chown"), ["postgres:", directory]), "chown")
        }
        let server = TestPostgres(directory: directory, port: try freePort(), bin: bin, asUser: asUser)
        try await server.run(
            "initdb",
            ["-D", directory + "/data", "-U", "breakwater", "--auth=trust", "-E", "UTF8", "--no-sync"]
        )
        try server.startWatchdog()
        try await server.startServer()
        return server
    }

    private init(directory: String, port: Int, bin: String, asUser: [String]) {
        self.directory = directory
        self.port = port
        self.bin = bin
        self.asUser = asUser
    }

    /// Creates a new empty database and returns its URL (`postgres://breakwater@127.0.0.1:PORT/NAME`).
    public func newDatabase() async throws -> String {
        let name = "bw_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try await run("createdb", ["-h", "127.0.0.1", "-p", "\(port)", "-U", "breakwater", name])
        return url(database: name)
    }

    /// The URL of database `name` on this server.
    public func url(database name: String) -> String { "postgres://breakwater@127.0.0.1:\(port)/\(name)" }

    /// Runs one SQL statement through `psql` on database `name`; what it printed (unaligned, no headers).
    public func psql(_ sql: String, database name: String) async throws -> String {
        try await run("psql", ["-h", "127.0.0.1", "-p", "\(port)", "-U", "breakwater", "-d", name, "-XAtc", sql])
    }

    /// Stops the server (fast shutdown: sessions are cut, nothing committed is lost).
    public func stop() async throws {
        try await run("pg_ctl", ["-D", directory + "/data", "-m", "fast", "-w", "stop"])
    }

    /// Starts the server again on the same port, after ``stop()``.
    public func restart() async throws { try await startServer() }

    /// `pg_ctl start`, its descriptors above 2 closed first: Foundation notices a child's end by
    /// the close of a socket every descendant inherits, and the server (a daemon that outlives
    /// `pg_ctl`) would hold it open, so the start would never be seen to finish.
    private func startServer() async throws {
        let options = "-p \(port) -k \(directory) -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
        let command =
            asUser + [
                bin + "/pg_ctl", "-D", directory + "/data", "-l", directory + "/server.log", "-o", options, "-w", "-t",
                "30", "start",
            ]
        let closingDescriptors = "import os, sys; os.closerange(3, 65536); os.execv(sys.argv[1], sys.argv[1:])"
        try Self.check(
            await ChildProcess.run(
                URL(fileURLWithPath: "/usr/bin/env"),
                ["python3", "-c", closingDescriptors] + command
            ),
            "pg_ctl start"
        )
    }

    /// A shell that waits for this process to end, then stops the server and removes its directory.
    private func startWatchdog() throws {
        let stop = (asUser + [bin + "/pg_ctl", "-D", directory + "/data", "-m", "immediate", "stop"])
            .map { "'\($0)'" }.joined(separator: " ")
        let script = """
            while kill -0 \(getpid()) 2>/dev/null; do sleep 1; done
            \(stop) >/dev/null 2>&1; rm -rf '\(directory)'
            """
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", script]
        p.standardInput = FileHandle.nullDevice
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
    }

    @discardableResult
    private func run(_ tool: String, _ arguments: [String]) async throws -> String {
        let command = asUser + [bin + "/" + tool] + arguments
        let result = try await ChildProcess.run(URL(fileURLWithPath: command[0]), Array(command.dropFirst()))
        return try Self.check(result, tool)
    }

    @discardableResult
    private static func check(_ r: (status: Int32, output: String, errors: String), _ what: String) throws -> String {
        guard r.status == 0 else { throw Failure("\(what) exited \(r.status): \(r.errors)\(r.output)") }
        return r.output
    }

    /// The newest installed version's bin directory.
    private static func installedBinaries() -> String? {
        let base = "/usr/lib/postgresql"
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: base)) ?? []
        return versions.compactMap { Int($0) }.sorted().reversed().map { "\(base)/\($0)/bin" }
            .first { FileManager.default.isExecutableFile(atPath: $0 + "/initdb") }
    }

    /// A port nobody listens on now (bound to 0, then released).
    private static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure("socket() failed") }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { p in
                bind(fd, p, len) == 0 && getsockname(fd, p, &len) == 0
            }
        }
        guard bound else { throw Failure("no free port on 127.0.0.1") }
        return Int(UInt16(bigEndian: addr.sin_port))
    }

    /// Why a test server could not be had.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        init(_ description: String) { self.description = description }
    }
}

/// The process-wide server, started once.
private actor SharedServer {
    static let instance = SharedServer()
    private var started: Task<TestPostgres, any Error>?

    func server() async throws -> TestPostgres {
        if let started { return try await started.value }
        let task = Task { try await TestPostgres.start() }
        started = task
        return try await task.value
    }
}
