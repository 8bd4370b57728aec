import GRDB

/// A storage failure with a message an operator can act on.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// The directory is missing or not writable, or the file cannot be opened.
        case unwritable
        /// The file is not an SQLite database or is damaged.
        case corrupt
        /// The disk (or quota) is full.
        case diskFull
        /// Another process holds the database (or its instance lock) locked.
        case busy
        /// The database server cannot be reached (PostgreSQL down, restarting, or the network).
        case unavailable
        /// Anything else the database reported.
        case other
    }

    public var kind: Kind
    /// The SQLite file, or the PostgreSQL URL without its password.
    public var path: String
    public var message: String

    public init(kind: Kind, path: String, message: String) {
        self.kind = kind
        self.path = path
        self.message = message
    }

    public var description: String { "storage \(kind.rawValue) at \(path): \(message)" }

    /// Translates an SQLite/GRDB error into an actionable message.
    static func wrap(_ error: any Error, path: String) -> StoreError {
        if let e = error as? StoreError { return e }
        guard let db = error as? DatabaseError else {
            return StoreError(kind: .other, path: path, message: "\(error)")
        }
        switch db.resultCode {
        case .SQLITE_CANTOPEN, .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_AUTH:
            return StoreError(
                kind: .unwritable,
                path: path,
                message: "cannot open for writing (\(db.message ?? "\(db.resultCode)")); check that the "
                    + "directory exists and the service user may write to it, or change storage.path"
            )
        case .SQLITE_NOTADB, .SQLITE_CORRUPT:
            return StoreError(
                kind: .corrupt,
                path: path,
                message: "the file is not a valid database (\(db.message ?? "\(db.resultCode)")); move it "
                    + "aside (keep it for inspection) and restart to create a fresh one, or restore a backup"
            )
        case .SQLITE_FULL:
            return StoreError(
                kind: .diskFull,
                path: path,
                message: "the disk is full (\(db.message ?? "")); free space on the volume holding the database"
            )
        case .SQLITE_IOERR:
            return StoreError(
                kind: .diskFull,
                path: path,
                message: "I/O error (\(db.message ?? "")); check free space and the health of the volume"
            )
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return StoreError(
                kind: .busy,
                path: path,
                message: "another process kept the database locked (a write transaction, such as a sqlite3 shell "
                    + "or a backup tool) for longer than the \(Int(RiskStateStore.busyTimeoutSeconds)) s busy timeout; "
                    + "end that transaction"
            )
        default:
            return StoreError(kind: .other, path: path, message: db.description)
        }
    }
}
