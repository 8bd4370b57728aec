import ArgumentParser
import BreakwaterConfig
import BreakwaterEngine
import BreakwaterReplay
import BreakwaterWire
import Foundation

struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract:
            "Replay a price CSV (timestamp,market,source,price[,confidence]) through the engine in simulated time."
    )

    @Option(help: "Configuration file (default: $BREAKWATER_CONFIG or ./config.json).") var config: String?
    @Option(help: "Price CSV; timestamps RFC 3339 or unix seconds.") var input: String
    @Option(help: "Write every engine event as one JSON line here.") var output: String?

    func run() throws {
        // A reader that goes away (a FIFO, a pipe) is a write error to report, not a signal that kills.
        signal(SIGPIPE, SIG_IGN)
        let cfg = try ConfigPath.load(config)
        let file: ReplayInput
        let out: ReplayOutput?
        do {
            file = try ReplayInput(path: input)
            out = try output.map { try ReplayOutput(path: $0, notOver: file) }
        } catch let e as ReplayFileError {
            FileHandle.standardError.write(Data("\(e)\n".utf8))
            throw ExitCode(2)
        }
        // A recording ends by now: a row stamped later (beyond the clock skew) is refused
        // rather than let it move the clock and age out every row after it.
        var runner = try ReplayRunner(
            markets: cfg.engineMarkets(),
            tickSeconds: Double(cfg.server.tickMs) / 1000,
            clockSkewSeconds: Double(cfg.server.clockSkewMs) / 1000,
            notAfter: Date().timeIntervalSince1970,
            onEvent: { out?.write(EventDocument($0).line) },
            onZoneChange: { out?.write(EventDocument($0, window: $1, market: $2).line) }
        )
        let started = Date()
        var lineNumber = 0
        var bytesRead = 0
        var nextProgress = 0.1
        var lines = LineSplitter()
        do {
            while true {
                let chunk = try file.read(upTo: 8 << 20)
                if chunk.isEmpty { break }
                bytesRead += chunk.count
                chunk.withUnsafeBufferPointer { bytes in
                    lines.feed(bytes) { line in
                        lineNumber += 1
                        runner.feed(line, lineNumber: lineNumber)
                    }
                }
                if runner.headerProblem != nil { break }
                if file.size > 4 << 20, Double(bytesRead) / Double(file.size) >= nextProgress {
                    FileHandle.standardError.write(
                        Data(
                            "replay: \(Int(100 * Double(bytesRead) / Double(file.size)))% (\(lineNumber) lines)\n".utf8
                        )
                    )
                    nextProgress += 0.1
                }
            }
        } catch let e as ReplayFileError {
            FileHandle.standardError.write(Data("\(e) (after \(lineNumber) lines)\n".utf8))
            throw ExitCode(2)
        }
        lines.finish { line in
            lineNumber += 1
            runner.feed(line, lineNumber: lineNumber)
        }
        if let problem = runner.headerProblem {
            FileHandle.standardError.write(
                Data(
                    "cannot read the rows of \(input): \(problem); their columns are unknown (fix the header, or remove it for timestamp,market,source,price[,confidence])\n"
                        .utf8
                )
            )
            throw ExitCode(2)
        }
        runner.finish()
        out?.finish()
        print(runner.summary.render())
        let seconds = Date().timeIntervalSince(started)
        let written = out.map { $0.failure == nil ? "; events written to \($0.path)" : "" } ?? ""
        print("replayed \(lineNumber) lines in \(String(format: "%.2f", seconds)) s" + written)
        if let failure = out?.failure {
            FileHandle.standardError.write(Data("\(failure)\n".utf8))
            throw ExitCode(1)
        }
        let usable = runner.summary.markets.reduce(0) { $0 + $1.quotes }
        if usable == 0 {
            let s = runner.summary
            FileHandle.standardError.write(
                Data(
                    "no usable price row in \(input) (\(s.rows) rows: \(s.badRows) bad, \(s.refusedRows) refused by the engine)\n"
                        .utf8
                )
            )
            throw ExitCode(1)
        }
    }
}
