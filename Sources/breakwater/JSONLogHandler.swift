import BreakwaterEngine
import BreakwaterServer
import Foundation
import Logging

/// One JSON object per line on stdout, for containers: time, level, label, message, metadata.
struct JSONLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var fields = ["\"time\":\(EventJSON.quote(Timestamps.formatRFC3339(Date().timeIntervalSince1970)))",
                      "\"level\":\(EventJSON.quote(event.level.rawValue))", "\"logger\":\(EventJSON.quote(label))",
                      "\"message\":\(EventJSON.quote(event.message.description))"]
        let merged = metadata.merging(event.metadata ?? [:]) { _, b in b }
        for (k, v) in merged.sorted(by: { $0.key < $1.key }) { fields.append("\(EventJSON.quote(k)):\(EventJSON.quote("\(v)"))") }
        let line = "{" + fields.joined(separator: ",") + "}\n"
        FileHandle.standardOutput.write(Data(line.utf8))
    }
}

enum LogFormat: String, CaseIterable, ExpressibleByArgument {
    case text
    case json
}

import ArgumentParser

/// Logging options shared by serve and demo.
struct LoggingOptions: ParsableArguments {
    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = ProcessInfo.processInfo.environment["BREAKWATER_LOG_LEVEL"] ?? "info"

    @Option(help: "Log format: text or json (one object per line, for containers).")
    var logFormat: LogFormat = LogFormat(rawValue: ProcessInfo.processInfo.environment["BREAKWATER_LOG_FORMAT"] ?? "text") ?? .text

    func bootstrap() throws -> Logger {
        guard let level = Logger.Level(rawValue: logLevel) else {
            throw ValidationError("unknown log level \"\(logLevel)\" (expected one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        let format = logFormat
        LoggingSystem.bootstrap { label in
            var handler: any LogHandler = format == .json ? JSONLogHandler(label: label) : TextLogHandler(label: label)
            handler.logLevel = level
            return handler
        }
        var logger = Logger(label: "breakwater")
        logger.logLevel = level
        return logger
    }
}
