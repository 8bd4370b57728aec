public import Logging
import Synchronization

/// A log handler that keeps every message with its metadata, for tests that check what an
/// operator would read in the log.
public struct RecordingLogHandler: LogHandler {
    public struct Entry: Sendable {
        public var level: Logger.Level
        public var message: String
        public var metadata: [String: String]
    }

    public final class Storage: Sendable {
        let entries = Mutex<[Entry]>([])
        public var all: [Entry] { entries.withLock { $0 } }
        /// The entries whose message is `message`.
        public func lines(_ message: String) -> [Entry] { all.filter { $0.message == message } }
    }

    let storage: Storage
    public var logLevel: Logger.Level = .trace
    public var metadata: Logger.Metadata = [:]

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }.mapValues { "\($0)" }
        storage.entries.withLock {
            $0.append(Entry(level: event.level, message: "\(event.message)", metadata: merged))
        }
    }

    /// A logger writing to a new storage, and that storage.
    public static func logger() -> (Logger, Storage) {
        let storage = Storage()
        return (Logger(label: "recorded") { _ in RecordingLogHandler(storage: storage) }, storage)
    }
}
