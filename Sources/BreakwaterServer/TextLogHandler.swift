import BreakwaterEngine
import BreakwaterWire
import Foundation
public import Logging

/// Log lines for people and for logfmt readers:
/// `TIME LEVEL LABEL: key=value key="quoted value" [SOURCE] message`.
///
/// Every event is one line whose fields cannot be forged by the values it carries: a metadata
/// value is written bare only when it is printable ASCII without spaces, `"`, `=` or `\`;
/// otherwise it is quoted, with `\` and `"` escaped and control, line-breaking, direction and
/// zero-width characters written as `\u{..}` (`PrintableText`). So an actor named
/// `alice action=resume` is logged as `actor="alice action=resume"`, not as two fields.
public struct TextLogHandler: LogHandler {
    public let label: String
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    /// Receives each line, newline included.
    let write: @Sendable (String) -> Void

    /// A handler writing to standard output.
    public init(label: String) {
        self.init(label: label) { line in FileHandle.standardOutput.write(Data(line.utf8)) }
    }

    init(label: String, write: @escaping @Sendable (String) -> Void) {
        self.label = label
        self.write = write
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { _, b in b }
        let fields = merged.sorted { $0.key < $1.key }.map {
            "\(TextEscaping.logValue($0.key))=\(TextEscaping.logValue("\($0.value)"))"
        }
        write(
            "\(RFC3339.format(Date().timeIntervalSince1970)) \(event.level) \(label):"
                + fields.map { " \($0)" }.joined()
                + " [\(event.source)] \(PrintableText.escaped(event.message.description))\n"
        )
    }
}
