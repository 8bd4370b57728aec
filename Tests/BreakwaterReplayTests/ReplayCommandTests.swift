import BreakwaterTestSupport
import Foundation
import Testing

/// `breakwater replay` run as a user would: files that are not CSVs, outputs that must not be
/// clobbered, exit codes. Child processes are awaited without blocking a thread (ChildProcess).
@Suite(.serialized) struct ReplayCommandTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static var binary: URL? {
        [".build/debug", ".build/x86_64-unknown-linux-gnu/debug", ".build/aarch64-unknown-linux-gnu/debug"]
            .map { root.appendingPathComponent($0).appendingPathComponent("breakwater") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    let dir: URL
    let config: URL

    init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("bw-replay-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        config = dir.appendingPathComponent("config.json")
        try
            #"{"markets":[{"id":"BTC-USD","aggregation":{"minSources":1},"sources":[{"id":"a","kind":"push","tokenEnv":"T"}]}]}"#
            .write(to: config, atomically: true, encoding: .utf8)
    }

    /// Runs `breakwater replay` with `arguments`; returns exit code, stdout, stderr.
    func replay(_ arguments: [String]) async throws -> (Int32, String, String) {
        let binary = try #require(Self.binary, "build the breakwater product first (swift build)")
        return try await ChildProcess.run(binary, ["replay", "--config", config.path] + arguments)
    }

    func write(_ name: String, _ text: String) throws -> String {
        let url = dir.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    static let rows = (0..<20).map { "\(1_700_000_000 + $0),BTC-USD,a,100" }.joined(separator: "\n") + "\n"

    @Test func aDirectoryIsRefusedNotACrash() async throws {
        let (code, _, err) = try await replay(["--input", dir.path])
        #expect(code == 2)
        #expect(err.contains("it is a directory"), "\(err)")
    }

    @Test func theInputIsNeverOverwritten() async throws {
        let input = try write("prices.csv", Self.rows)
        let link = dir.appendingPathComponent("link.csv").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: input)
        for output in [input, link] {
            let (code, _, err) = try await replay(["--input", input, "--output", output])
            #expect(code == 2)
            #expect(err.contains("it is the input file"), "\(err)")
        }
        #expect(try String(contentsOfFile: input, encoding: .utf8) == Self.rows)
    }

    @Test func eventsGoThroughAFIFOAndAFullDeviceFails() async throws {
        let input = try write("prices.csv", Self.rows)
        let fifo = dir.appendingPathComponent("events.fifo").path
        #expect(mkfifo(fifo, 0o644) == 0)
        // A reader on the FIFO (a process, so that no test thread blocks in open(2)).
        let copy = dir.appendingPathComponent("events.jsonl").path
        let reader = try ChildProcess(URL(fileURLWithPath: "/bin/sh"), ["-c", "cat \"$0\" > \"$1\"", fifo, copy])
        let (code, out, _) = try await replay(["--input", input, "--output", fifo])
        #expect(code == 0, "\(out)")
        await reader.exited()
        let events = try String(contentsOfFile: copy, encoding: .utf8)
        #expect(events.split(separator: "\n").count >= 1 && events.hasPrefix("{"))
        var st = stat()
        #expect(stat(fifo, &st) == 0 && st.st_mode & S_IFMT == S_IFIFO, "still a FIFO")
        if FileManager.default.isWritableFile(atPath: "/dev/full") {
            let (full, _, err) = try await replay(["--input", input, "--output", "/dev/full"])
            #expect(full == 1)
            #expect(err.contains("cannot write the events to /dev/full"), "\(err)")
            #expect(stat("/dev/full", &st) == 0 && st.st_mode & S_IFMT == S_IFCHR, "still a device")
        }
    }

    @Test func noUsableRowIsAFailure() async throws {
        let input = try write(
            "bad.csv",
            "timestamp,market,source,price\n1700000000,BTC-USD,a,0x10\n1700000001,ETH-USD,a,1\n"
        )
        let (code, out, err) = try await replay(["--input", input])
        #expect(code == 1)
        #expect(out.contains("line 2: price \"0x10\" is not a decimal number"), "\(out)")
        #expect(err.contains("no usable price row"), "\(err)")
    }

    /// A header that is refused leaves the columns unknown: no row is read (by position, a
    /// `volume` column was taken for the confidence), exit 2.
    @Test func aRefusedHeaderStopsTheReplay() async throws {
        let input = try write(
            "vol.csv",
            "timestamp,market,source,price,volume\n" + Self.rows.replacingOccurrences(of: ",100\n", with: ",100,20\n")
        )
        let (code, out, err) = try await replay(["--input", input])
        #expect(code == 2)
        #expect(!out.contains("BTC-USD"), "no summary: \(out)")
        #expect(err.contains("cannot read the rows of") && err.contains("line 1: ") && err.contains("volume"), "\(err)")
    }

    /// A header with other names than Breakwater's is read as a header and refused (exit 2), not
    /// taken for a bad data row with the replay going on to exit 0.
    @Test func aHeaderOfUnknownNamesIsRefused() async throws {
        let input = try write("renamed.csv", "time,mkt,src,px\n" + Self.rows)
        let (code, out, err) = try await replay(["--input", input])
        #expect(code == 2)
        #expect(!out.contains("BTC-USD"), "no summary: \(out)")
        #expect(err.contains("line 1: header: unknown column \"time\""), "\(err)")
    }

    /// A reader that goes away is a write error reported with exit 1, not a SIGPIPE death.
    @Test func aClosedPipeIsAWriteError() async throws {
        let input = try write(
            "many.csv",
            (0..<20_000).map { "\(1_700_000_000 + $0),BTC-USD,a,100" }.joined(separator: "\n")
        )
        let fifo = dir.appendingPathComponent("short.fifo").path
        #expect(mkfifo(fifo, 0o644) == 0)
        // A reader that opens the FIFO and closes it at once: every write after that fails.
        let reader = try ChildProcess(URL(fileURLWithPath: "/bin/sh"), ["-c", ": < \"$0\"", fifo])
        let (code, out, err) = try await replay(["--input", input, "--output", fifo])
        await reader.exited()
        #expect(code == 1, "exit \(code) (141 = killed by SIGPIPE): \(err)")
        #expect(out.contains("rows 20000"), "the summary is printed: \(out)")
        #expect(err.contains("cannot write the events to \(fifo): Broken pipe"), "\(err)")
    }
}
