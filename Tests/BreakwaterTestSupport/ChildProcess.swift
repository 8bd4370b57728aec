public import Foundation

/// A child process of a test, awaited without blocking a thread. The tests share Swift's
/// cooperative pool, which has one thread per core (two here): a test blocked in
/// `waitUntilExit()` or a pipe read holds one of them, and two such tests stalled every other
/// test, servers answering on the same pool included.
///
/// Standard output and error go to temporary files, never to a pipe: a pipe nobody reads
/// stalls the child once 64 KiB are written, and reading one blocks the reader. The files are
/// removed when the value is released.
/// Unchecked: `Process` is not Sendable; a test uses its child from one task at a time.
public final class ChildProcess: @unchecked Sendable {
    /// What the child reads on its standard input.
    public enum Input: Sendable {
        /// Nothing (`/dev/null`).
        case none
        /// This text, then end of file.
        case text(String)
        /// A pipe that stays open until ``closeInput()`` (the child waits on it).
        case open
    }

    public let process: Process
    private let directory: URL
    private let outputFile: URL
    private let errorFile: URL
    private let inputPipe: Pipe?

    /// Starts `executable` with `arguments`. With `mergingErrors`, standard error goes to the
    /// same file as standard output (as `2>&1`) and ``errors`` stays empty.
    public init(
        _ executable: URL,
        _ arguments: [String],
        environment: [String: String]? = nil,
        input: Input = .none,
        mergingErrors: Bool = false
    ) throws {
        process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let environment { process.environment = environment }
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("bw-child-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        outputFile = directory.appendingPathComponent("stdout")
        errorFile = directory.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outputFile.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        let output = try FileHandle(forWritingTo: outputFile)
        let errors = mergingErrors ? output : try FileHandle(forWritingTo: errorFile)
        process.standardOutput = output
        process.standardError = errors
        var inputFile: FileHandle?
        switch input {
        case .none:
            inputPipe = nil
            process.standardInput = FileHandle.nullDevice
        case .text(let text):
            inputPipe = nil
            let file = directory.appendingPathComponent("stdin")
            try Data(text.utf8).write(to: file)
            inputFile = try FileHandle(forReadingFrom: file)
            process.standardInput = inputFile
        case .open:
            let pipe = Pipe()
            inputPipe = pipe
            process.standardInput = pipe
        }
        try process.run()
        // The child has its own copies; the parent's would only keep files open.
        try? output.close()
        if !mergingErrors { try? errors.close() }
        try? inputFile?.close()
    }

    /// Starts `/usr/bin/env python3 -c script arguments...`.
    public static func python(
        _ script: String,
        _ arguments: [String] = [],
        input: Input = .none,
        mergingErrors: Bool = false
    ) throws -> ChildProcess {
        try ChildProcess(
            URL(fileURLWithPath: "/usr/bin/env"),
            ["python3", "-c", script] + arguments,
            input: input,
            mergingErrors: mergingErrors
        )
    }

    /// Runs `executable` to its end; its exit status, standard output and standard error.
    public static func run(
        _ executable: URL,
        _ arguments: [String],
        environment: [String: String]? = nil,
        input: Input = .none,
        mergingErrors: Bool = false
    ) async throws -> (status: Int32, output: String, errors: String) {
        let child = try ChildProcess(
            executable,
            arguments,
            environment: environment,
            input: input,
            mergingErrors: mergingErrors
        )
        let status = await child.exited()
        return (status, child.output, child.errors)
    }

    deinit {
        try? inputPipe?.fileHandleForWriting.close()
        try? FileManager.default.removeItem(at: directory)
    }

    /// What the child wrote on its standard output so far (and its standard error, if merged).
    public var output: String { String(decoding: outputData, as: UTF8.self) }
    /// ``output`` as bytes (a child that writes binary).
    public var outputData: Data { (try? Data(contentsOf: outputFile)) ?? Data() }
    /// What the child wrote on its standard error so far (empty if merged into ``output``).
    public var errors: String { String(decoding: (try? Data(contentsOf: errorFile)) ?? Data(), as: UTF8.self) }

    public var isRunning: Bool { process.isRunning }
    public var processIdentifier: Int32 { process.processIdentifier }

    /// Sends SIGTERM (nothing if it has exited). A child inherits the signal mask of the pool
    /// thread that started it, and libdispatch's threads block SIGTERM: only a program that
    /// handles it through a signalfd or unblocks it (the served binary, alertmanager) sees it;
    /// others (`sleep`) keep running. ``kill()`` ends any child.
    public func terminate() { if process.isRunning { process.terminate() } }

    /// Sends SIGKILL (nothing if it has exited).
    public func kill() { if process.isRunning { _ = Foundation.kill(process.processIdentifier, SIGKILL) } }

    /// Closes the standard input of a child started with `.open` input: it reads end of file.
    public func closeInput() { try? inputPipe?.fileHandleForWriting.close() }

    /// Waits until the child has exited and returns its exit status (or the signal that ended
    /// it). Looks every 10 ms, sleeping, never blocking a thread. If the waiting task is
    /// cancelled the wait ends early: -1 if the child still runs.
    @discardableResult
    public func exited() async -> Int32 {
        while process.isRunning {
            do { try await Task.sleep(for: .milliseconds(10)) } catch { break }
        }
        return process.isRunning ? -1 : process.terminationStatus
    }

    /// Waits until the child has exited or `seconds` have passed; whether it exited.
    public func exited(within seconds: Double) async -> Bool {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while process.isRunning && ContinuousClock.now < deadline {
            do { try await Task.sleep(for: .milliseconds(10)) } catch { break }
        }
        return !process.isRunning
    }

    /// Waits until the child's ``output`` contains `text` (true), or it has exited or
    /// `seconds` have passed without it (false).
    public func printed(_ text: String, within seconds: Double) async -> Bool {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while ContinuousClock.now < deadline {
            if output.contains(text) { return true }
            if !process.isRunning { return output.contains(text) }
            do { try await Task.sleep(for: .milliseconds(10)) } catch { break }
        }
        return output.contains(text)
    }
}
