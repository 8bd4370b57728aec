import ArgumentParser
import BreakwaterEngine
import BreakwaterServer
import BreakwaterWire
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
        let merged = metadata.merging(event.metadata ?? [:]) { _, b in b }
        var line = WireJSON.encode(
            Self.fields(
                time: Date().timeIntervalSince1970,
                level: event.level.rawValue,
                logger: label,
                message: event.message.description,
                metadata: merged
            )
        )
        line.append(0x0A)
        FileHandle.standardOutput.write(Data(line))
    }

    /// One log line's members: `time` (RFC 3339 UTC), `level`, `logger`, `message` and each
    /// metadata value as a string. A metadata key that is one of those four is written
    /// `metadata.<key>`, so that neither value is lost.
    static func fields(
        time: Double,
        level: String,
        logger: String,
        message: String,
        metadata: Logger.Metadata
    ) -> [String: String] {
        var fields = ["time": RFC3339.format(time), "level": level, "logger": logger, "message": message]
        for (k, v) in metadata { fields[fields[k] == nil ? k : "metadata.\(k)"] = "\(v)" }
        return fields
    }
}

enum LogFormat: String, CaseIterable, ExpressibleByArgument {
    case text
    case json
}

/// Logging options shared by serve and demo.
struct LoggingOptions: ParsableArguments {
    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = ProcessInfo.processInfo.environment["BREAKWATER_LOG_LEVEL"] ?? "info"

    @Option(help: "Log format: text or json (one object per line, for containers).")
    var logFormat: LogFormat =
        LogFormat(rawValue: ProcessInfo.processInfo.environment["BREAKWATER_LOG_FORMAT"] ?? "text") ?? .text

    func bootstrap() throws -> Logger {
        guard let level = Logger.Level(rawValue: logLevel) else {
            throw ValidationError(
                "unknown log level \"\(logLevel)\" (expected one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")))"
            )
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
