import ArgumentParser
import BreakwaterConfig
import BreakwaterEngine
import BreakwaterReplay
import Foundation

struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay a price CSV (timestamp,market,source,price[,confidence]) through the engine in simulated time.")

    @Option(help: "Configuration file (default: $BREAKWATER_CONFIG or ./config.json).") var config: String?
    @Option(help: "Price CSV; timestamps RFC 3339 or unix seconds.") var input: String
    @Option(help: "Write every engine event as one JSON line here.") var output: String?

    func run() throws {
        let cfg = try ConfigPath.load(config)
        guard let handle = FileHandle(forReadingAtPath: input) else {
            FileHandle.standardError.write(Data("cannot read \(input)\n".utf8))
            throw ExitCode(2)
        }
        var out: FileHandle?
        if let output {
            guard FileManager.default.createFile(atPath: output, contents: nil), let h = FileHandle(forWritingAtPath: output) else {
                FileHandle.standardError.write(Data("cannot write \(output)\n".utf8))
                throw ExitCode(2)
            }
            out = h
        }
        let writer = LineWriter(handle: out)
        // A recording ends by now: a row stamped later (beyond the clock skew) is refused
        // rather than let it move the clock and age out every row after it.
        var runner = try ReplayRunner(markets: cfg.engineMarkets(), tickSeconds: Double(cfg.server.tickMs) / 1000,
                                      clockSkewSeconds: Double(cfg.server.clockSkewMs) / 1000,
                                      notAfter: Date().timeIntervalSince1970) { writer.write(EventJSON.line($0)) }
        let size = (try? FileManager.default.attributesOfItem(atPath: input)[.size] as? Int) ?? 0
        let started = Date()
        var lineNumber = 0
        var bytesRead = 0
        var nextProgress = 0.1
        var lines = LineSplitter()
        while true {
            let chunk = handle.readData(ofLength: 8 << 20)
            if chunk.isEmpty { break }
            bytesRead += chunk.count
            [UInt8](chunk).withUnsafeBufferPointer { bytes in
                lines.feed(bytes) { line in
                    lineNumber += 1
                    runner.feed(line: line, lineNumber: lineNumber)
                }
            }
            if size > 4 << 20, Double(bytesRead) / Double(size) >= nextProgress {
                FileHandle.standardError.write(Data("replay: \(Int(100 * Double(bytesRead) / Double(size)))% (\(lineNumber) lines)\n".utf8))
                nextProgress += 0.1
            }
        }
        lines.finish { line in
            lineNumber += 1
            runner.feed(line: line, lineNumber: lineNumber)
        }
        runner.finish()
        writer.flush()
        print(runner.summary.render())
        let seconds = Date().timeIntervalSince(started)
        print("replayed \(lineNumber) lines in \(String(format: "%.2f", seconds)) s" + (output.map { "; events written to \($0)" } ?? ""))
    }
}

/// Buffers JSON lines and writes them in large chunks.
final class LineWriter {
    let handle: FileHandle?
    var buffer = Data()

    init(handle: FileHandle?) { self.handle = handle }

    func write(_ line: String) {
        guard handle != nil else { return }
        buffer.append(contentsOf: line.utf8)
        buffer.append(10)
        if buffer.count > 1 << 20 { flush() }
    }

    func flush() {
        handle?.write(buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}
