import Logging
import Synchronization

/// A log handler that keeps every message with its metadata, for tests that check what an
/// operator would read in the log.
struct RecordingLogHandler: LogHandler {
    struct Entry: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: [String: String]
    }

    final class Storage: Sendable {
        let entries = Mutex<[Entry]>([])
        var all: [Entry] { entries.withLock { $0 } }
    }

    let storage: Storage
    var logLevel: Logger.Level = .trace
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }.mapValues { "\($0)" }
        storage.entries.withLock { $0.append(Entry(level: event.level, message: "\(event.message)", metadata: merged)) }
    }

    /// A logger writing to a new storage, and that storage.
    static func logger() -> (Logger, Storage) {
        let storage = Storage()
        return (Logger(label: "recorded") { _ in RecordingLogHandler(storage: storage) }, storage)
    }
}
